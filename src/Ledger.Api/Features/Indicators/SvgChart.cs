using System.Globalization;
using System.Security;
using System.Text;

namespace Salex.Ledger.Api.Features.Indicators;

/// <summary>
/// A small SVG writer for the indicators' bar and line charts over categories (months, bands, years): axes with
/// round ticks, labels, a legend, dashed lines for targets. Plain SVG 1.1 text with the browser's own sans-serif
/// font, no script and no external reference, so a page shows it without internet access. Chosen over ScottPlot or
/// OxyPlot, whose PNG/SVG output needs SkiaSharp's native assets and installed fonts (docs/indicators.md).
/// </summary>
public sealed class SvgChart(string title, string axisLabel, IReadOnlyList<string> categories)
{
    public const int Width = 800;
    public const int Height = 400;

    private const int Left = 72,
        Right = 24,
        Top = 44,
        Bottom = 96;
    private const string Font = "font-family=\"sans-serif\"";

    // Okabe–Ito: told apart by people with a colour vision deficiency.
    public static readonly string[] Palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9"];

    private readonly List<Series> _series = [];

    private sealed record Series(string Name, IReadOnlyList<decimal?> Values, string Colour, bool IsBar, bool Dashed);

    /// <summary>Bars, one per category; several bar series stand side by side.</summary>
    public SvgChart Bars(string name, IEnumerable<decimal> values, string colour)
    {
        _series.Add(new Series(name, values.Select(v => (decimal?)v).ToList(), colour, true, false));
        return this;
    }

    /// <summary>A line through the categories' centres; a null value breaks it.</summary>
    public SvgChart Line(string name, IEnumerable<decimal?> values, string colour, bool dashed = false)
    {
        _series.Add(new Series(name, values.ToList(), colour, false, dashed));
        return this;
    }

    /// <summary>The axis' values as text: whole numbers grouped by thousands, or with the decimals they need, and
    /// the suffix (" %").</summary>
    public string Suffix { get; init; } = "";

    public string NoData { get; init; } = "No data";

    /// <summary>Counts of persons: the axis steps by whole numbers.</summary>
    public bool WholeSteps { get; init; }

    public string Render()
    {
        var svg = new StringBuilder();
        svg.Append(
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Esc(title)}\">\n"
        );
        svg.Append($"<title>{Esc(title)}</title>\n");
        svg.Append($"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>\n");
        svg.Append(
            $"<text x=\"{Width / 2}\" y=\"24\" text-anchor=\"middle\" {Font} font-size=\"16\" font-weight=\"bold\" fill=\"#222222\">{Esc(title)}</text>\n"
        );

        var values = _series.SelectMany(s => s.Values).OfType<decimal>().ToList();
        if (categories.Count == 0 || values.Count == 0)
        {
            svg.Append(
                $"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" {Font} font-size=\"14\" fill=\"#555555\">{Esc(NoData)}</text>\n"
            );
            Legend(svg);
            return svg.Append("</svg>\n").ToString();
        }

        var (low, high, step) = Scale(Math.Min(0m, values.Min()), Math.Max(0m, values.Max()), WholeSteps);
        double plotW = Width - Left - Right,
            plotH = Height - Top - Bottom;
        double Y(decimal v) => Top + plotH - (double)((v - low) / (high - low)) * plotH;
        var slot = plotW / categories.Count;
        double X(int i) => Left + slot * (i + 0.5);

        // Grid and the value axis.
        svg.Append("<g class=\"axis y\">\n");
        for (var v = low; v <= high; v += step)
        {
            var y = Fmt(Y(v));
            svg.Append(
                $"<line x1=\"{Left}\" y1=\"{y}\" x2=\"{Width - Right}\" y2=\"{y}\" stroke=\"#dddddd\" stroke-width=\"1\"/>\n"
            );
            svg.Append(
                $"<text x=\"{Left - 6}\" y=\"{y}\" dy=\"4\" text-anchor=\"end\" {Font} font-size=\"11\" fill=\"#333333\">{Esc(Number(v) + Suffix)}</text>\n"
            );
        }
        svg.Append(
            $"<text transform=\"translate(16 {Fmt(Top + plotH / 2)}) rotate(-90)\" text-anchor=\"middle\" {Font} font-size=\"12\" fill=\"#333333\">{Esc(axisLabel)}</text>\n"
        );
        svg.Append("</g>\n");

        // Categories: every label when they fit, else one in n (a long range of months).
        var every = Math.Max(1, (int)Math.Ceiling(categories.Count / 24.0));
        var slanted = categories.Count > 8;
        svg.Append("<g class=\"axis x\">\n");
        svg.Append(
            $"<line x1=\"{Left}\" y1=\"{Fmt(Y(0))}\" x2=\"{Width - Right}\" y2=\"{Fmt(Y(0))}\" stroke=\"#333333\" stroke-width=\"1\"/>\n"
        );
        for (var i = 0; i < categories.Count; i += every)
        {
            var (x, y) = (Fmt(X(i)), Fmt(Top + plotH + 14));
            svg.Append(
                slanted
                    ? $"<text transform=\"translate({x} {y}) rotate(-45)\" text-anchor=\"end\" {Font} font-size=\"11\" fill=\"#333333\">{Esc(categories[i])}</text>\n"
                    : $"<text x=\"{x}\" y=\"{y}\" text-anchor=\"middle\" {Font} font-size=\"11\" fill=\"#333333\">{Esc(categories[i])}</text>\n"
            );
        }
        svg.Append("</g>\n");

        var bars = _series.Where(s => s.IsBar).ToList();
        var barW = slot * 0.8 / Math.Max(1, bars.Count);
        for (var b = 0; b < bars.Count; b++)
        {
            var s = bars[b];
            svg.Append($"<g class=\"series bar\" data-series=\"{Esc(s.Name)}\" fill=\"{s.Colour}\">\n");
            for (var i = 0; i < categories.Count && i < s.Values.Count; i++)
            {
                if (s.Values[i] is not { } v)
                    continue;
                var (y0, y1) = (Y(0), Y(v));
                var x = Left + slot * i + slot * 0.1 + barW * b;
                svg.Append(
                    $"<rect x=\"{Fmt(x)}\" y=\"{Fmt(Math.Min(y0, y1))}\" width=\"{Fmt(barW)}\" height=\"{Fmt(Math.Abs(y0 - y1))}\"><title>{Esc($"{s.Name}, {categories[i]}: {Number(v)}{Suffix}")}</title></rect>\n"
                );
            }
            svg.Append("</g>\n");
        }
        foreach (var s in _series.Where(s => !s.IsBar))
        {
            svg.Append(
                $"<g class=\"series line\" data-series=\"{Esc(s.Name)}\" stroke=\"{s.Colour}\" fill=\"{s.Colour}\">\n"
            );
            var run = new List<string>();
            void Flush()
            {
                if (run.Count > 1)
                    svg.Append(
                        $"<polyline fill=\"none\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"6 4\"" : "")} points=\"{string.Join(' ', run)}\"/>\n"
                    );
                run.Clear();
            }
            for (var i = 0; i < categories.Count && i < s.Values.Count; i++)
            {
                if (s.Values[i] is not { } v)
                {
                    Flush();
                    continue;
                }
                run.Add($"{Fmt(X(i))},{Fmt(Y(v))}");
                if (!s.Dashed)
                    svg.Append(
                        $"<circle cx=\"{Fmt(X(i))}\" cy=\"{Fmt(Y(v))}\" r=\"2.5\"><title>{Esc($"{s.Name}, {categories[i]}: {Number(v)}{Suffix}")}</title></circle>\n"
                    );
            }
            Flush();
            svg.Append("</g>\n");
        }
        Legend(svg);
        return svg.Append("</svg>\n").ToString();
    }

    private void Legend(StringBuilder svg)
    {
        svg.Append("<g class=\"legend\">\n");
        double x = Left;
        const int y = Height - 16;
        foreach (var s in _series)
        {
            svg.Append(
                s.IsBar
                    ? $"<rect x=\"{Fmt(x)}\" y=\"{y - 9}\" width=\"12\" height=\"12\" fill=\"{s.Colour}\"/>\n"
                    : $"<line x1=\"{Fmt(x)}\" y1=\"{y - 3}\" x2=\"{Fmt(x + 16)}\" y2=\"{y - 3}\" stroke=\"{s.Colour}\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"6 4\"" : "")}/>\n"
            );
            svg.Append(
                $"<text x=\"{Fmt(x + 20)}\" y=\"{y + 1}\" {Font} font-size=\"12\" fill=\"#222222\">{Esc(s.Name)}</text>\n"
            );
            x += 20 + 7.2 * s.Name.Length + 18; // about 7 px a character at 12 px
        }
        svg.Append("</g>\n");
    }

    /// <summary>An axis from <paramref name="min"/> to <paramref name="max"/> in about five round steps (1, 2 or 5
    /// times a power of ten).</summary>
    public static (decimal Low, decimal High, decimal Step) Scale(decimal min, decimal max, bool wholeSteps = false)
    {
        if (max <= min)
            max = min + 1;
        var raw = (double)(max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = (decimal)(new[] { 1.0, 2.0, 5.0, 10.0 }.First(f => f * magnitude >= raw * 0.999999) * magnitude);
        if (wholeSteps && step < 1)
            step = 1;
        var low = Math.Floor(min / step) * step;
        var high = Math.Ceiling(max / step) * step;
        return (low, high == low ? low + step : high, step);
    }

    private static string Number(decimal v) =>
        v == Math.Round(v)
            ? v.ToString("#,0", CultureInfo.InvariantCulture)
            : v.ToString("#,0.##", CultureInfo.InvariantCulture);

    private static string Fmt(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Esc(string text) => SecurityElement.Escape(text) ?? "";
}
