using Marten;
using Npgsql;
using Salex.Ledger.Accounts;
using Salex.Projections;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// Query sessions for the reads that a hot standby may serve (rights: REST, batch and FHIR): on the connection string
/// <c>ConnectionStrings:LedgerReads</c> when it is configured (e.g. the standby first, <c>Target Session
/// Attributes=prefer-standby</c>), otherwise on the primary's. Read-only by construction: a query session cannot
/// write. Staleness: with <c>synchronous_commit = remote_apply</c> a commit is acknowledged only once the standby has
/// applied it, so a read begun after a write's answer sees that write (docs/cluster.md).
/// <para>
/// Either way the reads have a pool of their own, tuned for the hottest route (docs/benchmarks.md, "The rights read
/// path"): a connection going back to this pool is not reset, so the statements Npgsql prepares automatically stay
/// prepared. Resetting (DISCARD ALL, or the seven statements Npgsql sends instead when it keeps prepared statements)
/// undoes session state; these connections never have any, because only query sessions use them, and a query session
/// opens no transaction, sets nothing, takes no lock and listens to nothing.
/// </para>
/// </summary>
public sealed class StandbyReads : IDisposable
{
    public const string ConnectionStringName = "LedgerReads";

    private readonly IDocumentStore _store;
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>The same schema and mappings as the store, on the reads' own connections (a session given only a
    /// connection string would still open its connections on the store's database).</summary>
    private readonly Marten.Storage.IMartenDatabase _database;

    private readonly ISerializer _serializer;
    private readonly string _loadAccount;

    /// <param name="store">The ledger's store: its mappings and serializer.</param>
    /// <param name="connectionString">ConnectionStrings:LedgerReads, or null to read the primary.</param>
    /// <param name="primaryConnectionString">The store's own connection string (ConnectionStrings:Ledger).</param>
    public StandbyReads(IDocumentStore store, string? connectionString, string primaryConnectionString)
    {
        _store = store;
        Separate = !string.IsNullOrEmpty(connectionString);
        _dataSource = NpgsqlDataSource.Create(ForReads(Separate ? connectionString! : primaryConnectionString));
        _database = new Marten.Storage.MartenDatabase((StoreOptions)store.Options, _dataSource, ConnectionStringName);
        _serializer = store.Options.Serializer();
        _loadAccount =
            $"select d.data from {store.Options.FindOrResolveDocumentType(typeof(Account)).TableName.QualifiedName} as d where d.id = $1";
    }

    /// <summary>Whether the reads go to a server of their own (else they go to the primary).</summary>
    public bool Separate { get; }

    /// <summary>
    /// The reads' pool: no reset when a connection is returned, and automatic preparation of the few statements the
    /// rights routes send, unless the connection string says otherwise (or has no pool).
    /// </summary>
    public static string ForReads(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Without a pool there is nothing to keep between requests.
        if (!builder.Pooling)
            return connectionString;
        ConnectionStringDefaults.NameTheSessions(builder, connectionString);
        if (!ConnectionStringDefaults.Sets(connectionString, "No Reset On Close", "NoResetOnClose"))
            builder.NoResetOnClose = true;
        if (!ConnectionStringDefaults.Sets(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
            builder.MaxAutoPrepare = 16;
        if (!ConnectionStringDefaults.Sets(connectionString, "Auto Prepare Min Usages", "AutoPrepareMinUsages"))
            builder.AutoPrepareMinUsages = 2;
        // A second pool per node beside the store's: bounded, so that several nodes stay within the server's
        // max_connections.
        if (!ConnectionStringDefaults.Sets(connectionString, "Maximum Pool Size", "Max Pool Size", "MaxPoolSize"))
            builder.MaxPoolSize = MaxPoolSize;
        return builder.ConnectionString;
    }

    /// <summary>Connections of the reads' pool, unless the connection string says otherwise.</summary>
    public const int MaxPoolSize = 32;

    /// <summary>What is wrong with the configured connection string, if anything (checked at start).</summary>
    public static string? Problem(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
            return null;
        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(parsed.Host)
                ? $"ConnectionStrings:{ConnectionStringName} names no host."
                : null;
        }
        catch (ArgumentException e)
        {
            return $"ConnectionStrings:{ConnectionStringName} is not a PostgreSQL connection string: {e.Message}";
        }
    }

    public IQuerySession Open() => _store.QuerySession(Marten.Services.SessionOptions.ForDatabase(_database));

    /// <summary>
    /// The live account document by its key: the select of its data by id that Marten's <c>LoadAsync</c> makes, on
    /// Marten's mapping of the table, deserialised by the store's own serializer, but sent straight on the reads' pool
    /// rather than through a session's command path (its resilience pipeline and connection lifetime). The rights
    /// route by number reads nothing else; measured in turns against <c>LoadAsync</c>, it made 8–17 % more lookups on
    /// the same two cores (docs/benchmarks.md, "The rights read path without the session's command path").
    /// <para>
    /// What Marten's pipeline did for this read is done here: a transient error (a connection the server dropped in a
    /// restart, a failover or an idle timeout) empties the pool of its idle connections, which are likely dropped too,
    /// and the read is tried again, up to <see cref="ReadAttempts"/> times in all. A timeout is not tried again (the
    /// caller has waited already); what is left is answered 503 like any other database error.
    /// </para>
    /// </summary>
    public async Task<Account?> LiveAccountAsync(string affiliationNumber, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ReadLiveAccountAsync(affiliationNumber, ct);
            }
            catch (NpgsqlException e)
                when (e.IsTransient
                    && e.InnerException is not TimeoutException
                    && attempt < ReadAttempts
                    && !ct.IsCancellationRequested
                )
            {
                _dataSource.Clear();
            }
        }
    }

    /// <summary>Tries of <see cref="LiveAccountAsync"/> before its error is the answer.</summary>
    public const int ReadAttempts = 3;

    private async Task<Account?> ReadLiveAccountAsync(string affiliationNumber, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(_loadAccount);
        command.Parameters.Add(
            new NpgsqlParameter<string>
            {
                TypedValue = affiliationNumber,
                NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar,
            }
        );
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? await _serializer.FromJsonAsync<Account>(reader, 0, ct) : null;
    }

    public void Dispose() => _dataSource.Dispose();
}
