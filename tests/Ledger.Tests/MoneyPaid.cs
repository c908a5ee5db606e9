using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Contributions;

namespace Salex.Ledger.Tests;

/// <summary>
/// The same money as each way it arrives, for tests that hold the payments API and bank files to one judgement
/// (<see cref="PaymentJudge"/>): the API's command, a bank file's line for the account of <see cref="Fixtures.Enrolled"/>,
/// and what the events say, to compare them. The reference is <see cref="Fixtures.Source"/>'s.
/// </summary>
internal static class MoneyPaid
{
    public const string Reference = "000912345";

    public static RecordPayment Payment(LocalDate paidOn, decimal amount) =>
        new(paidOn, amount, "AGRICOLA", Reference, Channel.Online);

    /// <summary>Line 2 of a file, paid at 10:00 El Salvador time on that day.</summary>
    public static BankFileLine Line(LocalDate paidOn, decimal amount) =>
        new(
            2,
            "AGRICOLA",
            Reference,
            paidOn.AtStartOfDayInZone(Calendar.ElSalvador.TimeZone).ToInstant().Plus(Duration.FromHours(10)),
            "100000017",
            amount,
            Channel.Online
        );

    /// <summary>Events holding lists compare by reference: compare what they say instead.</summary>
    public static IEnumerable<string> Shape(IEnumerable<object> events) =>
        events.Select(e =>
            e switch
            {
                ContributionPaid c => $"ContributionPaid {c.Source} {string.Join(",", c.Periods)}",
                AdvancePaid a => $"AdvancePaid {a.Source} {string.Join(",", a.Periods)}",
                RefundDue r => $"RefundDue {r.Amount} {r.Source} {string.Join(",", r.Periods)}",
                _ => e.ToString()!,
            }
        );
}
