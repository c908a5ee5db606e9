using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using NodaTime;
using Salex.Ledger;
using Salex.Projections.Accounts;
using Weasel.Core;
using Weasel.Postgresql;

[assembly: JasperFxAssembly]

namespace Salex.Projections;

/// <summary>The ledger's Marten configuration, shared by the API host, the tests and the benchmarks.</summary>
public static class LedgerStore
{
    public const string Schema = "salex";
    public const long FirstAffiliationSequence = 10000001;

    /// <summary>The PostgreSQL role the service connects as in production: it may append events, not change
    /// them.</summary>
    public const string DefaultApplicationRole = "salex_app";

    public static void Configure(
        StoreOptions opts,
        string connectionString,
        bool createSchemaObjects,
        string applicationRole = DefaultApplicationRole
    )
    {
        // Repeated statements prepared (ConnectionStringDefaults.ForWrites).
        opts.Connection(ConnectionStringDefaults.ForWrites(connectionString));
        opts.DatabaseSchemaName = Schema;
        opts.AutoCreateSchemaObjects = createSchemaObjects ? AutoCreate.CreateOrUpdate : AutoCreate.None;
        // System.Text.Json, camelCase, enums as strings, NodaTime's ISO formats; documents read from a buffer.
        opts.Serializer(new LedgerSerializer());

        // One stream per insured person, keyed by the affiliation number.
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        // An account fetched for writing is where its inline projection starts: no second read of the same
        // document in the commit. Safe because the aggregates are immutable records (only `with` makes new ones).
        opts.Events.UseIdentityMapForAggregates = true;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.Events.MetadataConfig.UserNameEnabled = true;

        opts.Events.AddEventType<Enrolled>();
        opts.Events.AddEventType<ContributionPaid>();
        opts.Events.AddEventType<AdvancePaid>();
        opts.Events.AddEventType<CreditRecorded>();
        opts.Events.AddEventType<CreditApplied>();
        opts.Events.AddEventType<Lapsed>();
        opts.Events.AddEventType<LapseAnnulled>();
        opts.Events.AddEventType<Returned>();
        opts.Events.AddEventType<RefundDue>();
        opts.Events.AddEventType<BeneficiaryAdded>();
        opts.Events.AddEventType<BeneficiaryRemoved>();

        // Each imported bank file is its own stream, keyed by the file id.
        foreach (var type in BankFiles.BankFileReconciliationProjection.FileEvents)
            opts.Events.AddEventType(type);
        // Each file's reconciliation, kept by an inline projection of its stream (version and rebuild from Marten).
        opts.Projections.Add(new BankFiles.BankFileReconciliationProjection(), ProjectionLifecycle.Inline);
        opts.Schema.For<Salex.Ledger.BankFiles.BankFileLineRow>().Duplicate(r => r.FileId);
        // Settling suspense spends money: the item's own version check lets exactly one of any number of
        // concurrent assignments and refunds commit (the loser's transaction, events included, rolls back).
        opts.Schema.For<Salex.Ledger.BankFiles.SuspenseItem>()
            .Duplicate(s => s.FileId)
            .Duplicate(s => s.Status)
            .UseOptimisticConcurrency(true);

        // Inline while recording; a rebuild pages through the events, one transaction per page: big pages
        // mean fewer commits (see docs/benchmarks.md).
        var accounts = new AccountProjection();
        accounts.Options.BatchSize = 5_000;
        opts.Projections.Add(accounts, ProjectionLifecycle.Inline);
        // The reserve: async, one set-based statement per page of payments (see ReserveYearProjection).
        Reserve.ReserveYearProjection.Register(opts, Schema, batchSize: 10_000);
        opts.Schema.For<DuiRegistration>();
        // The console's data-protection keys, shared by every node (SharedKeyRing).
        opts.Schema.For<Console.DataProtectionKey>();
        // Rights changes: the feed (its number indexed, unique: the cursor), webhook subscribers, the sweep's mark.
        opts.Schema.For<RightsChanges.RightsChangeEntry>().UniqueIndex(e => e.Sequence);
        opts.Schema.For<RightsChanges.WebhookSubscription>();
        opts.Schema.For<RightsChanges.RightsSweepMark>();
        // One receipt per bank transaction ever recorded, whichever way it came (idempotency and reconciliation).
        opts.Schema.For<Payments.PaymentReceipt>();
        // No index reads the account's JSON (an account is found by its DUI through its DuiRegistration): every write
        // of an account changes its JSON, and an index over it would make each one a new row version in every index
        // rather than a heap-only (HOT) update, the JSON decompressed to compute the key. docs/benchmarks.md, "The
        // accounts' unused DUI index".
        opts.Schema.For<Salex.Ledger.Accounts.Account>().Duplicate(a => a.EpisodeOpen);

        // Affiliation numbers come from a sequence: never reused, even after a rollback.
        opts.Storage.ExtendedSchemaObjects.Add(
            new Sequence(new PostgresqlObjectName(Schema, "affiliation_number_seq"), FirstAffiliationSequence)
        );

        // The accounts are compressed and decompressed on every write and read of one: LZ4 where the server has it.
        opts.Storage.Add(new Accounts.AccountCompression(opts, Schema));
        // Tamper evidence: every stream's events are hash-chained as they are inserted.
        Integrity.EventChainSchema.Add(opts, Schema, applicationRole);
        opts.Events.AddEventType<Salex.Ledger.Integrity.LedgerDigestRecorded>();
        // The rate schedule is a policy stream of rows.
        opts.Events.AddEventType<Salex.Ledger.Contributions.RateAdded>();
        opts.Events.AddEventType<Salex.Ledger.Contributions.RateChangeProposed>();
        opts.Events.AddEventType<Salex.Ledger.Contributions.RateChangeApproved>();
        opts.Events.AddEventType<Salex.Ledger.Contributions.RateChangeRejected>();
        opts.Events.AddEventType<Salex.Ledger.Contributions.RateWithdrawn>();
        opts.Events.AddEventType<Salex.Ledger.Contributions.RateCorrected>();
        // The registry of partner banks is a policy stream too.
        opts.Events.AddEventType<Salex.Ledger.Banks.PartnerBankRegistered>();
        opts.Events.AddEventType<Salex.Ledger.Banks.PartnerBankAccountAdded>();
    }

    public static async Task<long> NextAffiliationSequenceAsync(IQuerySession session, CancellationToken ct)
    {
        var rows = await session.AdvancedSql.QueryAsync<long>($"select nextval('{Schema}.affiliation_number_seq')", ct);
        return rows[0];
    }
}
