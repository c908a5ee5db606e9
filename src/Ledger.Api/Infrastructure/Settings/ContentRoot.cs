namespace Salex.Ledger.Api.Infrastructure.Settings;

/// <summary>
/// Where the service reads <c>appsettings.json</c> and <c>appsettings.{Environment}.json</c>, and what a relative path
/// in a setting (<c>Ledger:DigestArchive</c>) is taken from: the application's own directory (the build or publish
/// output, where the build copies the JSON files), whatever the working directory. ASP.NET Core's default, the working
/// directory, gave a service started from anywhere but <c>src/Ledger.Api</c> (the published DLL, the build's DLL from
/// the repository's root) no Development settings at all (no signing key, no archive) and its archive somewhere else.
/// A content root given explicitly (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>, <c>DOTNET_CONTENTROOT</c>:
/// <c>codegen.sh</c>, the tests' hosts) is the host's to take.
/// </summary>
public static class ContentRoot
{
    /// <summary>The application's directory, or null when a content root is given (the host then takes that one).</summary>
    public static string? For(string[] args) => For(Given(args));

    /// <summary>As <see cref="For(string[])"/>, for the content root already read by <see cref="Given"/>.</summary>
    public static string? For(string? given) => string.IsNullOrEmpty(given) ? AppContext.BaseDirectory : null;

    /// <summary>
    /// Why the content root given cannot be used, or null: a folder that does not exist stopped the start with only
    /// its path for a message, exit 1. A relative one is taken from the application's directory, as the host takes it.
    /// </summary>
    public static string? Problem(string? given)
    {
        if (string.IsNullOrEmpty(given))
            return null;
        var folder = Path.GetFullPath(given, AppContext.BaseDirectory);
        return Directory.Exists(folder)
            ? null
            : $"contentRoot (--contentRoot, ASPNETCORE_CONTENTROOT, DOTNET_CONTENTROOT) '{given}' is not a folder"
                + (folder == given ? "." : $" ({folder}, taken from the application's directory).");
    }

    /// <summary>The content root the environment or the command line gives, or null.</summary>
    public static string? Given(string[] args) =>
        new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[WebHostDefaults.ContentRootKey];

    /// <summary>
    /// Development's digest archive when <c>Ledger:DigestArchive</c> is not set: <c>.digests</c> in the repository the
    /// service runs from (the nearest folder above the content root that holds <c>Ledger.sln</c>: the build output, the
    /// tests' output, <c>artifacts/api</c>), the folder <c>./run.sh</c> has always used; outside a repository,
    /// <c>.digests</c> in the content root.
    /// </summary>
    public static string DevelopmentDigestArchive(string contentRoot)
    {
        for (var folder = new DirectoryInfo(contentRoot); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Ledger.sln")))
                return Path.Combine(folder.FullName, ".digests");
        return Path.Combine(Path.GetFullPath(contentRoot), ".digests");
    }
}
