using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Ledger.Rights;

/// <summary>
/// What a payment today could still buy: the latest payable period (the advance limit, a return window, a
/// withdrawal) and how many periods remain payable from the oldest unpaid one, overdue periods included, so
/// that <c>MonthsPayable</c> is always the months from the paid-through period to <c>LastPayablePeriod</c>.
/// </summary>
public sealed record AdvanceCapacity(YearMonth LastPayablePeriod, int MonthsPayable)
{
    public static AdvanceCapacity On(Account account, LocalDate date, RegimeRules rules)
    {
        var last = PaymentAllocator.LastPayablePeriod(account, account.CurrentEpisode, date, rules);
        var months = account.NextUnpaidPeriod.MonthsUntil(last) + 1;
        return new AdvanceCapacity(last, Math.Max(0, months));
    }
}
