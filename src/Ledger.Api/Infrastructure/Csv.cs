using System.Globalization;
using System.Text;
using Microsoft.Net.Http.Headers;
using NodaTime;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// CSV downloads for the auditors' spreadsheets (RFC 4180): a header row, fields quoted when they hold a
/// comma, a quote or a line break, CRLF line ends, UTF-8, invariant culture. Money (a decimal) is written
/// with two decimals; dates as yyyy-MM-dd, periods as yyyy-MM, instants as ISO 8601.
/// </summary>
public static class Csv
{
    public const string ContentType = "text/csv";

    /// <summary>True when the request's <c>Accept</c> header asks for <c>text/csv</c>.</summary>
    public static bool Wants(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(a =>
            a.MediaType.Equals(ContentType, StringComparison.OrdinalIgnoreCase) && (a.Quality ?? 1) > 0
        );

    /// <summary>A <c>text/csv</c> attachment named <paramref name="fileName"/>; rows are written as they are
    /// enumerated.</summary>
    public static IResult Result(string fileName, IEnumerable<string> header, IEnumerable<IEnumerable<object?>> rows) =>
        new CsvResult(fileName, header, rows.ToAsyncEnumerable());

    /// <summary>The same, for rows read from the database as they are written out: a big report is never in memory
    /// whole.</summary>
    public static IResult Result(
        string fileName,
        IEnumerable<string> header,
        IAsyncEnumerable<IEnumerable<object?>> rows
    ) => new CsvResult(fileName, header, rows);

    /// <summary>The whole document as a string (header and rows, CRLF after each).</summary>
    public static string Write(IEnumerable<string> header, IEnumerable<IEnumerable<object?>> rows)
    {
        var text = new StringBuilder();
        text.Append(Line(header)).Append("\r\n");
        foreach (var row in rows)
            text.Append(Line(row)).Append("\r\n");
        return text.ToString();
    }

    /// <summary>One record, without its line end.</summary>
    public static string Line(IEnumerable<object?> fields) => string.Join(',', fields.Select(f => Quote(Format(f))));

    /// <summary>A value as the spreadsheet should see it, culture-independent.</summary>
    public static string Format(object? value) =>
        value switch
        {
            null => "",
            string s => Inert(s),
            // Money to the cent; a rate with more places (0.0932) keeps them.
            decimal d => decimal.Round(d, 2) == d
                ? d.ToString("0.00", CultureInfo.InvariantCulture)
                : d.ToString(CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            LocalDate date => Dates.Format(date),
            YearMonth period => Periods.Format(period),
            Instant instant => NodaTime.Text.InstantPattern.ExtendedIso.Format(instant),
            DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
            Enum e => e.ToString(),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

    /// <summary>
    /// Text that a spreadsheet would run as a formula (a bank file's field or a reason quoting it may start
    /// with =, +, -, @ or a control character) gets a leading apostrophe, so it is shown, not evaluated.
    /// Numbers are written by their own cases above, so a negative amount stays a number.
    /// </summary>
    public static string Inert(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    /// <summary>RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";

    private sealed class CsvResult(
        string fileName,
        IEnumerable<string> header,
        IAsyncEnumerable<IEnumerable<object?>> rows
    ) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
            {
                FileNameStar = fileName,
            }.ToString();
            await using var writer = new StreamWriter(
                context.Response.Body,
                new UTF8Encoding(false),
                16 * 1024,
                leaveOpen: true
            );
            await writer.WriteAsync(Line(header) + "\r\n");
            await foreach (var row in rows.WithCancellation(context.RequestAborted))
                await writer.WriteAsync(Line(row) + "\r\n");
            await writer.FlushAsync(context.RequestAborted);
        }
    }
}
