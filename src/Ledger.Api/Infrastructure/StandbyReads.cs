using Marten;
using Npgsql;
using Salex.Ledger.Accounts;
using Salex.Projections;
using Salex.Projections.Accounts;

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

    /// <summary>The same server without a pool: a retried read's connection is certainly a new one.</summary>
    private readonly NpgsqlDataSource _fresh;

    /// <summary>The same schema and mappings as the store, on the reads' own connections (a session given only a
    /// connection string would still open its connections on the store's database).</summary>
    private readonly Marten.Storage.IMartenDatabase _database;

    private readonly ISerializer _serializer;
    private readonly string _loadAccount;
    private readonly string _loadAccounts;
    private readonly string _loadAccountByDui;

    /// <param name="store">The ledger's store: its mappings and serializer.</param>
    /// <param name="connectionString">ConnectionStrings:LedgerReads, or null to read the primary.</param>
    /// <param name="primaryConnectionString">The store's own connection string (ConnectionStrings:Ledger).</param>
    public StandbyReads(IDocumentStore store, string? connectionString, string primaryConnectionString)
    {
        _store = store;
        Separate = !string.IsNullOrEmpty(connectionString);
        var reads = ForReads(Separate ? connectionString! : primaryConnectionString);
        _dataSource = NpgsqlDataSource.Create(reads);
        // From the string itself: a data source's ConnectionString leaves the password out.
        _fresh = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(reads) { Pooling = false }.ConnectionString);
        var database = new Marten.Storage.MartenDatabase(
            (StoreOptions)store.Options,
            _dataSource,
            ConnectionStringName
        );
        // The reads' database is never migrated from here (a standby is read-only; the schema reaches it by
        // replication, or from the primary's migration): without this, a Development session there created Marten's
        // tables in a reads' database that had none, on its first query (an attack found it with `asOf`).
        database.MarkAllFeaturesAsChecked();
        _database = database;
        _serializer = store.Options.Serializer();
        var accounts = store.Options.FindOrResolveDocumentType(typeof(Account)).TableName.QualifiedName;
        var registrations = store.Options.FindOrResolveDocumentType(typeof(DuiRegistration)).TableName.QualifiedName;
        _loadAccount = $"select d.data from {accounts} as d where d.id = $1";
        _loadAccounts = $"select d.data from {accounts} as d where d.id = any($1)";
        // The registration's JSON names the account; one statement instead of two loads one after the other.
        _loadAccountByDui =
            $"select d.data from {registrations} as r join {accounts} as d on d.id = r.data ->> 'affiliationNumber' where r.id = $1";
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

    /// <summary>What is wrong with the configured connection string, if anything (checked at start; none
    /// configured reads the primary).</summary>
    public static string? Problem(string? connectionString) =>
        string.IsNullOrEmpty(connectionString)
            ? null
            : Settings.SettingsValidation.ConnectionStringProblem(
                $"ConnectionStrings:{ConnectionStringName}",
                connectionString
            );

    public IQuerySession Open() => _store.QuerySession(Marten.Services.SessionOptions.ForDatabase(_database));

    /// <summary>
    /// The live account document by its key: the select of its data by id that Marten's <c>LoadAsync</c> makes, on
    /// Marten's mapping of the table, deserialised by the store's own serializer, but sent straight on the reads' pool
    /// rather than through a session's command path (its resilience pipeline and connection lifetime). The rights
    /// route by number reads nothing else; measured in turns against <c>LoadAsync</c>, it made 8–17 % more lookups on
    /// the same two cores (docs/benchmarks.md, "The rights read path without the session's command path").
    /// <para>
    /// What Marten's pipeline did for this read is done here (<see cref="TryAgain"/>): after a transient error the
    /// read is tried once more, on a new connection.
    /// </para>
    /// </summary>
    public async Task<Account?> LiveAccountAsync(string affiliationNumber, CancellationToken ct)
    {
        // The hottest read: written out rather than through WithRetriesAsync, which costs a closure and a state
        // machine more.
        try
        {
            return await ReadAccountAsync(_dataSource, _loadAccount, affiliationNumber, ct);
        }
        catch (NpgsqlException e) when (TryAgain(e, ct))
        {
            return await ReadAccountAsync(_fresh, _loadAccount, affiliationNumber, ct);
        }
    }

    /// <summary>
    /// The live accounts of these affiliation numbers (those that exist, in no particular order): the batch query's
    /// read, one statement as <see cref="LiveAccountAsync"/> is, with the same retries.
    /// </summary>
    public Task<List<Account>> LiveAccountsAsync(
        IReadOnlyCollection<string> affiliationNumbers,
        CancellationToken ct
    ) =>
        WithRetriesAsync(
            source =>
                ReadAccountsAsync(
                    source,
                    _loadAccounts,
                    new NpgsqlParameter<string[]>
                    {
                        TypedValue = [.. affiliationNumbers.Where(n => !CannotExist(n))],
                        NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Varchar,
                    },
                    ct
                ),
            ct
        );

    /// <summary>
    /// The live account registered under a DUI: the registration and the account in one statement (two loads one
    /// after the other before), with the same retry as <see cref="LiveAccountAsync"/>.
    /// </summary>
    public Task<Account?> LiveAccountByDuiAsync(string dui, CancellationToken ct) =>
        WithRetriesAsync(source => ReadAccountAsync(source, _loadAccountByDui, dui, ct), ct);

    private async Task<T> WithRetriesAsync<T>(Func<NpgsqlDataSource, Task<T>> read, CancellationToken ct)
    {
        try
        {
            return await read(_dataSource);
        }
        catch (NpgsqlException e) when (TryAgain(e, ct))
        {
            return await read(_fresh);
        }
    }

    /// <summary>
    /// Whether a direct read is tried once more after this error: a transient one (a connection the server dropped in
    /// a restart, a failover or an idle timeout), not a timeout (the caller has waited already). The pool's idle
    /// connections are likely dropped too and are emptied; the second try is on a new connection outside the pool,
    /// because a pool emptied while other reads race it can still hand out a dropped connection (three tries on the
    /// pool failed so in about one test run in twenty with the machine busy). What fails on a new connection is the
    /// database's answer: 503, like any other database error.
    /// </summary>
    private bool TryAgain(NpgsqlException e, CancellationToken ct)
    {
        if (!e.IsTransient || e.InnerException is TimeoutException || ct.IsCancellationRequested)
            return false;
        _dataSource.Clear();
        return true;
    }

    /// <summary>PostgreSQL's text cannot hold a NUL character, nor UTF-16 that is not text (a lone surrogate, which
    /// Npgsql refuses to encode): no such key names an account. The input guard refuses them at the edge; this keeps a
    /// caller that skipped it from an error.</summary>
    private static bool CannotExist(string key) =>
        key.Contains('\0') || (key.AsSpan().ContainsAnyInRange('\ud800', '\udfff') && !IsText(key));

    private static bool IsText(ReadOnlySpan<char> key)
    {
        while (!key.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf16(key, out _, out var used) != System.Buffers.OperationStatus.Done)
                return false;
            key = key[used..];
        }
        return true;
    }

    private async Task<Account?> ReadAccountAsync(NpgsqlDataSource source, string sql, string key, CancellationToken ct)
    {
        if (CannotExist(key))
            return null;
        await using var command = source.CreateCommand(sql);
        command.Parameters.Add(
            new NpgsqlParameter<string> { TypedValue = key, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar }
        );
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? await _serializer.FromJsonAsync<Account>(reader, 0, ct) : null;
    }

    private async Task<List<Account>> ReadAccountsAsync(
        NpgsqlDataSource source,
        string sql,
        NpgsqlParameter key,
        CancellationToken ct
    )
    {
        await using var command = source.CreateCommand(sql);
        command.Parameters.Add(key);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var accounts = new List<Account>();
        while (await reader.ReadAsync(ct))
            accounts.Add(await _serializer.FromJsonAsync<Account>(reader, 0, ct));
        return accounts;
    }

    public void Dispose()
    {
        _dataSource.Dispose();
        _fresh.Dispose();
    }
}
