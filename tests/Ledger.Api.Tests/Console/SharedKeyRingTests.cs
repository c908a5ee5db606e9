using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Salex.Ledger.Api.Features.OperationsConsole;
using Salex.Projections.Console;
using Shouldly;

namespace Salex.Ledger.Api.Tests.Console;

/// <summary>
/// The console's cookies and antiforgery tokens are protected with keys kept in the ledger's database, so that with
/// several nodes a session opened through one is valid on the others (docs/console.md, docs/cluster.md).
/// </summary>
public sealed class SharedKeyRingTests(LedgerHost fixture) : LedgerTest(fixture)
{
    /// <summary>A node's data protection as the host configures it, over the given store.</summary>
    private static IDataProtector NodeProtector(IDocumentStore store)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName(SharedKeyRing.ApplicationName);
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new SharedKeyRing(store));
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("console");
    }

    [Fact]
    public void the_host_keeps_its_keys_in_the_database()
    {
        Host.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository.ShouldBeOfType<SharedKeyRing>();
    }

    [Fact]
    public async Task what_one_node_protects_another_node_reads_and_the_key_is_a_document()
    {
        var first = NodeProtector(Fixture.Store);
        var protectedByFirst = first.Protect("session of dev-finance");

        // The second node starts after the first wrote its key: it finds that key in the database.
        var second = NodeProtector(Fixture.Store);
        second.Unprotect(protectedByFirst).ShouldBe("session of dev-finance");
        second.Unprotect(second.Protect("token")).ShouldBe("token");

        await using var session = Fixture.Store.QuerySession();
        var keys = await session.Query<DataProtectionKey>().ToListAsync();
        keys.ShouldNotBeEmpty();
        keys.ShouldAllBe(k => k.Xml.StartsWith("<key "));
    }
}
