using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Rights;

/// <summary>
/// The waiting period (carencia): restricted services are covered from the first day of the 7th coverage
/// month of the episode. Advance payments do not shorten it.
/// </summary>
public static class WaitingPeriod
{
    public const int Months = 6;

    public static LocalDate RestrictedServicesFrom(Episode episode) => episode.FirstPeriod.PlusMonths(Months).FirstDay();

    public static bool RestrictedServicesCovered(Account account, LocalDate date, Regime regime)
    {
        var episode = account.Episodes.LastOrDefault(e => e.EnrolledOn <= date);
        return episode is not null && date >= RestrictedServicesFrom(episode);
    }
}
