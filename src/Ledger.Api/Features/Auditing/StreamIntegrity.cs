using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;
using Salex.Projections.Integrity;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Auditing;

public sealed record StreamIntegrity(string AffiliationNumber, bool Intact, long Events, long HeadVersion, string? HeadHash, BrokenLink? BrokenLink);
