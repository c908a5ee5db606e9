using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Salex.Projections.Console;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>
/// The data-protection key ring in the ledger's database (<see cref="DataProtectionKey"/> documents) instead of each
/// process's own folder: with several nodes behind a load balancer, a console cookie or antiforgery token issued by one
/// node must be readable by the next. ASP.NET Core asks for the keys rarely (at start and when a key nears its end), so
/// the synchronous calls of <see cref="IXmlRepository"/> cost nothing per request.
/// </summary>
public sealed class SharedKeyRing(IDocumentStore store) : IXmlRepository
{
    /// <summary>The application name every node shares: keys protect payloads only for the same name.</summary>
    public const string ApplicationName = "salex-ledger";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var session = store.QuerySession();
        // IXmlRepository is synchronous; Marten reads and writes asynchronously (rare calls, outside requests).
        var keys = session.Query<DataProtectionKey>().ToListAsync().GetAwaiter().GetResult();
        return keys.Select(k => XElement.Parse(k.Xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var session = store.LightweightSession();
        session.Store(new DataProtectionKey(friendlyName, element.ToString(SaveOptions.DisableFormatting)));
        session.SaveChangesAsync().GetAwaiter().GetResult();
    }
}
