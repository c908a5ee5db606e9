namespace Salex.Ledger.Api.Features.Paying;

/// <summary>Payments of any callers and accounts, recorded in one transaction (<see
/// cref="RecordPaymentBatchHandler"/>).
/// </summary>
public sealed record RecordPaymentBatch(IReadOnlyList<PendingPayment> Payments);
