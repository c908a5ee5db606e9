using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Ledger.Tests;

/// <summary>Builders for accounts and events. Expected values in tests never come from here.</summary>
internal static class Fixtures
{
    public static readonly BusinessCalendar Cal = BusinessCalendar.ElSalvador;
    public static readonly RateSchedule Rates = RateSchedule.Known;
    public static readonly RegimeRules Rules = RegimeRules.Default;

    public static LocalDate D(int y, int m, int d) => new(y, m, d);
    public static YearMonth P(int y, int m) => new(y, m);

    public static Enrolled Enrolled(LocalDate enrolledOn, YearMonth firstPeriod, IReadOnlyList<Beneficiary>? beneficiaries = null) => new(
        "100000017", "04567890-3", "Ana María López", D(1985, 6, 2), "US", "ana@example.com",
        enrolledOn, firstPeriod, beneficiaries ?? [], new EligibilityChecks(true, true, true));

    /// <summary>The account folded from its Enrolled event (the one place that names the fold methods).</summary>
    public static Account NewAccount(Enrolled enrolled) => Account.Open(enrolled);

    /// <summary>SPEC §6: enrolled 2018-01-10, first period 2018-02.</summary>
    public static Account Enrolled2018() => NewAccount(Enrolled(D(2018, 1, 10), P(2018, 2)));

    public static PaymentSource Source(LocalDate paidOn, string reference = "000912345") => new(paidOn, "AGRICOLA", reference, "ONLINE");

    /// <summary>An on-time ContributionPaid written by hand (no surcharge).</summary>
    public static ContributionPaid PaidOnTime(LocalDate paidOn, string reference, params (YearMonth Period, decimal Base)[] periods) =>
        new(Source(paidOn, reference), periods.Select(p => new PeriodPayment(p.Period, p.Base, 0, 0m, 0m)).ToArray());

    public static Account ApplyAll(this Account account, IEnumerable<object> events)
    {
        foreach (var e in events) account = account.After(e);
        return account;
    }

    public static PaymentAllocation Allocate(Account account, LocalDate paidOn, decimal amount, string reference = "000912345") =>
        PaymentAllocator.Allocate(account, Source(paidOn, reference), amount, Rates, Cal, Rules);

    /// <summary>Records a payment through the allocator and folds its events into the account.</summary>
    public static Account Pay(this Account account, LocalDate paidOn, decimal amount, string reference) =>
        account.ApplyAll(Allocate(account, paidOn, amount, reference).ToEvents());
}
