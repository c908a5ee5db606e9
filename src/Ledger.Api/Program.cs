using JasperFx;
using Marten;
using Microsoft.AspNetCore.Authentication;
using NodaTime;
using Salex.Ledger;
using Salex.Ledger.Api.Features.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Projections;
using Scalar.AspNetCore;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

var builder = WebApplication.CreateBuilder(args);
// Where to listen: ASPNETCORE_URLS (run.sh sets it from LEDGER_URLS), --urls or a Urls setting; else the documented
// default. Not in appsettings.json, where it would override the environment.
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:5080");
var isDevelopment = builder.Environment.IsDevelopment();
var connectionString = builder.Configuration.GetConnectionString("Ledger")
    ?? throw new InvalidOperationException("The connection string 'ConnectionStrings:Ledger' is not configured.");

builder.Services.AddSingleton<IClock>(NodaTime.SystemClock.Instance);
// The regime: rules and calendar from configuration, the rate schedule from the policy stream (cached; see
// RateScheduleCache). Regime is resolved on each use (transient, a read of the cache), so a request sees the
// schedule current when it began, and code outside a request (the bank importer's tests) can resolve it too.
builder.Services.AddSingleton(new Salex.Ledger.Api.Features.Rates.RateScheduleCache(RegimeSettings.From(builder.Configuration)));
builder.Services.AddTransient(RegimeSettings.Current);
builder.Services.AddSingleton(ApiKeyRegistry.From(builder.Configuration, isDevelopment));
builder.Services.AddSingleton<Salex.Ledger.Api.Features.Auditing.DigestArchive>();
builder.Services.AddSingleton<Salex.Ledger.Api.Features.Banks.PartnerBankRegistry>();

// In development (and tests) Marten creates and updates the schema at startup; in production a DBA
// applies the SQL written by `db-patch` / `db-apply`, or sets Ledger:CreateSchemaObjects.
var createSchemaObjects = isDevelopment || builder.Configuration.GetValue<bool>("Ledger:CreateSchemaObjects");
// The role the service connects as in production; migrations grant it append-only rights on the events.
var applicationRole = builder.Configuration["Ledger:ApplicationRole"] ?? LedgerStore.DefaultApplicationRole;
if (!System.Text.RegularExpressions.Regex.IsMatch(applicationRole, "^[a-z_][a-z0-9_]{0,62}$"))
    throw new InvalidOperationException(
        $"Ledger:ApplicationRole '{applicationRole}' is not a plain PostgreSQL role name (lower-case letters, digits, _).");
var marten = builder.Services
    .AddMarten(opts =>
    {
        LedgerStore.Configure(opts, connectionString, createSchemaObjects, applicationRole);
        // The host's own documents: registered so that db-apply creates their tables where the schema is not
        // created on the fly (production).
        opts.Schema.For<Salex.Ledger.Api.Features.Paying.PaymentReceipt>();
    })
    .UseLightweightSessions()
    // Async projections (the reserve) run under Wolverine's leadership: one node at a time.
    .IntegrateWithWolverine(w => w.UseWolverineManagedEventSubscriptionDistribution = true);
if (createSchemaObjects) marten.ApplyAllDatabaseChangesOnStartup();

builder.Host.UseWolverine(opts =>
{
    // Pre-generated handler code and no Roslyn in Release builds; generated at run time otherwise.
    GeneratedCode.Configure(opts);
    // Regime comes from the rate cache through a factory, so generated code resolves it from the container.
    opts.CodeGeneration.AlwaysUseServiceLocationFor<Regime>();
    // One node in development and tests; several nodes share the work in production.
    opts.Durability.Mode = isDevelopment ? DurabilityMode.Solo : DurabilityMode.Balanced;
    opts.Policies.UseDurableLocalQueues();
    // A handler that lost a version race runs again on the new state (the one definition of a conflict).
    opts.RetryLostRaces();
    opts.ConfigureAccountCommands();
    // The lapse sweep, every day at 00:30 in El Salvador (UTC−6 all year: no daylight saving time).
    var elSalvador = Salex.Ledger.Calendar.ElSalvador.SystemTimeZone;
    opts.Schedules.ScheduleRecurring<Salex.Ledger.Api.Features.Lapsing.SweepLapses>("30 0 * * *", elSalvador);
    // The ledger digest (one hash over every stream's head), every day at 00:45 El Salvador time.
    opts.Schedules.ScheduleRecurring<Salex.Ledger.Api.Features.Auditing.RecordLedgerDigest>("45 0 * * *", elSalvador);
});

// After Marten's schema migration (registered above): seeds and loads the rate schedule, then watches it.
builder.Services.AddHostedService<Salex.Ledger.Api.Features.Rates.RateScheduleRefresher>();

builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.Scheme)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.Scheme, null);
builder.Services.AddAuthorization();
// Limits (one place, README "Limits"): every body is held to a JSON body's size unless its route says otherwise
// ([RequestSizeLimit] on the bank-file upload); a larger one is 413, a database that cannot be reached 503.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Limits.JsonBodyBytes);
builder.Services.AddExceptionHandler<Failures>();
builder.Services.AddProblemDetails();
builder.Services.ConfigureSystemTextJsonForWolverineOrMinimalApi(o => LedgerJson.Configure(o.SerializerOptions));
builder.Services.AddWolverineHttp();
builder.Services.AddOpenApi();

var app = builder.Build();
if (app.Services.GetRequiredService<Salex.Ledger.Api.Features.Auditing.DigestArchive>().Signature is not { CanSign: true })
    app.Logger.LogWarning("No Ledger:DigestSigningKey is configured: ledger digests are recorded unsigned.");

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseInputGuard();

app.MapOpenApi().AllowAnonymous();
if (isDevelopment) app.MapScalarApiReference().AllowAnonymous();
app.MapWolverineEndpoints(opts => opts.RejectUnparseableQueryValues = true);

return await CommandLine.RunAsync(app, args);

/// <summary>The host, visible to the Alba tests.</summary>
public partial class Program;
