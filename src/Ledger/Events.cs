using System.Text.Json.Serialization;
using NodaTime;

namespace Salex.Ledger;

// The events of an insured person's stream. Business dates travel on the events; who recorded an
// event, when and under which correlation id is the event store's metadata.

public enum Relationship
{
    Spouse,
    Child,
}

/// <summary>The insured's sex as declared at enrolment (F female, M male), for the programme's statistics only: never
/// part of a rights answer. Absent on enrolments recorded before it existed, and optional since.</summary>
public enum Sex
{
    F,
    M,
}

public sealed record Beneficiary(Guid Id, string FullName, LocalDate BirthDate, Relationship Relationship);

/// <summary>The outcome of the external checks (RNPN, DGME) that the enrolment command carries.</summary>
public sealed record EligibilityChecks(bool IdentityVerified, bool ResidesAbroad, bool NotInsuredElsewhere)
{
    public bool AllPassed => IdentityVerified && ResidesAbroad && NotInsuredElsewhere;
}

/// <summary>Opens a coverage episode. The first one also creates the stream.</summary>
public sealed record Enrolled(
    string AffiliationNumber,
    string Dui,
    string FullName,
    LocalDate BirthDate,
    string CountryOfResidence,
    string? Email,
    LocalDate EnrolledOn,
    YearMonth FirstPeriod,
    IReadOnlyList<Beneficiary> Beneficiaries,
    EligibilityChecks EligibilityChecks,
    Sex? Sex = null
);

/// <summary>Where money came from: the bank's date, the bank, its reference and the channel.</summary>
public sealed record PaymentSource(LocalDate PaidOn, string BankCode, string Reference, string Channel);

/// <summary>One period paid by a payment: its contribution (base) and the surcharge for lateness.</summary>
public sealed record PeriodPayment(
    YearMonth Period,
    decimal Base,
    int DaysLate,
    decimal SurchargeRate,
    decimal Surcharge
)
{
    public decimal Total => Base + Surcharge;
}

/// <summary>
/// A payment of due or overdue periods (periods up to the payment's own month). <see cref="Episode"/> names the
/// coverage episode paid when it is not the one in course when the event is recorded: money dated inside an earlier
/// episode and recorded after a re-enrolment pays that episode. Absent (not written when null, so the events of the
/// episode in course read as they always did), the episode in course.
/// </summary>
public sealed record ContributionPaid(
    PaymentSource Source,
    IReadOnlyList<PeriodPayment> Periods,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Episode = null
);

/// <summary>A payment of future periods (all after the payment's month); <see cref="Episode"/> as for <see
/// cref="ContributionPaid"/>.</summary>
public sealed record AdvancePaid(
    PaymentSource Source,
    IReadOnlyList<PeriodPayment> Periods,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Episode = null
);

/// <summary>Money of a payment that did not make a whole period, kept on the account.</summary>
public sealed record CreditRecorded(PaymentSource Source, decimal Amount);

/// <summary>Credit already on the account, spent together with a new payment.</summary>
public sealed record CreditApplied(PaymentSource Source, decimal Amount);

public enum LapseReason
{
    NonPayment,
    ReturnWindowExpired,
    Withdrawal,
}

/// <summary>
/// A coverage episode ended. <see cref="EffectiveOn"/> is the first day without coverage;
/// <see cref="LastCoveredPeriod"/> the last period that stays paid (null when none was).
/// </summary>
public sealed record Lapsed(LocalDate EffectiveOn, LapseReason Reason, YearMonth? LastCoveredPeriod);

/// <summary>
/// A recorded lapse for non-payment fell: money the bank took on or before its effective day, recorded
/// after the lapse was, pays what had been overdue so that the lapse did not happen on that day. The
/// episode is open again; if it still lapses later, a new <see cref="Lapsed"/> says when.
/// </summary>
public sealed record LapseAnnulled(LocalDate LapsedOn, PaymentSource AvoidedBy);

/// <summary>The insured returned to live in El Salvador: coverage continues through <see cref="CoveredUntil"/> if
/// paid.</summary>
public sealed record Returned(LocalDate ReturnedOn, LocalDate CoveredUntil);

/// <summary>
/// Money the institute owes back: periods paid that coverage will no longer reach (return, withdrawal),
/// or money that could not be applied. The periods are no longer paid from <see cref="EffectiveOn"/> (the
/// return or withdrawal date; when absent, as in events recorded before it existed, <see cref="RecordedOn"/>):
/// an answer about an earlier date still counts them, as they were paid then.
/// </summary>
public sealed record RefundDue(
    LocalDate RecordedOn,
    string Reason,
    decimal Amount,
    IReadOnlyList<PeriodPayment> Periods,
    PaymentSource? Source,
    LocalDate? EffectiveOn = null
);

public sealed record BeneficiaryAdded(Beneficiary Beneficiary, LocalDate EffectiveOn);

public sealed record BeneficiaryRemoved(Guid BeneficiaryId, LocalDate EffectiveOn);
