namespace Salex.Ledger.Rights;

/// <summary>Why a standing changed: what was recorded, or which date was reached.</summary>
public static class RightsChangeCause
{
    public const string Payment = "Payment";
    public const string BankFile = "BankFile";
    public const string SuspenseAssigned = "SuspenseAssigned";
    public const string Lapse = "Lapse";
    public const string Return = "Return";
    public const string Withdrawal = "Withdrawal";
    public const string Enrolment = "Enrolment";
    public const string BeneficiaryAdded = "BeneficiaryAdded";
    public const string BeneficiaryRemoved = "BeneficiaryRemoved";

    // By the passage of time (the daily rights sweep).
    public const string DueDatePassed = "DueDatePassed";
    public const string ReturnWindowEnded = "ReturnWindowEnded";
    public const string ChildAgeLimit = "ChildAgeLimit";
    public const string CoverageBegan = "CoverageBegan";
    public const string MembershipEnded = "MembershipEnded";
    public const string MembershipBegan = "MembershipBegan";

    public static readonly IReadOnlyList<string> All =
    [
        Payment,
        BankFile,
        SuspenseAssigned,
        Lapse,
        Return,
        Withdrawal,
        Enrolment,
        BeneficiaryAdded,
        BeneficiaryRemoved,
        DueDatePassed,
        ReturnWindowEnded,
        ChildAgeLimit,
        CoverageBegan,
        MembershipEnded,
        MembershipBegan,
    ];
}
