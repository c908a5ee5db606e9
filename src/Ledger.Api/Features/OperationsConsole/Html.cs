using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>
/// Markup built by interpolation, where every hole is HTML-encoded unless it is itself <see cref="Html"/>: names and
/// remittance texts come from banks, so escaping is what happens by default, not something a page must remember.
/// Write <c>Html h = $"&lt;td&gt;{name}&lt;/td&gt;";</c>; only <see cref="Raw"/> (for the console's own constants)
/// skips the encoding.
/// </summary>
[InterpolatedStringHandler]
public sealed class Html
{
    // Letters of every script are kept as they are (Spanish names); markup characters, quotes, controls (a NUL from a
    // bank file) and unpaired surrogates are encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly StringBuilder _text;

    public Html(int literalLength, int formattedCount) =>
        _text = new StringBuilder(literalLength + formattedCount * 16);

    private Html(string raw) => _text = new StringBuilder(raw);

    public static Html Empty => new("");

    /// <summary>Trusted markup: the console's own constants only, never a value from a request or the ledger.</summary>
    public static Html Raw(string markup) => new(markup);

    public static Html Join(IEnumerable<Html> parts)
    {
        var all = new Html("");
        foreach (var part in parts)
            all._text.Append(part._text);
        return all;
    }

    public static string Encode(string? text) => text is null ? "" : Encoder.Encode(text);

    public void AppendLiteral(string literal) => _text.Append(literal);

    public void AppendFormatted(Html? markup)
    {
        if (markup is not null)
            _text.Append(markup._text);
    }

    public void AppendFormatted(IEnumerable<Html> parts)
    {
        foreach (var part in parts)
            _text.Append(part._text);
    }

    public void AppendFormatted(string? text) => _text.Append(Encode(text));

    public void AppendFormatted<T>(T value) => AppendFormatted(value, null);

    public void AppendFormatted<T>(T value, string? format)
    {
        // A list of markup passed as List<Html> or an array binds here, not to the IEnumerable<Html> overload.
        if (value is Html markup)
        {
            AppendFormatted(markup);
            return;
        }
        if (value is IEnumerable<Html> parts)
        {
            AppendFormatted(parts);
            return;
        }
        var text = value switch
        {
            null => "",
            IFormattable f => f.ToString(format, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        _text.Append(Encode(text));
    }

    public override string ToString() => _text.ToString();
}
