using Salex.Ledger.Calendar;
using Salex.Ledger.Indicators;

namespace Salex.Ledger.Api.Features.Indicators;

/// <summary>One enrolment month's cohort and its retention after 3, 6, 12 and 24 months.</summary>
public sealed record CohortView(string Cohort, int Enrolled, IReadOnlyList<RetentionPoint> After)
{
    public static CohortView Of(CohortRetention c) => new(Periods.Format(c.Cohort), c.Enrolled, c.After);
}
