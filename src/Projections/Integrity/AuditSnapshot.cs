using Marten;
using Npgsql;

namespace Salex.Projections.Integrity;

/// <summary>
/// A connection and a query session on it whose reads all see one committed state (repeatable read), so that an audit
/// can run beside a live service: a payment or a projection's page committed meanwhile is wholly seen or not at all.
/// Read in separate statements, such a commit showed as a difference that was not there (ProjectionVerificationTests).
/// Used by the chain verifier (plain SQL on <see cref="Connection"/>), the projection verifier and the money check.
/// </summary>
public sealed class AuditSnapshot : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private AuditSnapshot(NpgsqlConnection connection, NpgsqlTransaction transaction, IQuerySession session)
    {
        _connection = connection;
        _transaction = transaction;
        Session = session;
    }

    public IQuerySession Session { get; }

    /// <summary>The snapshot's connection, for plain SQL inside the same transaction.</summary>
    public NpgsqlConnection Connection => _connection;

    public static async Task<AuditSnapshot> OpenAsync(IDocumentStore store, CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            return new AuditSnapshot(
                connection,
                transaction,
                store.QuerySession(Marten.Services.SessionOptions.ForTransaction(transaction))
            );
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        // Read only: nothing to commit.
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
