using Microsoft.Extensions.Hosting;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.Settings;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// The settings files are the application directory's, and a relative path in a setting is taken from there, whatever
/// the working directory: started anywhere but from <c>src/Ledger.Api</c> (the build's DLL from the repository's root,
/// the published DLL), the service read no <c>appsettings*.json</c> (Development without its signing key, its digests
/// unsigned) and put its archive somewhere else.
/// </summary>
public sealed class SettingsFromAnyDirectoryTests
{
    private static readonly string Repository = Path.GetFullPath(
        Path.Combine(AppContext.BaseDirectory, "../../../../..")
    );

    private static IHostEnvironment Environment(string name, string contentRoot) =>
        new Microsoft.Extensions.Hosting.Internal.HostingEnvironment
        {
            EnvironmentName = name,
            ContentRootPath = contentRoot,
        };

    /// <summary>Development's settings (appsettings.Development.json: the signing key) read by a service started from
    /// another directory, proven by a public key that is not the signing key's: only the signing key read from that
    /// file can refuse it.</summary>
    [Fact]
    public async Task developments_settings_are_read_from_the_applications_directory_wherever_it_is_started()
    {
        var elsewhere = Directory.CreateTempSubdirectory("salex-cwd-").FullName;
        using var other = System.Security.Cryptography.ECDsa.Create(
            System.Security.Cryptography.ECCurve.NamedCurves.nistP256
        );
        try
        {
            var (code, stderr, stdout) = await StartFailureProcessTests.RunInAsync(
                elsewhere,
                [],
                ("ASPNETCORE_ENVIRONMENT", "Development"),
                ("Ledger__DigestPublicKey", other.ExportSubjectPublicKeyInfoPem())
            );

            code.ShouldBe(StartFailure.SettingNotValid, stderr + stdout);
            stderr.ShouldContain("Ledger:DigestPublicKey is not the public key of Ledger:DigestSigningKey");

            (code, stderr, stdout) = await StartFailureProcessTests.RunInAsync(
                elsewhere,
                [],
                ("ASPNETCORE_ENVIRONMENT", "Development")
            );

            // As far as the database (which this test does not give it), and signing.
            code.ShouldBe(StartFailure.DidNotStart, stderr + stdout);
            stderr.ShouldContain("The ledger did not start: Failed to connect to 127.0.0.1:1");
            stdout.ShouldNotContain("No Ledger:DigestSigningKey is configured");
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    /// <summary>A relative <c>Ledger:DigestArchive</c> is taken from the application's directory, not from the working
    /// directory: the file the check finds there is where the digests would have gone.</summary>
    [Fact]
    public async Task a_relative_digest_archive_is_taken_from_the_applications_directory_not_the_working_directory()
    {
        var name = $"archive-{Guid.NewGuid():N}";
        var inApplication = Path.Combine(AppContext.BaseDirectory, name);
        await File.WriteAllTextAsync(inApplication, "a file, not a folder");
        var elsewhere = Directory.CreateTempSubdirectory("salex-cwd-").FullName;
        try
        {
            var (code, stderr, stdout) = await StartFailureProcessTests.RunInAsync(
                elsewhere,
                [],
                ("Ledger__DigestArchive", name)
            );

            code.ShouldBe(StartFailure.SettingNotValid, stderr + stdout);
            stderr
                .Trim()
                .ShouldBe(
                    "The ledger did not start: The configuration is not valid: "
                        + $"Ledger:DigestArchive '{name}' ({inApplication}) is a file, not a folder."
                );
        }
        finally
        {
            File.Delete(inApplication);
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    /// <summary>Development's archive, unset, is the repository's <c>.digests</c> (where <c>./run.sh</c> always put it)
    /// from the build's output, the tests' output, a publish into <c>artifacts/api</c> or the project's folder alike; it
    /// was <c>../../.digests</c> from the working directory.</summary>
    [Fact]
    public void developments_digest_archive_is_the_repositorys_wherever_the_service_runs()
    {
        File.Exists(Path.Combine(Repository, "Ledger.sln")).ShouldBeTrue();
        foreach (
            var root in new[]
            {
                AppContext.BaseDirectory,
                Path.Combine(Repository, "src", "Ledger.Api", "bin", "Debug", "net10.0"),
                Path.Combine(Repository, "src", "Ledger.Api"),
                Path.Combine(Repository, "artifacts", "api"),
            }
        )
            new LedgerSettings()
                .DigestArchiveFolder(Environment("Development", root))
                .ShouldBe(Path.Combine(Repository, ".digests"));
        // Outside a repository: the application's own .digests; elsewhere than Development: none unless given.
        new LedgerSettings()
            .DigestArchiveFolder(Environment("Development", "/srv/ledger"))
            .ShouldBe("/srv/ledger/.digests");
        new LedgerSettings().DigestArchiveFolder(Environment("Production", AppContext.BaseDirectory)).ShouldBeNull();
        new LedgerSettings { DigestArchive = "archive" }
            .DigestArchiveFolder(Environment("Production", "/srv/ledger"))
            .ShouldBe("/srv/ledger/archive");
        new LedgerSettings { DigestArchive = "/var/lib/salex/digests" }
            .DigestArchiveFolder(Environment("Development", "/srv/ledger"))
            .ShouldBe("/var/lib/salex/digests");
    }

    /// <summary>A content root given explicitly (<c>codegen.sh</c>'s <c>--contentroot</c>, the tests' hosts) is the
    /// host's; otherwise the application's directory.</summary>
    [Fact]
    public void the_content_root_is_the_applications_directory_unless_one_is_given()
    {
        ContentRoot.For([]).ShouldBe(AppContext.BaseDirectory);
        ContentRoot.For(["db-apply"]).ShouldBe(AppContext.BaseDirectory);
        ContentRoot.For(["codegen", "write", "--contentroot", "/tmp/root"]).ShouldBeNull();
        ContentRoot.For(["--contentRoot=/tmp/root"]).ShouldBeNull();
    }
}
