using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Lifecycle;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Lapsing;

public sealed record SweepReport(string On, int AccountsExamined, int LapsesRecorded, IReadOnlyList<string> Lapsed, int Conflicts);
