using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Ledger.Rights;

/// <summary>The 12-month advance limit on a date: the latest payable period and how many periods remain payable.</summary>
public sealed record AdvanceCapacity(YearMonth LastPayablePeriod, int MonthsPayable)
{
    public static AdvanceCapacity On(Account account, LocalDate date, RegimeRules rules)
    {
        var last = PaymentAllocator.LastPayablePeriod(date, rules);
        var months = account.NextUnpaidPeriod.MonthsUntil(last) + 1;
        return new AdvanceCapacity(last, Math.Max(0, months));
    }
}
