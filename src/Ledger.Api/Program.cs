using JasperFx;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using NodaTime;
using Salex.Ledger;
using Salex.Ledger.Api.Features.Accounts;
using Salex.Ledger.Api.Features.Fhir;
using Salex.Ledger.Api.Features.OperationsConsole;
using Salex.Ledger.Api.Features.Paying;
using Salex.Ledger.Api.Features.Rates;
using Salex.Ledger.Api.Features.Webhooks;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Projections;
using Scalar.AspNetCore;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

// A host that cannot start (a bad setting, no database) says why in one line and exits non-zero (StartFailure).
StartFailure.ExitOnUnhandled();

// The settings files and relative paths in settings are the application directory's, not the working directory's
// (ContentRoot): the service reads the same settings however and wherever it is started.
var contentRootGiven = ContentRoot.Given(args);
if (ContentRoot.Problem(contentRootGiven) is { } contentRootProblem)
    throw new SettingsNotValidException("The configuration is not valid: " + contentRootProblem);
var builder = WebApplication.CreateBuilder(
    new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot.For(contentRootGiven) }
);

// Where to listen: ASPNETCORE_URLS (run.sh sets it from LEDGER_URLS), --urls or a Urls setting, ASPNETCORE_HTTP_PORTS
// (the official container images' setting) or Kestrel's endpoints; else the documented default. Not in appsettings.json,
// where it would override the environment. Checked with the other settings below (ListenUrls): a port Kestrel cannot
// use stops the start naming the setting.
if (ListenUrls.NoneGiven(builder.Configuration))
    builder.WebHost.UseUrls(ListenUrls.Default);
var isDevelopment = builder.Environment.IsDevelopment();
var connectionString =
    builder.Configuration.GetConnectionString("Ledger")
    ?? throw new SettingsNotValidException("The connection string 'ConnectionStrings:Ledger' is not configured.");

builder.Services.AddSingleton<IClock>(NodaTime.SystemClock.Instance);

// Every section bound once as options and validated at start: a bad setting stops the host, naming it.
builder.Services.AddLedgerSettings(builder.Configuration);

// Read now, because the store's configuration depends on them; the same checks as at start (SettingsValidation).
var ledgerSettings = builder.Configuration.GetSection(LedgerSettings.Section).Get<LedgerSettings>() ?? new();
var readsConnectionString = builder.Configuration.GetConnectionString(StandbyReads.ConnectionStringName);

// Read now too: the retry policy of webhook deliveries is configured with Wolverine below.
var webhookSettings = builder.Configuration.GetSection(WebhookSettings.Section).Get<WebhookSettings>() ?? new();

// Every section checked now, not only when the host starts: the commands never start it.
if (
    SettingsValidation
        .Problems(builder.Configuration)
        .Append(SettingsValidation.ConnectionStringProblem("ConnectionStrings:Ledger", connectionString))
        .Append(StandbyReads.Problem(readsConnectionString))
        .Append(ledgerSettings.DigestArchiveProblem(builder.Environment))
        .OfType<string>()
        .ToList() is
    { Count: > 0 } problems
)
    throw new SettingsNotValidException("The configuration is not valid: " + string.Join(" ", problems));

// Webhook deliveries: no redirects (only the registered URL is ever called), no request logging (a URL may carry a
// token), each attempt's time limit set by the handler.
builder
    .Services.AddHttpClient(Salex.Ledger.Api.Features.Webhooks.DeliverRightsChangeHandler.HttpClientName)
    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
    .RemoveAllLoggers();

// The regime: rules and calendar from configuration, the rate schedule from the policy stream (cached; see
// RateScheduleCache). Regime is resolved on each use (transient, a read of the cache), so a request sees the
// schedule current when it began, and code outside a request (the bank importer's tests) can resolve it too.
builder.Services.AddSingleton(sp => new RateScheduleCache(
    sp.GetRequiredService<IOptions<RegimeSettings>>().Value.ToRegime()
));
builder.Services.AddTransient(services => services.GetRequiredService<RateScheduleCache>().Regime);
builder.Services.AddSingleton(sp =>
    ApiKeyRegistry.From(sp.GetRequiredService<IOptions<AuthSettings>>().Value, isDevelopment)
);
builder.Services.AddSingleton<Salex.Ledger.Api.Features.Auditing.DigestArchive>();

// Rights reads on a standby when ConnectionStrings:LedgerReads is set; on the primary otherwise.
builder.Services.AddSingleton(sp => new StandbyReads(
    sp.GetRequiredService<IDocumentStore>(),
    readsConnectionString is { Length: > 0 } ? readsConnectionString : null,
    connectionString
));
builder.Services.AddSingleton<Salex.Ledger.Api.Features.Banks.PartnerBankRegistry>();

// The programme's indicators and their charts (docs/indicators.md); the console's Programme page uses both.
builder.Services.AddSingleton<Salex.Ledger.Api.Features.Indicators.IndicatorsReader>();
builder.Services.AddSingleton<Salex.Ledger.Api.Features.Indicators.IndicatorCharts>();

// In development (and tests) Marten creates and updates the schema at startup; in production a DBA
// applies the SQL written by `db-patch` / `db-apply`, or sets Ledger:CreateSchemaObjects.
var createSchemaObjects = isDevelopment || ledgerSettings.CreateSchemaObjects;

// Ledger:ApplicationRole checked before the migration grants it its rights (they are skipped for a role that does not
// exist): a role other than the default stops the start, the default one missing is a warning.
if (createSchemaObjects)
    builder.Services.AddHostedService<ApplicationRoleCheck>();
var marten = builder
    .Services
    // The role the service connects as in production; migrations grant it append-only rights on the events.
    .AddMarten(opts =>
        LedgerStore.Configure(opts, connectionString, createSchemaObjects, ledgerSettings.ApplicationRole)
    )
    .UseLightweightSessions()
    // Async projections (the reserve) run under Wolverine's leadership: one node at a time.
    .IntegrateWithWolverine(w => w.UseWolverineManagedEventSubscriptionDistribution = true);
if (createSchemaObjects)
    marten.ApplyAllDatabaseChangesOnStartup();

// No start while the event chain is off (a history load running or killed): events would go unhashed.
builder.Services.AddHostedService<EventChainCheck>();

builder.Host.UseWolverine(opts =>
{
    // Pre-generated handler code and no Roslyn in Release builds; generated at run time otherwise.
    GeneratedCode.Configure(opts);
    // Regime comes from the rate cache through a factory, so generated code resolves it from the container.
    opts.CodeGeneration.AlwaysUseServiceLocationFor<Regime>();
    // One node in development and tests; several nodes share the work in production.
    opts.Durability.Mode = isDevelopment ? DurabilityMode.Solo : DurabilityMode.Balanced;
    // Where the schema is the DBA's (db-apply), Wolverine's tables are not compared with its model at every start
    // either (as Marten's are not): that check was part of the cold start (docs/benchmarks.md).
    if (!createSchemaObjects)
        opts.AutoBuildMessageStorageOnStartup = JasperFx.AutoCreate.None;
    // A dead node's agents (the reserve projection, the recurring schedules) move to a live one within about
    // StaleNodeTimeout + HealthCheckPollingTime + CheckAssignmentPeriod (Wolverine's defaults made that 70-100 s);
    // measured in docs/cluster.md.
    opts.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(3);
    opts.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(15);
    opts.Durability.CheckAssignmentPeriod = TimeSpan.FromSeconds(10);
    // A paused async projection restarts after at most this long, however many failures a failover brought.
    opts.Durability.TransientFailureRestartMaxBackoff = ledgerSettings.ProjectionRestartMaxBackoff;
    opts.Policies.UseDurableLocalQueues();
    // Lost races retried, who recorded stamped (the one definition of each).
    opts.ConfigureAccountCommands();
    // Rights changes recorded in the feed, webhook deliveries retried with backoff, then dead-lettered.
    opts.ConfigureRightsChanges(webhookSettings);
    // The command-line import runs the service's handlers in its own process only (no durable agents, schedules or
    // projections), beside a live service.
    if (args.FirstOrDefault() == Salex.Ledger.Api.Features.ImportingBankFiles.ImportBankFileCommand.Name)
    {
        opts.Durability.Mode = DurabilityMode.MediatorOnly;
        return;
    }
    // The lapse sweep, every day at 00:30 in El Salvador (UTC−6 all year: no daylight saving time), and the ledger
    // digest (one hash over every stream's head) at 00:45; Wolverine's recurring agent runs on one node at a time
    // and each occurrence once (Ledger:LapseSweepSchedule, Ledger:DigestSchedule). The sweep carries its occurrence,
    // so that the logs of several nodes show which one ran it.
    var elSalvador = Salex.Ledger.Calendar.ElSalvador.SystemTimeZone;
    opts.Schedules.ScheduleRecurring(
        nameof(Salex.Ledger.Api.Features.Lapsing.SweepLapses),
        ledgerSettings.LapseSweepSchedule,
        occurrence => new Salex.Ledger.Api.Features.Lapsing.SweepLapses(occurrence),
        elSalvador
    );
    // The changes of standing the passage of time makes (arrears, lapses, ends of return windows, children turning
    // twelve), every day at 00:05 El Salvador time (Ledger:RightsSweepSchedule).
    opts.Schedules.ScheduleRecurring<Salex.Ledger.Api.Features.RightsChanges.SweepRightsChanges>(
        ledgerSettings.RightsSweepSchedule,
        elSalvador
    );
    opts.Schedules.ScheduleRecurring<Salex.Ledger.Api.Features.Auditing.RecordLedgerDigest>(
        ledgerSettings.DigestSchedule,
        elSalvador
    );
    // Every hour (Ledger:DigestCatchUpSchedule), today's digest if its occurrence was skipped (a node or the database
    // down at its time).
    opts.Schedules.ScheduleRecurring<Salex.Ledger.Api.Features.Auditing.CatchUpLedgerDigest>(
        ledgerSettings.DigestCatchUpSchedule,
        elSalvador
    );
});

// The payments' group commit: concurrent payments share one transaction (docs/payments-group-commit.md).
builder.Services.AddPaymentWriter();

// After Marten's schema migration (registered above): seeds and loads the rate schedule, then watches it.
builder.Services.AddHostedService<Salex.Ledger.Api.Features.Rates.RateScheduleRefresher>();

builder
    .Services.AddAuthentication(ApiKeyAuthenticationHandler.Scheme)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.Scheme, null)
    // The operations console's cookie session: accepted by the console's pages only, never by /api.
    .AddConsoleCookie();
builder.Services.AddAuthorization();

// The keys that sign the console's cookies and antiforgery tokens, shared by every node through the database.
builder.Services.AddDataProtection().SetApplicationName(SharedKeyRing.ApplicationName);
builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(
    o => o.XmlRepository = new SharedKeyRing(sp.GetRequiredService<IDocumentStore>())
));

// Limits (one place, README "Limits"): every body is held to a JSON body's size unless its route says otherwise
// ([RequestSizeLimit] on the bank-file upload); a larger one is 413, a database that cannot be reached 503.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Limits.JsonBodyBytes);
builder.Services.AddExceptionHandler<Failures>();

// Under /fhir every problem is answered as a FHIR OperationOutcome; registered first, so it is asked first.
builder.Services.AddFhirOutcomes();

// Under /console every problem is a page; the console's antiforgery (docs/console.md).
builder.Services.AddOperationsConsole();

// The framework's own refusals (a body of another media type, a method the route does not answer) say why.
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = FrameworkProblems.Explain);
builder.Services.ConfigureSystemTextJsonForWolverineOrMinimalApi(o => LedgerJson.Configure(o.SerializerOptions));
builder.Services.AddWolverineHttp();
builder.Services.AddLedgerOpenApi();

var app = builder.Build();
if (
    app.Services.GetRequiredService<Salex.Ledger.Api.Features.Auditing.DigestArchive>().Signature
    is not { CanSign: true }
)
    app.Logger.LogWarning("No Ledger:DigestSigningKey is configured: ledger digests are recorded unsigned.");

// Which Wolverine node this process is (wolverine_nodes.id), so that an operator (and tests/cluster-test.sh) can tell
// which process holds an agent.
app.Lifetime.ApplicationStarted.Register(StartFailure.MarkStarted);
app.Lifetime.ApplicationStarted.Register(() =>
    app.Logger.LogInformation(
        "Wolverine node {NodeId} serving {Urls}",
        app.Services.GetRequiredService<WolverineOptions>().UniqueNodeId,
        string.Join(" ", app.Urls)
    )
);

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseInputGuard();

app.MapOpenApi().AllowAnonymous();
if (isDevelopment)
    app.MapScalarApiReference().AllowAnonymous();
app.MapWolverineEndpoints(opts => opts.RejectUnparseableQueryValues = true);
app.MapOperationsConsole();

return await CommandLine.RunAsync(app, args);

/// <summary>The host, visible to the Alba tests.</summary>
public partial class Program;
