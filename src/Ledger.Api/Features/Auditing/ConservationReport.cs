using Salex.Projections.Payments;
using System.Globalization;
using JasperFx.Events;
using Marten.Events;
using Marten;
using Salex.Ledger.Api.Features.ImportingBankFiles;
using Salex.Ledger.Api.Features.Paying;
using Salex.Ledger.BankFiles;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>The ledger's money, summed from the events, and every way it fails to add up.</summary>
public sealed record ConservationReport(
    int Transactions, decimal Received, decimal OnAccounts, decimal OpenSuspense, decimal RefundedSuspense,
    IReadOnlyList<string> Problems)
{
    public bool Holds => Problems.Count == 0;
}
