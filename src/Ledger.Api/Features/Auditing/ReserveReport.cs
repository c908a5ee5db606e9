using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Reserve;
using Salex.Projections.Reserve;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Auditing;

public sealed record ReserveReport(IReadOnlyList<ReserveYearAccrual> Years, decimal Total);
