using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Lifecycle;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Salex.Ledger.Api.Features.Accounts.Returning;

public sealed record ReturnRequest(string? ReturnedOn);
