using Salex.Ledger.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>A bad setting stops the host when it starts, naming the setting and why; nothing is served.</summary>
public sealed class SettingsAtStartTests
{
    private static Exception StartWith(params (string Key, string Value)[] settings)
    {
        // As the other hosts of the tests: the JasperFx command line starts the host it builds (without this, whether
        // the host started depended on whether another test had set it first).
        JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("environment", "Development");
            // Never reached: the settings are checked before anything connects.
            b.UseSetting("ConnectionStrings:Ledger", "Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=1");
            foreach (var (key, value) in settings) b.UseSetting(key, value);
        });
        try
        {
            return Should.Throw<Exception>(() => factory.Services);
        }
        finally
        {
            factory.Dispose();
        }
    }

    private static string AllMessages(Exception e) =>
        e is AggregateException a ? string.Join(" ", a.InnerExceptions.Select(AllMessages))
        : e.Message + (e.InnerException is { } inner ? " " + AllMessages(inner) : "");

    [Theory]
    [InlineData("Regime:Rules:MinimumAge", "70", "MinimumAge (70) must be below MaximumAge")]
    [InlineData("Regime:Rules:LapseAfterUnpaidPeriods", "0", "Regime:Rules:LapseAfterUnpaidPeriods (0)")]
    [InlineData("Regime:Rates:0:FirstPeriod", "2022-13", "Regime:Rates:0:FirstPeriod: '2022-13'")]
    [InlineData("Regime:Holidays:Fixed:0", "31-12", "Regime:Holidays:Fixed:0: '31-12'")]
    [InlineData("Regime:RatesRefreshSeconds", "0", "Regime:RatesRefreshSeconds (0)")]
    [InlineData("Ledger:ApplicationRole", "salex; drop table x", "Ledger:ApplicationRole")]
    [InlineData("Ledger:DigestSigningKey", "not a key", "Ledger:DigestSigningKey is not an ECDSA P-256 key")]
    [InlineData("Ledger:LapseSweepSchedule", "every day", "Ledger:LapseSweepSchedule 'every day' is not a cron expression")]
    [InlineData("Ledger:RightsSweepSchedule", "5 25 * * *", "Ledger:RightsSweepSchedule '5 25 * * *' is not a cron expression")]
    [InlineData("Ledger:DigestCatchUpSchedule", "hourly", "Ledger:DigestCatchUpSchedule 'hourly' is not a cron expression")]
    [InlineData("Ledger:DigestSchedule", "61 0 * * *", "Ledger:DigestSchedule '61 0 * * *' is not a cron expression")]
    [InlineData("Ledger:ProjectionRestartMaxBackoff", "00:00:00.5", "Ledger:ProjectionRestartMaxBackoff (00:00:00.5000000) must be from 1 second to 1 hour")]
    [InlineData("Ledger:ProjectionRestartMaxBackoff", "2.00:00:00", "Ledger:ProjectionRestartMaxBackoff (2.00:00:00) must be from 1 second to 1 hour")]
    [InlineData("Ledger:ProjectionRestartMaxBackoff", "soon", "Ledger:ProjectionRestartMaxBackoff")]
    [InlineData("ConnectionStrings:LedgerReads", "Host=127.0.0.1;Bogus Key=1", "ConnectionStrings:LedgerReads is not a PostgreSQL connection string")]
    [InlineData("Ledger:PartnerBanks:0:Code", "A/B", "Ledger:PartnerBanks:0:code")]
    [InlineData("Auth:ApiKeys:0:role", "superuser", "Auth:ApiKeys:0:role 'superuser' is not a role")]
    [InlineData("Webhooks:GiveUpAfter", "00:00:10", "Webhooks:GiveUpAfter (00:00:10) must be from 1 minute to 30 days")]
    [InlineData("Webhooks:RetryDelays:0", "00:00:00.001", "Webhooks:RetryDelays: each pause must be from 100 ms")]
    [InlineData("Webhooks:Timeout", "00:05:00", "Webhooks:Timeout (00:05:00) must be from 1 to 60 seconds")]
    [InlineData("Fhir:DuiSystem", "not a uri", "Fhir:DuiSystem 'not a uri' is not an absolute")]
    [InlineData("Fhir:AffiliationSystem", "https://fhir.isss.gob.sv/sid/dui", "Fhir:DuiSystem and Fhir:AffiliationSystem must differ")]
    [InlineData("Indicators:EnrolmentTargetPerYear", "0", "Indicators:EnrolmentTargetPerYear (0) must be from 1")]
    [InlineData("Indicators:MonthlyCostPerCoveredPerson", "42.795", "Indicators:MonthlyCostPerCoveredPerson (42.795) must be more than 0")]
    [InlineData("Indicators:MonthlyCostPerCoveredPerson", "-1", "Indicators:MonthlyCostPerCoveredPerson (-1)")]
    // A second engineer's audit: each of these started, and a list's element the binder could not read was dropped
    // without a word (an 'abc' among the days from Easter removed the Holy Week holidays, and with them due dates and
    // surcharges).
    [InlineData("Regime:Holidays:DaysFromEaster:0", "abc", "Regime:Holidays:DaysFromEaster:0: 'abc' is not a whole number of days")]
    [InlineData("Regime:Holidays:DaysFromEaster:0", "", "Regime:Holidays:DaysFromEaster:0: '' is not a whole number of days")]
    [InlineData("Webhooks:RetryDelays:0", "abc", "Webhooks:RetryDelays:0: 'abc' is not a pause")]
    [InlineData("Webhooks:RetryDelays:0", "", "Webhooks:RetryDelays:0: '' is not a pause")]
    [InlineData("ConnectionStrings:Ledger", "abc", "ConnectionStrings:Ledger is not a PostgreSQL connection string")]
    [InlineData("ConnectionStrings:Ledger", "Host=127.0.0.1;Bogus=1", "ConnectionStrings:Ledger is not a PostgreSQL connection string")]
    [InlineData("ConnectionStrings:Ledger", "Database=salex", "ConnectionStrings:Ledger names no host")]
    // A misspelt setting, or a value where the section has an object or a list, was ignored without a word.
    [InlineData("Regime:Rule:AdvanceMonths", "2", "properties were not found on the instance of Salex.Ledger.Api.Infrastructure.Settings.RegimeSettings: 'Rule'")]
    [InlineData("Webhooks:Timeout2", "00:00:05", "WebhookSettings: 'Timeout2'")]
    [InlineData("Regime:Rules", "abc", "Failed to convert configuration value 'abc' at 'Regime:Rules'")]
    [InlineData("Auth:ApiKeys", "abc", "Failed to convert configuration value 'abc' at 'Auth:ApiKeys'")]
    [InlineData("Ledger:PartnerBanks:0:Name", "BAC\0Credomatic", "Ledger:PartnerBanks:0:name: The bank's name contains a control character")]
    // Where to listen: a port Kestrel cannot bind failed after the migrations with exit 1, naming no setting; a port that
    // is not a number listened on port 80 of every interface.
    [InlineData("urls", "http://127.0.0.1:70000", "urls (ASPNETCORE_URLS, or LEDGER_URLS for run.sh; --urls; Urls): 'http://127.0.0.1:70000' has the port '70000', not a number from 0 to 65535")]
    [InlineData("urls", "http://127.0.0.1:5080;http://127.0.0.1:abc", "'http://127.0.0.1:abc' has the port 'abc'")]
    [InlineData("urls", "127.0.0.1:5080", "'127.0.0.1:5080' is not a URL")]
    [InlineData("urls", "ftp://127.0.0.1:5080", "'ftp://127.0.0.1:5080' has the scheme 'ftp'")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://127.0.0.1:65536", "Kestrel:Endpoints:Http:Url 'http://127.0.0.1:65536' has the port '65536'")]
    public void a_bad_setting_stops_the_host_naming_it(string key, string value, string named)
    {
        value = value.Replace("\\0", "\0");
        var extra = key.StartsWith("Auth:ApiKeys:0:")
            ? new[] { ("Auth:ApiKeys:0:name", "clinic"), ("Auth:ApiKeys:0:sha256", new string('a', 64)) }
            : key == "Ledger:PartnerBanks:0:Name" ? new[] { ("Ledger:PartnerBanks:0:Code", "BAC") }
            : key.StartsWith("Ledger:PartnerBanks:0:") ? new[] { ("Ledger:PartnerBanks:0:Name", "Bank") } : [];
        AllMessages(StartWith([(key, value), .. extra])).ShouldContain(named);
    }

    [Theory]
    [InlineData(null, "rights-reader", "Auth:ApiKeys:0:name is required")]
    [InlineData("clinic", null, "Auth:ApiKeys:0:role '' is not a role")]
    [InlineData("clinic\0x", "rights-reader", "Auth:ApiKeys:0:name contains a control character")]
    public void an_api_key_entry_missing_its_name_or_role_or_with_a_nul_stops_the_host(string? name, string? role, string named)
    {
        // Before: an entry missing its name or role was dropped without a word (its key then answered 401), and a NUL
        // in the name started, then every write of that key was 500.
        var settings = new List<(string, string)> { ("Auth:ApiKeys:0:sha256", new string('a', 64)) };
        if (name is not null) settings.Add(("Auth:ApiKeys:0:name", name.Replace("\\0", "\0")));
        if (role is not null) settings.Add(("Auth:ApiKeys:0:role", role));
        AllMessages(StartWith([.. settings])).ShouldContain(named);
    }

    [Fact]
    public void two_api_key_entries_with_one_hash_stop_the_host() =>
        AllMessages(StartWith(
                ("Auth:ApiKeys:0:name", "clinic"), ("Auth:ApiKeys:0:role", "rights-reader"), ("Auth:ApiKeys:0:sha256", new string('a', 64)),
                ("Auth:ApiKeys:1:name", "finance"), ("Auth:ApiKeys:1:role", "finance"), ("Auth:ApiKeys:1:sha256", new string('A', 64))))
            .ShouldContain("Auth:ApiKeys: two entries have the same sha256");

    [Fact]
    public void a_seed_rate_outside_the_minimum_wage_band_stops_the_host() =>
        AllMessages(StartWith(("Regime:Rates:0:FirstPeriod", "2018-01"), ("Regime:Rates:0:MinimumWage", "5"),
                ("Regime:Rates:1:FirstPeriod", "2019-01"), ("Regime:Rates:1:MinimumWage", "99999999")))
            .ShouldContain("Regime:Rates:0:MinimumWage: 5 is outside Regime:Rules' MinimumWageFloor");

    [Fact]
    public void a_digest_archive_under_a_tilde_stops_the_host() =>
        AllMessages(StartWith(("Ledger:DigestArchive", "~/digests")))
            .ShouldContain("Ledger:DigestArchive '~/digests' starts with '~', which is not expanded here");

    [Fact]
    public void a_digest_archive_that_is_a_file_stops_the_host()
    {
        var file = Path.GetTempFileName();
        try
        {
            AllMessages(StartWith(("Ledger:DigestArchive", file))).ShouldContain($"Ledger:DigestArchive '{file}' is a file, not a folder");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void a_digest_public_key_that_is_not_the_signing_keys_stops_the_host()
    {
        using var signing = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        AllMessages(StartWith(("Ledger:DigestSigningKey", signing.ExportPkcs8PrivateKeyPem()),
                ("Ledger:DigestPublicKey", other.ExportSubjectPublicKeyInfoPem())))
            .ShouldContain("Ledger:DigestPublicKey is not the public key of Ledger:DigestSigningKey");
        // The pair itself is fine: it started as far as the database (which this test does not give it).
        AllMessages(StartWith(("Ledger:DigestSigningKey", signing.ExportPkcs8PrivateKeyPem()),
                ("Ledger:DigestPublicKey", signing.ExportSubjectPublicKeyInfoPem())))
            .ShouldNotContain("Ledger:DigestPublicKey");
    }

    [Fact]
    public void an_api_key_with_a_hash_that_is_not_sha256_stops_the_host() =>
        AllMessages(StartWith(("Auth:ApiKeys:0:name", "clinic"), ("Auth:ApiKeys:0:role", "rights-reader"),
                ("Auth:ApiKeys:0:sha256", "abc")))
            .ShouldContain("Auth:ApiKeys:0:sha256 is not the 64 hexadecimal digits of a SHA-256");
}

/// <summary>
/// The service as a process: a start that fails says why on one line of stderr and exits non-zero (78 for a setting,
/// 1 otherwise), with or without <c>--urls</c>; it aborted (134) with a stack trace, and exited 0 with <c>--urls</c>.
/// </summary>
public sealed class StartFailureProcessTests
{
    private static async Task<(int ExitCode, string Stderr)> RunAsync(string[] args, params (string Key, string Value)[] environment)
    {
        var (code, stderr, _) = await RunWithOutputAsync(args, environment);
        return (code, stderr);
    }

    internal static Task<(int ExitCode, string Stderr, string Stdout)> RunWithOutputAsync(string[] args, params (string Key, string Value)[] environment) =>
        RunInAsync(AppContext.BaseDirectory, args, environment);

    /// <summary>The service's DLL (in this run's output, beside its appsettings files) started from that working
    /// directory; killed if it has not exited within a minute.</summary>
    internal static async Task<(int ExitCode, string Stderr, string Stdout)> RunInAsync(string workingDirectory, string[] args, params (string Key, string Value)[] environment)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ledger.Api.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ConnectionStrings__Ledger"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=2";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A service that started instead of stopping is not left running after the test.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"The process had not exited after 60 s: {await stderr}{await stdout}");
        }
        return (process.ExitCode, await stderr, await stdout);
    }

    /// <summary>A content root that is not a folder stopped the start with only its path for a message, exit 1.</summary>
    [Theory]
    [InlineData("--contentRoot")]
    [InlineData("ASPNETCORE_CONTENTROOT")]
    [InlineData("DOTNET_CONTENTROOT")]
    public async Task a_content_root_that_is_not_a_folder_is_named(string setting)
    {
        const string missing = "/nonexistent/salex-content-root";
        var (code, stderr, stdout) = setting.StartsWith("--")
            ? await RunWithOutputAsync([setting, missing])
            : await RunWithOutputAsync([], (setting, missing));
        code.ShouldBe(StartFailure.SettingNotValid, stderr + stdout);
        stderr.Trim().ShouldBe("The ledger did not start: The configuration is not valid: contentRoot (--contentRoot, "
                               + $"ASPNETCORE_CONTENTROOT, DOTNET_CONTENTROOT) '{missing}' is not a folder.");
    }

    /// <summary>An admin command on a database without the ledger's schema (a second engineer's attack: Marten's stack
    /// trace on stdout, nothing on stderr): one line on stderr that says what is missing, exit 1.</summary>
    [Fact]
    public Task an_admin_command_on_a_database_without_the_schema_says_so_in_one_line() =>
        TestDatabases.WithFreshAsync("no_schema", async database =>
        {
            var (code, stderr, stdout) = await RunWithOutputAsync(["verify-projections"], ("ConnectionStrings__Ledger", database));
            code.ShouldBe(1, stderr + stdout);
            stderr.ShouldStartWith("The database refuses the ledger's configuration (a missing table: was db-apply run on it?");
            stderr.ShouldContain("does not exist");
        });

    /// <summary>The ledger's own admin commands with the database unreachable (a wrong connection string, the server
    /// down): one line that says so, exit 1, not a stack trace of Npgsql's internals.</summary>
    [Theory]
    [InlineData("import-bank-file")]
    [InlineData("verify-ledger")]
    [InlineData("verify-projections")]
    [InlineData("complete-chains")]
    public async Task an_admin_command_says_in_one_line_that_the_database_cannot_be_reached(string command)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, BankFiles.Csv("AGRICOLA,CMD-1,2018-03-05T10:15:00-06:00,999999999,58.72,ONLINE"));
        try
        {
            var (code, stderr, stdout) = await RunWithOutputAsync(command == "import-bank-file" ? [command, file, "--plain"] : [command]);

            code.ShouldBe(1);
            stderr.ShouldContain("The database cannot be reached: Failed to connect to 127.0.0.1:1");
            (stderr + stdout).ShouldNotContain(" at ");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task a_bad_setting_exits_78_with_one_line_naming_it(bool withUrls)
    {
        var (code, stderr) = await RunAsync(withUrls ? ["--urls", "http://127.0.0.1:0"] : [],
            ("Ledger__ProjectionRestartMaxBackoff", "soon"));
        code.ShouldBe(StartFailure.SettingNotValid);
        stderr.Trim().ShouldStartWith("The ledger did not start: Failed to convert configuration value 'soon' at 'Ledger:ProjectionRestartMaxBackoff'");
        stderr.ShouldNotContain(" at Program.");
    }

    /// <summary>A command never starts the host, where the options were validated: a bad setting surfaced at its
    /// first use as a stack trace and exit 1 (a second engineer's audit). Now checked before anything runs.</summary>
    [Theory]
    [InlineData("import-bank-file")]
    [InlineData("verify-projections")]
    [InlineData("db-apply")]
    public async Task a_command_with_a_bad_setting_exits_78_with_one_line_naming_it(string command)
    {
        var file = Path.GetTempFileName();
        try
        {
            var (code, stderr, stdout) = await RunWithOutputAsync(command == "import-bank-file" ? [command, file, "--plain"] : [command],
                ("Regime__Rules__AdvanceMonths", "121"));
            code.ShouldBe(StartFailure.SettingNotValid);
            stderr.ShouldContain("Regime:Rules:AdvanceMonths (121) must be 0 to 120");
            (stderr + stdout).ShouldNotContain(" at ");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task a_setting_refused_when_the_host_starts_exits_78(bool withUrls)
    {
        var (code, stderr) = await RunAsync(withUrls ? ["--urls", "http://127.0.0.1:0"] : [], ("Regime__Rules__MinimumAge", "70"));
        code.ShouldBe(StartFailure.SettingNotValid);
        stderr.Trim().ShouldStartWith("The ledger did not start:");
        stderr.ShouldContain("Regime:Rules: MinimumAge (70) must be below MaximumAge");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task an_unreachable_database_exits_1_naming_it(bool withUrls)
    {
        var (code, stderr) = await RunAsync(withUrls ? ["--urls", "http://127.0.0.1:0"] : []);
        code.ShouldBe(StartFailure.DidNotStart);
        stderr.ShouldContain("The ledger did not start: Failed to connect to 127.0.0.1:1");
    }

    /// <summary>
    /// A service started while the event chain is off (a history load killed before it put the trigger back) would
    /// record payments without their hashes: it does not start, and says what to do. On a database of its own, so
    /// that the trigger of the other tests' database is never off.
    /// </summary>
    [Fact]
    public async Task the_service_does_not_start_while_the_event_chain_is_off()
    {
        var database = TestDatabases.Of("chain_guard");
        async Task Sql(string connectionString, string sql)
        {
            await using var connection = new Npgsql.NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        await TestDatabases.RecreateAsync("chain_guard");
        try
        {
            var onDatabase = ("ConnectionStrings__Ledger", database.ConnectionString);
            (await RunAsync(["db-apply"], onDatabase)).ExitCode.ShouldBe(0);
            await Sql(database.ConnectionString, "alter table salex.mt_events disable trigger event_chain");

            var (code, stderr) = await RunAsync([], onDatabase);

            code.ShouldBe(StartFailure.DidNotStart);
            stderr.ShouldContain("The ledger did not start: Events cannot be recorded: the event chain's trigger "
                + "(salex.mt_events event_chain) is disabled");
            stderr.ShouldContain("db-apply");
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await TestDatabases.DropAsync("chain_guard");
        }
    }
}
