using Salex.Ledger.Api.Infrastructure;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>Finance found whose money the suspense item <see cref="Id"/> is: <see cref="AffiliationNumber"/>.</summary>
public sealed record AssignSuspense(string Id, string AffiliationNumber) : IStampedCommand;
