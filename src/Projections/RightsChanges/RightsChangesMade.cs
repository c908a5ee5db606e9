namespace Salex.Projections.RightsChanges;

/// <summary>
/// The changes of standing one commit made, in the order they were made: the message the ledger's own writers put in
/// Wolverine's outbox, one per transaction (a bank file's batch of 500 lines, a group commit of payments, one command)
/// rather than one per change, so that a large file stores and marks a few hundred envelopes instead of a hundred
/// thousand. The feed records each <see cref="RightsChanged"/> in it; those are what readers and webhooks see.
/// </summary>
public sealed record RightsChangesMade(RightsChanged[] Changes);
