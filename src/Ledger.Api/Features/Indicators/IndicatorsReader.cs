using Marten;
using Microsoft.Extensions.Options;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.Rates;
using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Ledger.Calendar;
using Salex.Ledger.Indicators;
using Salex.Ledger.Reserve;
using Salex.Projections.Reserve;

namespace Salex.Ledger.Api.Features.Indicators;

/// <summary>
/// Reads the programme's indicators: every account document (the inline projection, so nothing lags behind the
/// events) folded by <see cref="ProgrammeTally"/>, and the reserve's years (its async projection). A query over
/// projections rather than a projection of its own: every figure is a function of a period that the caller
/// chooses, so there is nothing to keep up to date in advance (docs/indicators.md).
/// </summary>
public sealed class IndicatorsReader(RateScheduleCache rates, IOptions<IndicatorSettings> settings, IClock clock)
{
    public async Task<ProgrammeIndicators> ReadAsync(
        IQuerySession session,
        LocalDate from,
        LocalDate to,
        CancellationToken ct
    )
    {
        var accounts = await session.Query<Account>().ToListAsync(ct);
        var years = await ReserveYearProjection.YearsAsync(session, ct);
        var figures = ProgrammeTally.Of(
            accounts,
            from,
            to,
            ElSalvador.Today(clock),
            rates.Regime,
            settings.Value.ToRules()
        );
        return ProgrammeIndicators.Of(figures, EmergencyReserve.Accrue(years.Select(y => y.ToInput())));
    }
}
