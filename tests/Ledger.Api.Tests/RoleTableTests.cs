using System.Text.RegularExpressions;
using Alba;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// The README's API table says which roles may call each route; the host must agree, role by role: a role the
/// table names is never 403, a role it does not name always is. (The table once said "every role" where the
/// policy-admin key got 403.)
/// </summary>
public sealed partial class RoleTableTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private static readonly Dictionary<string, string> RoleKeys = new()
    {
        ["enrolment"] = Keys.Enrolment, ["finance"] = Keys.Finance, ["auditor"] = Keys.Auditor,
        ["rights-reader"] = Keys.RightsReader, ["admin"] = Keys.Admin, ["policy-admin"] = Keys.PolicyAdmin,
    };

    [GeneratedRegex(@"`(GET|POST|DELETE) (/[^`?\s]+)[^`]*`")]
    private static partial Regex RouteCell();

    private static IEnumerable<(string Method, string Route, string[] Roles)> ReadmeTable()
    {
        var readme = Path.Combine(AppContext.BaseDirectory, "../../../../../README.md");
        foreach (var line in File.ReadLines(readme).Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 4) continue;
            var roles = cells[2] == "every role" ? [.. RoleKeys.Keys] : cells[2].Split(',', StringSplitOptions.TrimEntries);
            if (!roles.All(RoleKeys.ContainsKey)) continue;   // not the API table
            foreach (Match route in RouteCell().Matches(cells[1]))
                yield return (route.Groups[1].Value, route.Groups[2].Value, roles);
        }
    }

    [Fact]
    public async Task every_route_answers_403_exactly_to_the_roles_the_readme_leaves_out()
    {
        var number = await Host.EnrolAsync();
        var table = ReadmeTable().ToList();
        table.Count.ShouldBeGreaterThan(25);
        var disagreements = new List<string>();
        foreach (var (method, route, allowed) in table)
        foreach (var (role, key) in RoleKeys)
        {
            var url = route.Replace("{n}", number).Replace("{id}", "x").Replace("{year}", "2018")
                .Replace("{date}", "2026-11-23").Replace("{fileId}", "BF-0").Replace("{code}", "AGRICOLA")
                .Replace("{chart}", "enrolments");
            var result = await Host.Scenario(s =>
            {
                if (method == "GET") s.Get.Url(url);
                else if (method == "DELETE") s.Delete.Url(url);
                else s.Post.Json(new { }).ToUrl(url);   // JSON: routing answers 415 to other bodies before authorization
                s.WithRequestHeader("X-Api-Key", key);
                s.IgnoreStatusCode();
            });
            var forbidden = result.Context.Response.StatusCode == 403;
            if (forbidden == allowed.Contains(role))
                disagreements.Add($"{method} {route} as {role}: {result.Context.Response.StatusCode}");
        }
        disagreements.ShouldBeEmpty();
    }
}
