using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Alba;
using Salex.Ledger.Api.Features.ImportingBankFiles;
using Shouldly;

namespace Salex.Ledger.Api.Tests.BankStatements;

/// <summary>
/// Real camt.053 statements published by other projects (corpus/README.md says where each comes from), each run
/// through the importer: every booked credit's money is in the file's <c>received</c>, to the cent, as the statement
/// itself counts it, and the statement's own totals agree or the difference is reported. The statements are in euros
/// or Swiss francs; the regime's accounts are in dollars, so the test relabels the currency as USD (amounts untouched)
/// before importing, and registers the statement accounts to a partner bank first, as finance would.
/// </summary>
public sealed partial class CorpusTests(LedgerHost fixture,
    Xunit.Abstractions.ITestOutputHelper output) : LedgerTest(fixture)
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "BankStatements", "corpus");

    private static List<string> Names() => [.. Directory.GetFiles(Folder, "*.xml", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Files() => [.. Names()];

    [Fact]
    public void the_corpus_has_at_least_ten_files_from_four_sources()
    {
        var files = Names();
        files.Count.ShouldBeGreaterThanOrEqualTo(10);
        files.Select(f => f.Split('/')[0]).Distinct().Count().ShouldBeGreaterThanOrEqualTo(4);
        var readme = File.ReadAllText(Path.Combine(Folder, "README.md"));
        files.ShouldAllBe(f => readme.Contains(f));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task every_booked_credit_of_a_real_statement_is_received_to_the_cent(string file)
    {
        var xml = InDollars(await File.ReadAllTextAsync(Path.Combine(Folder, file)));
        var statements = StatementsOf(xml);
        await RegisterAsync(statements.Select(s => s.Account).OfType<string>().Distinct().ToList());

        var summary = await ImportAsync(xml);

        output.WriteLine($"{file}: received {summary.Received:0.00} of {statements.Sum(s => s.Credits):0.00}; "
            + string.Join(", ", summary.Outcomes.Where(o => o.Value > 0).Select(o => $"{o.Key} {o.Value}")) + "; "
            + string.Join(" | ", summary.Statements.SelectMany(s => s.Differences)));
        summary.Status.ShouldBe("Completed");
        summary.Outcomes["Malformed"].ShouldBe(0,
            $"{file}: {string.Join(" | ", summary.Unread.Select(u => u.Reason))}");
        summary.Received.ShouldBe(statements.Sum(s => s.Credits), file);
        summary.Balanced.ShouldBeTrue();
        summary.Statements.Count.ShouldBe(statements.Count);
        for (var i = 0; i < statements.Count; i++)
        {
            var (expected, check) = (statements[i], summary.Statements[i]);
            check.CreditAmount.ShouldBe(expected.Credits, $"{file} statement {check.Statement}");
            // The statement's own credit total, where it has one, is what was read.
            if (expected.Declared is { } declared) (check.CreditAmount + check.PassedOverAmount).ShouldBe(declared);
            if (check.Agrees) continue;
            // Otherwise the difference is reported, and it is one the statement's own figures show.
            check.Differences.ShouldAllBe(d => d.Contains("closing balance") || d.Contains("TtlCdtNtries"));
            summary.AllRead.ShouldBeFalse();
        }
    }

    [Fact]
    public async Task a_statement_whose_bank_nobody_registered_keeps_its_money_in_suspense()
    {
        // A servicer known by name only (AAAA BANKEN), an account nobody registered: the money is held, not dropped.
        var xml = InDollars(await File.ReadAllTextAsync(Path.Combine(Folder, "genkgo-camt", "camt053.v4.xml")));

        var summary = await ImportAsync(xml);

        (summary.Outcomes["UnknownBank"], summary.Received, summary.Suspense).ShouldBe((1, 8.85m, 8.85m));
        var item = (await Host.GetJsonAsync<List<SuspenseView>>("/api/suspense", Keys.Finance)).ShouldHaveSingleItem();
        item.Reason.ShouldNotBeNull().ShouldContain("No registered bank");
        item.BankCode.ShouldBe("(UNIDENTIFIED)");
    }

    /// <summary>The statement's amounts as US dollars: only the currency codes change.</summary>
    private static string InDollars(string xml) =>
        CurrencyAttribute().Replace(CurrencyElement().Replace(xml, "<${p}Ccy>USD</${p}Ccy>"), "Ccy=\"USD\"");

    [GeneratedRegex("Ccy=\"[A-Z]{3}\"")]
    private static partial Regex CurrencyAttribute();

    [GeneratedRegex("<(?<p>[A-Za-z0-9]*:?)Ccy>[A-Z]{3}</[A-Za-z0-9]*:?Ccy>")]
    private static partial Regex CurrencyElement();

    private sealed record Expected(string? Account, decimal Credits, decimal? Declared);

    /// <summary>Each statement's account and booked credit total, read here independently of the importer.</summary>
    private static List<Expected> StatementsOf(string xml)
    {
        static IEnumerable<XElement> Kids(XElement? e,
            string name) => e?.Elements().Where(c => c.Name.LocalName == name) ?? [];
        static XElement? Kid(XElement? e, params string[] path) => path.Aggregate(e, (x, n) => Kids(x,
            n).FirstOrDefault());
        static decimal Amount(XElement? e) => decimal.Parse(e!.Value.Trim(), CultureInfo.InvariantCulture);
        return [.. XDocument.Parse(xml).Descendants().Where(e => e.Name.LocalName == "Stmt").Select(s =>
        {
            var account = Kid(s, "Acct", "Id", "IBAN")?.Value ?? Kid(s, "Acct", "Id", "Othr", "Id")?.Value;
            static bool Booked(XElement n) => (Kid(n, "Sts", "Cd") ?? Kid(n, "Sts"))?.Value.Trim() is null or "BOOK";
            var credits = Kids(s, "Ntry")
                .Where(n => Kid(n, "CdtDbtInd")?.Value == "CRDT" && Kid(n, "RvslInd")?.Value is not ("true" or "1")
                    && Booked(n))
                .Sum(n => Amount(Kid(n, "Amt")));
            var declared = Kid(s, "TxsSummry", "TtlCdtNtries", "Sum") is { } sum ? Amount(sum) : (decimal?)null;
            return new Expected(account, credits, declared);
        })];
    }

    private async Task RegisterAsync(IReadOnlyList<string> accounts)
    {
        if (accounts.Count == 0) return;
        await Host.Scenario(s =>
        {
            s.Post.Json(new { code = "CORPUS", name = "Corpus bank", accounts }).ToUrl("/api/banks");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(201);
        });
    }

    private async Task<BankFileSummary> ImportAsync(string xml) =>
        (await (await Host.PostBankFileAsync(Encoding.UTF8.GetBytes(xml),
            contentType: "application/xml")).ReadAsJsonAsync<BankFileSummary>())!;
}
