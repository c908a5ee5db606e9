using System.Text.Encodings.Web;
using System.Text.Json;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// JSON text for people (a CSV cell): the serializer's escapes of non-ASCII characters undone, so a name reads
/// <c>María</c>, not <c>Mar\u00EDa</c>. Quotes, backslashes and control characters stay escaped, as JSON needs.
/// </summary>
public static class PlainJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Of(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
            document.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
