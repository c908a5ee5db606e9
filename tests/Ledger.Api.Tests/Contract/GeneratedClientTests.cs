using System.Net.Http;
using Salex.Ledger.Api.Tests.Client;
using Shouldly;

namespace Salex.Ledger.Api.Tests.Contract;

/// <summary>
/// A client generated from the contract (NSwag, at build time, from openapi/v1.json) through the real host: the
/// calls a client team makes, typed by the document alone. No casts, no hand-written JSON.
/// </summary>
public sealed class GeneratedClientTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private LedgerClient ClientFor(string key)
    {
        var http = Host.Server.CreateClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return new LedgerClient(http);
    }

    /// <summary>A refusal fails the test with the server's own words.</summary>
    private static async Task<T> Explained<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (LedgerApiException<ProblemDetails> e)
        {
            var errors = e.Result.Errors?.Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value)}") ?? [];
            throw new ShouldAssertException($"{e.StatusCode} {e.Result.Title} {e.Result.Detail} {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public async Task a_generated_client_enrols_pays_and_reads_rights()
    {
        var enrolment = ClientFor(Keys.Enrolment);
        var enrolled = await enrolment.EnrolAsync(
            new EnrolRequest
            {
                Dui = Scenarios.NewDui(),
                FullName = "Ana María López",
                BirthDate = new DateOnly(1985, 6, 2),
                CountryOfResidence = "US",
                EnrolledOn = new DateOnly(2018, 1, 10),
                EligibilityChecks = new EligibilityChecksRequest
                {
                    IdentityVerified = true,
                    ResidesAbroad = true,
                    NotInsuredElsewhere = true,
                },
                Beneficiaries = [new EnrolmentBeneficiaryRequest { FullName = "Sofía López", BirthDate = new DateOnly(2015, 9, 14), Relationship = EnrolmentBeneficiaryRequestRelationship.Child }],
            }
        );
        enrolled.FirstPeriod.ShouldBe("2018-02");

        var finance = ClientFor(Keys.Finance);
        var paid = await finance.RecordPaymentAsync(
            enrolled.AffiliationNumber,
            new PaymentRequest
            {
                PaidOn = new DateOnly(2018, 3, 5),
                Amount = 58.72m,
                BankCode = "AGRICOLA",
                Reference = "client-000912345",
                Channel = PaymentRequestChannel.Online,
            }
        );
        paid.Amount.ShouldBe(58.72m);
        paid.Allocations.Sum(a => a.Total).ShouldBe(58.72m - paid.Credit + paid.CreditApplied);

        var rights = await ClientFor(Keys.RightsReader).GetRightsAsync(enrolled.AffiliationNumber, new DateOnly(2018, 3, 10));
        rights.Covered.ShouldBeTrue();
        rights.Status.ShouldBe("Active");
        rights.Beneficiaries.Single().Covered.ShouldBeTrue();

        var many = await ClientFor(Keys.RightsReader).QueryRightsAsync(
            new RightsQuery { AffiliationNumbers = [enrolled.AffiliationNumber, "100000999"], On = new DateOnly(2018, 3, 10) }
        );
        many.Results.Single().Covered.ShouldBeTrue();
        many.NotFound.ShouldBe(new[] { "100000999" });
    }

    [Fact]
    public async Task a_refusal_reaches_the_generated_client_as_its_problem_details()
    {
        var finance = ClientFor(Keys.Finance);
        var refused = await Should.ThrowAsync<LedgerApiException<ProblemDetails>>(() =>
            finance.RecordPaymentAsync(
                "100000017",
                new PaymentRequest
                {
                    PaidOn = new DateOnly(2018, 3, 5),
                    Amount = 58.72m,
                    BankCode = "AGRICOLA",
                    Reference = "client-unknown",
                    Channel = PaymentRequestChannel.Branch,
                }
            )
        );
        refused.StatusCode.ShouldBe(404);
        refused.Result.Errors.ShouldContainKey("affiliationNumber");

        var forbidden = await Should.ThrowAsync<LedgerApiException<ProblemDetails>>(() =>
            ClientFor(Keys.RightsReader).GetAccountAsync("100000017")
        );
        forbidden.StatusCode.ShouldBe(403);
    }

    [Fact]
    public async Task every_account_write_is_callable_from_the_generated_client()
    {
        var enrolment = ClientFor(Keys.Enrolment);
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-03-05", 58.72m);

        var spouse = await enrolment.AddBeneficiaryAsync(
            number,
            new BeneficiaryRequest
            {
                FullName = "Carlos Martínez",
                BirthDate = new DateOnly(1983, 11, 20),
                Relationship = BeneficiaryRequestRelationship.Spouse,
                EffectiveOn = new DateOnly(2018, 3, 6),
            }
        );
        spouse.Relationship.ShouldBe("Spouse");
        await enrolment.RemoveBeneficiaryAsync(number, spouse.Id.ToString(), new DateOnly(2018, 3, 8));

        var returned = await enrolment.RecordReturnAsync(number, new ReturnRequest { ReturnedOn = new DateOnly(2018, 3, 10) });
        returned.AffiliationNumber.ShouldBe(number);

        var other = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var withdrawn = await enrolment.WithdrawAsync(other, new WithdrawRequest { EffectiveOn = new DateOnly(2018, 2, 1) });
        withdrawn.AffiliationNumber.ShouldBe(other);

        var finance = ClientFor(Keys.Finance);
        var banks = await finance.RegisterBankAsync(
            new RegisterBankRequest { Code = "BAC", Name = "BAC Credomatic", Bics = ["BAMCSVSS"], Accounts = [] }
        );
        banks.Banks.ShouldContain(b => b.Code == "BAC");
        (await finance.AddBankAccountAsync("BAC", new AddAccountRequest { Account = "SV62BAMC00000000000001234567" }))
            .Banks.Single(b => b.Code == "BAC").Accounts.ShouldContain("SV62BAMC00000000000001234567");

        var csv = "bankCode,transactionId,paidAt,affiliationNumber,amount,channel\n"
            + $"AGRICOLA,client-file-1,2018-04-05T10:15:00-06:00,{number},58.72,ONLINE\n";
        var imported = await Explained(() => finance.ImportBankFileAsync(csv));
        imported.Lines.ShouldBe(1);

        var admin = ClientFor(Keys.Admin);
        (await admin.RunLapseSweepAsync()).ShouldNotBeNull();
        var policy = ClientFor(Keys.PolicyAdmin);
        var schedule = await policy.AddRateAsync(new AddRateRequest { FirstPeriod = "2027-06", MinimumWage = 408.80m });
        schedule.Rows.ShouldContain(r => r.FirstPeriod == "2027-06" && r.MinimumWage == 408.80m);
    }

    [Fact]
    public async Task the_other_write_routes_are_callable_from_the_generated_client()
    {
        // Suspense: two payments for nobody, held; one assigned to an account, the other refunded.
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var finance = ClientFor(Keys.Finance);
        var csv = "bankCode,transactionId,paidAt,affiliationNumber,amount,channel\n"
            + "AGRICOLA,client-held-1,2018-03-05T10:15:00-06:00,100000999,58.72,ONLINE\n"
            + "AGRICOLA,client-held-2,2018-03-05T10:16:00-06:00,100000999,58.72,ONLINE\n";
        (await Explained(() => finance.ImportBankFileAsync(csv))).Lines.ShouldBe(2);
        var held = (await finance.ListSuspenseAsync()).OrderBy(i => i.Line).ToList();
        held.Count.ShouldBe(2);
        var assigned = await Explained(() =>
            finance.AssignSuspenseAsync(held[0].Id, new AssignSuspenseRequest { AffiliationNumber = number })
        );
        (assigned.AffiliationNumber, assigned.Amount).ShouldBe((number, 58.72m));
        var refunded = await Explained(() =>
            finance.RefundSuspenseAsync(held[1].Id, new RefundSuspenseRequest { Reason = "Paid back by transfer 88121." })
        );
        refunded.Status.ShouldBe("Refunded");

        // Rates: a row corrected by two people, another proposal rejected.
        var policy = ClientFor(Keys.PolicyAdmin);
        await policy.AddRateAsync(new AddRateRequest { FirstPeriod = "2027-06", MinimumWage = 400m });
        var correction = await Explained(() =>
            policy.ProposeRateChangeAsync(
                new ProposeRateChangeRequest
                {
                    Kind = ProposeRateChangeRequestKind.Correct,
                    FirstPeriod = "2027-06",
                    MinimumWage = 410m,
                    Reason = "Decree 12 says 410",
                }
            )
        );
        var admin = ClientFor(Keys.Admin);
        (await Explained(() => admin.ApproveRateChangeAsync(correction.Id)))
            .Rows.Single(r => r.FirstPeriod == "2027-06")
            .MinimumWage.ShouldBe(410m);
        var withdrawal = await Explained(() =>
            policy.ProposeRateChangeAsync(
                new ProposeRateChangeRequest
                {
                    Kind = ProposeRateChangeRequestKind.Withdraw,
                    FirstPeriod = "2027-06",
                    Reason = "typed in the wrong month",
                }
            )
        );
        var rejected = await Explained(() =>
            admin.RejectRateChangeAsync(withdrawal.Id, new RejectRateChangeRequest { Reason = "The decree was published." })
        );
        rejected.Status.ShouldBe("Rejected");

        // The daily jobs, run now.
        (await Explained(() => admin.RecordLedgerDigestAsync())).Streams.ShouldBeGreaterThan(0);
        (await Explained(() => admin.RunRightsSweepAsync())).ShouldNotBeNull();

        // Webhook subscribers and their dead letters.
        var hook = await Explained(() =>
            admin.RegisterWebhookAsync(
                new RegisterWebhookRequest
                {
                    Url = "https://afiliacion.example/hooks/salex",
                    Secret = "a-long-random-secret-shared-with-the-subscriber",
                    Causes = ["Payment", "Lapse"],
                }
            )
        );
        (await admin.ListWebhooksAsync()).Single().Id.ShouldBe(hook.Id);
        (await Explained(() => admin.ReplayWebhookDeadLettersAsync(new ReplayDeadLettersRequest { Ids = [] }))).Replayed.ShouldBe(0);
        await admin.RemoveWebhookAsync(hook.Id.ToString());
        (await admin.ListWebhooksAsync()).ShouldBeEmpty();
    }
}
