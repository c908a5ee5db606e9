using System.Text.Json;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// Reads a JSON request body, turning malformed JSON and wrong types into a 400 problem that names the
/// field, instead of a bare error.
/// </summary>
public static class JsonBody
{
    /// <summary>The ledger's options but with duplicate properties allowed, to tell a duplicate from other faults.</summary>
    private static readonly JsonSerializerOptions DuplicatesAllowed = new(LedgerJson.Options)
    {
        AllowDuplicateProperties = true,
    };

    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken ct)
        where T : class
    {
        if (!request.HasJsonContentType())
            return (null, Problems.Invalid("body", "The body must be JSON (Content-Type: application/json)."));
        // JSON is read as UTF-8 (RFC 8259); a body declared in another charset would be misread.
        var charset = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(
            Microsoft.Net.Http.Headers.MediaTypeHeaderValue.Parse(request.ContentType).Charset
        );
        if (
            charset.HasValue
            && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
        )
            return (
                null,
                Problems.Invalid(
                    "Content-Type",
                    $"The body is declared as charset={charset}; JSON bodies are read as UTF-8 only (RFC 8259)."
                )
            );
        // Kept (in memory: bodies are at most Limits.JsonBodyBytes) so that a refused body can be read again.
        request.EnableBuffering(bufferThreshold: (int)Limits.JsonBodyBytes);
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, LedgerJson.Options, ct);
            return body is null ? (null, Problems.Invalid("body", "A JSON object is required.")) : (body, null);
        }
        catch (JsonValueRefused e)
        {
            return (null, Problems.Invalid(Problems.FieldOf(e), e.Message));
        }
        catch (JsonException e)
        {
            if (await IsDuplicateAsync<T>(request, e, ct))
                return (null, Problems.Invalid(Problems.FieldOf(e), "The field is given more than once."));
            // A value of the wrong type names its field; broken JSON syntax (the reader's own exception, wrapped)
            // is a fault of the whole body.
            var wrongType = e.InnerException is not JsonException;
            if (!wrongType && e.InnerException!.Message.Contains("maximum configured depth", StringComparison.Ordinal))
                return (
                    null,
                    Problems.Invalid(
                        "body",
                        $"The body is nested deeper than {(LedgerJson.Options.MaxDepth is > 0 and var depth ? depth : 64)} levels (line "
                            + $"{e.LineNumber + 1}, byte {e.BytePositionInLine + 1})."
                    )
                );
            return wrongType
                ? (null, Problems.Invalid(Problems.FieldOf(e), "The value has the wrong type or format."))
                : (
                    null,
                    Problems.Invalid(
                        "body",
                        $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})."
                    )
                );
        }
    }

    /// <summary>
    /// Whether the serializer refused the body for a property given twice. Its exception says so only in its message,
    /// whose wording a .NET release may change; so the body is read again with duplicates allowed. Up to the first
    /// duplicate both reads are the same: if the second read fails at the same place, the fault was something else.
    /// </summary>
    private static async Task<bool> IsDuplicateAsync<T>(
        HttpRequest request,
        JsonException refused,
        CancellationToken ct
    )
    {
        request.Body.Position = 0;
        try
        {
            await JsonSerializer.DeserializeAsync<T>(request.Body, DuplicatesAllowed, ct);
            return true;
        }
        catch (JsonException other)
        {
            return (other.LineNumber, other.BytePositionInLine) != (refused.LineNumber, refused.BytePositionInLine);
        }
    }
}
