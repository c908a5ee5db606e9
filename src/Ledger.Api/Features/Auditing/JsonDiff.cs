using System.Text.Json;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>Structural comparison of two JSON values: objects by property, arrays by position, numbers by value,
/// strings by text.</summary>
public static class JsonDiff
{
    public static void Compare(
        string path,
        JsonElement stored,
        JsonElement recomputed,
        Action<string, string?, string?> report
    )
    {
        if (stored.ValueKind == JsonValueKind.Object && recomputed.ValueKind == JsonValueKind.Object)
        {
            var left = stored.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
            var right = recomputed.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
            foreach (var name in left.Keys.Union(right.Keys).Order(StringComparer.Ordinal))
            {
                var child = $"{path}.{name}";
                if (!left.TryGetValue(name, out var l))
                    report(child, null, right[name].GetRawText());
                else if (!right.TryGetValue(name, out var r))
                    report(child, l.GetRawText(), null);
                else
                    Compare(child, l, r, report);
            }
            return;
        }
        if (stored.ValueKind == JsonValueKind.Array && recomputed.ValueKind == JsonValueKind.Array)
        {
            var (l, r) = (stored.EnumerateArray().ToList(), recomputed.EnumerateArray().ToList());
            for (var i = 0; i < Math.Max(l.Count, r.Count); i++)
            {
                if (i >= l.Count)
                    report($"{path}[{i}]", null, r[i].GetRawText());
                else if (i >= r.Count)
                    report($"{path}[{i}]", l[i].GetRawText(), null);
                else
                    Compare($"{path}[{i}]", l[i], r[i], report);
            }
            return;
        }
        if (
            stored.ValueKind == JsonValueKind.Number
            && recomputed.ValueKind == JsonValueKind.Number
            && stored.TryGetDecimal(out var a)
            && recomputed.TryGetDecimal(out var b)
        )
        {
            if (a != b)
                report(path, stored.GetRawText(), recomputed.GetRawText());
            return;
        }
        if (stored.ValueKind == JsonValueKind.String && recomputed.ValueKind == JsonValueKind.String)
        {
            // Compare the text, not its escaping (jsonb keeps "María" where the serializer writes "Mar\u00EDa").
            if (stored.GetString() != recomputed.GetString())
                report(path, stored.GetString(), recomputed.GetString());
            return;
        }
        if (stored.ValueKind != recomputed.ValueKind || stored.GetRawText() != recomputed.GetRawText())
            report(path, stored.GetRawText(), recomputed.GetRawText());
    }
}
