using Marten;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// Query sessions for the reads that a hot standby may serve (rights: REST, batch and FHIR): on the connection string
/// <c>ConnectionStrings:LedgerReads</c> when it is configured (e.g. the standby first, <c>Target Session
/// Attributes=prefer-standby</c>), otherwise on the store's own connection, the primary. Read-only by construction: a
/// query session cannot write. Staleness: with <c>synchronous_commit = remote_apply</c> a commit is acknowledged only
/// once the standby has applied it, so a read begun after a write's answer sees that write (docs/cluster.md).
/// </summary>
public sealed class StandbyReads : IDisposable
{
    public const string ConnectionStringName = "LedgerReads";

    private readonly IDocumentStore _store;
    private readonly Npgsql.NpgsqlDataSource? _dataSource;

    /// <summary>The same schema and mappings as the store, on the reads' own connections (a session given only a
    /// connection string would still open its connections on the store's database).</summary>
    private readonly Marten.Storage.IMartenDatabase? _database;

    public StandbyReads(IDocumentStore store, string? connectionString)
    {
        _store = store;
        if (string.IsNullOrEmpty(connectionString))
            return;
        _dataSource = Npgsql.NpgsqlDataSource.Create(connectionString);
        _database = new Marten.Storage.MartenDatabase((StoreOptions)store.Options, _dataSource, ConnectionStringName);
    }

    /// <summary>Whether the reads have a connection of their own (else they go to the primary).</summary>
    public bool Separate => _database is not null;

    /// <summary>What is wrong with the configured connection string, if anything (checked at start).</summary>
    public static string? Problem(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
            return null;
        try
        {
            var parsed = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(parsed.Host)
                ? $"ConnectionStrings:{ConnectionStringName} names no host."
                : null;
        }
        catch (ArgumentException e)
        {
            return $"ConnectionStrings:{ConnectionStringName} is not a PostgreSQL connection string: {e.Message}";
        }
    }

    public IQuerySession Open() =>
        _database is null
            ? _store.QuerySession()
            : _store.QuerySession(Marten.Services.SessionOptions.ForDatabase(_database));

    public void Dispose() => _dataSource?.Dispose();
}
