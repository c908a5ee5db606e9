using System.Net.Http.Headers;
using System.Text;
using Alba;
using Salex.Ledger.Api.Features.ImportingBankFiles;
using Shouldly;
using static Salex.Ledger.Api.Tests.BankFiles;
using static Salex.Ledger.Tests.CamtSamples;

namespace Salex.Ledger.Api.Tests;

/// <summary>The ways a bank file arrives: CSV or camt.053, as the body or as a multipart upload, and files refused whole.</summary>
public sealed class BankFileFormatApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private async Task<BankFileSummary> PostAsync(byte[] body, string contentType) =>
        (await (await Host.PostBankFileAsync(body, contentType: contentType)).ReadAsJsonAsync<BankFileSummary>())!;

    [Fact]
    public async Task a_camt053_statement_has_the_same_outcomes_and_reconciliation_as_a_csv_file()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var xml = Statement(
            Entry("58.72", $"SALEX {number}", "000912345", booking: "<DtTm>2018-03-05T10:15:00-06:00</DtTm>")     // applied 55.92 + 2.80
            + Entry("25.00", "PAGO SIN NUMERO", "000912346", booking: "<DtTm>2018-03-05T11:00:00-06:00</DtTm>")   // suspense
            + Entry("5.00", "comision", "000912347", direction: "DBIT")                                            // not a payment
            + Entry("9.99", $"SALEX {number}", "000912348", currency: "EUR"));                                     // malformed

        var summary = await PostAsync(Encoding.UTF8.GetBytes(xml), "application/xml");

        summary.Lines.ShouldBe(3);
        (summary.Outcomes["Applied"], summary.Outcomes["UnknownPayer"], summary.Outcomes["Malformed"]).ShouldBe((1, 1, 1));
        (summary.Received, summary.Contributions, summary.Surcharges, summary.Suspense).ShouldBe((83.72m, 55.92m, 2.80m, 25.00m));
        summary.Balanced.ShouldBeTrue();
        (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-02");

        // (bankCode, reference) is one key across formats: a CSV line under the statement transaction's reference
        // (entry reference, amount, statement account) is the same transaction, a duplicate.
        var csv = await Host.ImportCsvAsync(Csv($"AGRICOLA,000912345/58.72/ISSS-SALEX,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE"));
        csv.Outcomes["Duplicate"].ShouldBe(1);
        var day = (await Host.GetJsonAsync<BankReconciliation>("/api/reconciliation?bank=AGRICOLA&from=2018-03-05&to=2018-03-05", Keys.Finance)).Days.ShouldHaveSingleItem();
        (day.Transactions, day.Received, day.Balanced).ShouldBe((2, 83.72m, true));

        // The same statement again changes nothing.
        var again = await PostAsync(Encoding.UTF8.GetBytes(xml), "text/xml");
        (again.FileId, again.AlreadyRecorded, again.Lines).ShouldBe((summary.FileId, 3, 3));
    }

    [Fact]
    public async Task a_multipart_upload_is_read_from_its_file_part()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var csv = Csv($"AGRICOLA,M-1,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE");
        using var form = new MultipartFormDataContent("salex-boundary");
        form.Add(new StringContent("daily file"), "description");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "agricola-2018-03-05.csv");
        var body = await form.ReadAsByteArrayAsync();

        var summary = await PostAsync(body, form.Headers.ContentType!.ToString());

        (summary.Lines, summary.Outcomes["Applied"]).ShouldBe((1, 1));
        // The file's id is that of its bytes, however they were sent.
        (await Host.ImportCsvAsync(csv)).FileId.ShouldBe(summary.FileId);

        using var noFile = new MultipartFormDataContent("salex-boundary");
        noFile.Add(new StringContent("no file here"), "description");
        var refused = await Host.PostBankFileAsync(await noFile.ReadAsByteArrayAsync(), 400, contentType: noFile.Headers.ContentType!.ToString());
        (await refused.ProblemAsync()).Errors!.Keys.ShouldBe(["file"]);
    }

    [Fact]
    public async Task a_multipart_upload_with_two_file_parts_is_refused_whole()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        using var form = new MultipartFormDataContent("salex-boundary");
        foreach (var (reference, name) in new[] { ("TWO-1", "f1"), ("TWO-2", "f2") })
        {
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes(Csv($"AGRICOLA,{reference},2018-03-05T10:15:00-06:00,{number},55.92,ONLINE")));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, name, $"{reference}.csv");
        }
        var before = await Host.EventCountAsync();

        var problem = await (await Host.PostBankFileAsync(await form.ReadAsByteArrayAsync(), 400,
            contentType: form.Headers.ContentType!.ToString())).ProblemAsync();

        problem.Errors!["file"].ShouldHaveSingleItem().ShouldContain("more than one file part");
        (await Host.EventCountAsync()).ShouldBe(before);
        (await Host.SummaryAsync(number)).PaidThrough.ShouldBeNull();
    }

    /// <summary>Uploads an attacker sent: each was a 500 from inside the import's copy.</summary>
    [Theory]
    [InlineData("cut off before its closing boundary", "--abc\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nbankCode", "abc")]
    [InlineData("no boundary in the body", "just junk without boundaries", "abc")]
    [InlineData("a boundary of 200 characters", "x", null)]
    [InlineData("a part header over 16 KiB", null, "abc")]
    public async Task a_malformed_multipart_upload_is_a_400_naming_the_body_and_imports_nothing(string why, string? text, string? boundary)
    {
        _ = why;
        boundary ??= new string('b', 200);
        var body = text is not null
            ? Encoding.UTF8.GetBytes(text)
            : Encoding.UTF8.GetBytes("--abc\r\nX-Junk: " + new string('a', 20_000)
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nbankCode\r\n--abc--\r\n");
        var before = await Host.EventCountAsync();

        var problem = await (await Host.PostBankFileAsync(body, 400, contentType: $"multipart/form-data; boundary={boundary}")).ProblemAsync();

        problem.Errors!.Keys.ShouldBe(["body"]);
        (await Host.EventCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task bytes_that_are_not_utf8_refuse_the_file_whole_naming_the_offset()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var good = Encoding.UTF8.GetBytes(Csv($"AGRICOLA,N-1,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE"));
        // "Agrícola" written in Latin-1: 0xED is not UTF-8 here.
        var latin1 = good.Concat(Encoding.Latin1.GetBytes($"Agr\u00edcola,N-2,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE\n")).ToArray();
        var before = await Host.EventCountAsync();

        var problem = await (await Host.PostBankFileAsync(latin1, 400)).ProblemAsync();

        problem.Errors!["body"].ShouldHaveSingleItem().ShouldContain($"offset {good.Length + 3}");
        (await Host.EventCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task json_is_not_a_bank_file_and_xml_that_is_not_a_statement_is_refused()
    {
        (await (await Host.PostBankFileAsync("{}"u8.ToArray(), 400, contentType: "application/json")).ProblemAsync()).Errors!.Keys.ShouldBe(["body"]);
        var pain = "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\"><CstmrCdtTrfInitn/></Document>"u8.ToArray();
        (await (await Host.PostBankFileAsync(pain, 400, contentType: "application/xml")).ProblemAsync()).Detail.ShouldNotBeNull().ShouldContain("camt.053");
        (await Host.EventCountAsync()).ShouldBe(0);
    }
}
