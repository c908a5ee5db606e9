using Marten;
using Microsoft.AspNetCore.Authorization;
using Salex.Ledger.Api.Infrastructure;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features;

public sealed record HealthReport(string Status, string Database, string? Reason);
