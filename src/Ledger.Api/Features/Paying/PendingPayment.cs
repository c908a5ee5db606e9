using Salex.Ledger.Api.Infrastructure;

namespace Salex.Ledger.Api.Features.Paying;

/// <summary>A payment waiting for the group commit, with who asked for it.</summary>
public sealed record PendingPayment(RecordAccountPayment Command, Stamps Stamps);
