namespace Salex.Ledger.Api.Infrastructure.OpenApi;

/// <summary>
/// The OpenAPI tags: one per area of the ledger, each with the description the document carries. An endpoint names
/// its area with <c>[Tags(ApiAreas.X)]</c>; the contract test refuses an operation whose tag is not listed here.
/// </summary>
public static class ApiAreas
{
    public const string Enrolment = "Enrolment";
    public const string Accounts = "Accounts";
    public const string Payments = "Payments";
    public const string Rights = "Rights";
    public const string BankFiles = "Bank files";
    public const string Suspense = "Suspense";
    public const string Reconciliation = "Reconciliation";
    public const string Banks = "Partner banks";
    public const string Rates = "Rates";
    public const string Audit = "Audit";
    public const string Reserve = "Reserve";
    public const string Indicators = "Indicators";
    public const string RightsChanges = "Rights changes";
    public const string Admin = "Administration";
    public const string Fhir = "FHIR R4";
    public const string Health = "Health";

    public static readonly IReadOnlyList<(string Name, string Description)> All =
    [
        (Enrolment, "Enrol a Salvadoran living abroad (or enrol again after an episode ended)."),
        (Accounts, "An insured person's account: summary, arrears, return to El Salvador, withdrawal, beneficiaries."),
        (
            Payments,
            "Record a contribution payment: applied to whole periods with their surcharges, the rest kept as credit."
        ),
        (Rights, "Does this person, or this child, have rights on this day? One account, by DUI, or many at once."),
        (BankFiles, "Import a partner bank's file (CSV or camt.053) and read its reconciliation line by line."),
        (Suspense, "Money a bank file could not apply to an account: held, assigned to an account, or refunded."),
        (Reconciliation, "Money received and applied per bank per day of payment."),
        (Banks, "The registry of partner banks: codes, BICs and the regime's accounts at each bank."),
        (
            Rates,
            "The rate schedule (minimum wage per period) and the four-eyes proposals that withdraw or correct a row."
        ),
        (
            Audit,
            "Every event of an account, the account as known at an instant, hash chains and signed ledger digests."
        ),
        (Reserve, "The emergency reserve: 5 % of the base contributions, per year, with its limits."),
        (Indicators, "The programme's indicators over a period, as JSON, CSV or SVG charts."),
        (
            RightsChanges,
            "Changes of rights pushed and pulled: the feed in order with its cursor, webhook subscribers, dead letters."
        ),
        (Admin, "Run the daily jobs now (lapse sweep, ledger digest)."),
        (
            Fhir,
            "Rights the health-standard way: CapabilityStatement, CoverageEligibilityRequest, Patient and Coverage (FHIR R4 JSON)."
        ),
        (Health, "Liveness and database readiness."),
    ];
}
