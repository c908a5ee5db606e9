namespace Salex.Ledger.Api.Infrastructure;

/// <summary>The roles of SPEC §4. Each API key holds exactly one.</summary>
public static class Roles
{
    public const string Enrolment = "enrolment";
    public const string Finance = "finance";
    public const string Auditor = "auditor";
    public const string RightsReader = "rights-reader";
    public const string Admin = "admin";

    /// <summary>May change the regime's policy (the rate schedule), nothing else.</summary>
    public const string PolicyAdmin = "policy-admin";

    public static readonly string[] All = [Enrolment, Finance, Auditor, RightsReader, Admin, PolicyAdmin];

    // Combinations used by [Authorize(Roles = ...)]; admin may do everything.
    public const string ReadAccounts = $"{Enrolment},{Finance},{Auditor},{Admin}";
    public const string ReadArrears = $"{Finance},{Auditor},{Admin}";
    public const string ReadRights = $"{RightsReader},{Enrolment},{Finance},{Auditor},{Admin}";
    public const string Enrol = $"{Enrolment},{Admin}";
    public const string RecordPayments = $"{Finance},{Admin}";
    public const string ReadReconciliation = $"{Finance},{Auditor},{Admin}";
    public const string Audit = $"{Auditor},{Admin}";
    public const string ReadReserve = $"{Finance},{Auditor},{Admin}";
    public const string ReadIndicators = $"{Finance},{Auditor},{Admin}";
    public const string ManageRates = $"{PolicyAdmin},{Admin}";
    public const string ReadRates = $"{RightsReader},{Enrolment},{Finance},{Auditor},{Admin},{PolicyAdmin}";
}
