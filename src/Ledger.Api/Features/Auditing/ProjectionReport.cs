using System.Globalization;
using System.Text.Json;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Salex.Ledger.Accounts;
using Salex.Ledger.BankFiles;
using Salex.Projections.Reserve;

namespace Salex.Ledger.Api.Features.Auditing;

public sealed record ProjectionReport(int Accounts, int ReserveYears, int BankFiles, IReadOnlyList<ProjectionDifference> Differences)
{
    public bool Matches => Differences.Count == 0;
}
