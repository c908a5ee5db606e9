using System.Text.Json.Nodes;
using Alba;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Salex.Ledger.Api.Tests.Contract;

/// <summary>The OpenAPI document as the real host serves it, read with Microsoft.OpenApi, and the committed copy the
/// generated client is built from.</summary>
public static class ServedDocument
{
    public const string Url = "/openapi/v1.json";

    public static async Task<string> TextAsync(IAlbaHost host)
    {
        var result = await host.Scenario(s =>
        {
            s.Get.Url(Url);
            s.StatusCodeShouldBeOk();
        });
        return await result.ReadAsTextAsync();
    }

    public static OpenApiDocument Read(string json)
    {
        var read = OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings());
        var errors = read.Diagnostic?.Errors ?? [];
        if (errors.Count > 0)
            throw new InvalidOperationException(
                "The served OpenAPI document does not read: " + string.Join("; ", errors.Select(e => $"{e.Pointer}: {e.Message}"))
            );
        return read.Document ?? throw new InvalidOperationException("No document was read.");
    }

    /// <summary>openapi/v1.json at the repository root: the copy integrators and the generated client read.</summary>
    public static string CommittedPath
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ledger.sln")))
                dir = dir.Parent;
            return Path.Combine(
                dir?.FullName ?? throw new InvalidOperationException("Ledger.sln not found above the test binaries."),
                "openapi",
                "v1.json"
            );
        }
    }

    /// <summary>Formatted as the committed copy is: indented, one trailing line end.</summary>
    public static string Canonical(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n";
}
