using Salex.Ledger.Reserve;

namespace Salex.Ledger.Api.Features.Auditing;

public sealed record ReserveReport(IReadOnlyList<ReserveYearAccrual> Years, decimal Total);
