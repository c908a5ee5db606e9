using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using NodaTime.Text;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.Accounts;
using Salex.Ledger.Api.Features.AsKnownAt;
using Salex.Ledger.Api.Features.CheckingRights;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Auditing;

public sealed record HistoryPage(string AffiliationNumber, int Page, int PageSize, int TotalEvents, IReadOnlyList<HistoryEntry> Events);
