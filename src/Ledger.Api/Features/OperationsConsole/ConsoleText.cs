namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>
/// The console's words in Spanish, keyed by their English: a page writes <c>page.T("Bank files")</c> and reads
/// "Archivos bancarios" in Spanish (the default) or the key itself in English. A test checks that every key a page
/// uses has its Spanish. The ledger's own messages (problem details) stay as the API writes them.
/// </summary>
public static class ConsoleText
{
    public static string Translate(string english, string language) =>
        language == "es" && Spanish.TryGetValue(english, out var spanish) ? spanish : english;

    public static readonly IReadOnlyDictionary<string, string> Spanish = new Dictionary<string, string>
    {
        ["Operations console"] = "Consola de operaciones",
    };
}
