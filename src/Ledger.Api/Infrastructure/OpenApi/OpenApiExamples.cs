using System.Text.Json;
using System.Text.Json.Nodes;
using Salex.Ledger.Api.Features.Accounts.ChangingFamilyGroup;
using Salex.Ledger.Api.Features.Accounts.Returning;
using Salex.Ledger.Api.Features.Accounts.Withdrawing;
using Salex.Ledger.Api.Features.Banks;
using Salex.Ledger.Api.Features.CheckingRights;
using Salex.Ledger.Api.Features.Enrolling;
using Salex.Ledger.Api.Features.ImportingBankFiles;
using Salex.Ledger.Api.Features.Paying;
using Salex.Ledger.Api.Features.Rates;

namespace Salex.Ledger.Api.Infrastructure.OpenApi;

/// <summary>
/// The request examples of the document, one per request type, written as the C# records the endpoints read and
/// serialized with the wire's own options, so an example cannot name a field the server does not read. The contract
/// test checks each against its schema. Answers' examples are made from their schemas (<see cref="SchemaExamples"/>).
/// </summary>
public static class OpenApiExamples
{
    private static readonly Dictionary<Type, object> Requests = new()
    {
        [typeof(EnrolRequest)] = new EnrolRequest(
            "04567890-3",
            "Ana María López",
            "1985-06-02",
            "US",
            "ana.lopez@example.org",
            "2018-01-10",
            null,
            new EligibilityChecksRequest(true, true, true),
            [new Features.Enrolling.BeneficiaryRequest("Sofía López", "2015-09-14", "Child")]
        ),
        [typeof(PaymentRequest)] = new PaymentRequest("2018-03-05", 58.72m, "AGRICOLA", "000912345", "Online"),
        [typeof(ReturnRequest)] = new ReturnRequest("2019-07-01"),
        [typeof(WithdrawRequest)] = new WithdrawRequest("2019-08-01"),
        [typeof(Features.Accounts.ChangingFamilyGroup.BeneficiaryRequest)] =
            new Features.Accounts.ChangingFamilyGroup.BeneficiaryRequest(
                "Carlos Martínez",
                "1983-11-20",
                "Spouse",
                "2018-04-01"
            ),
        [typeof(RightsQuery)] = new RightsQuery(["100000017", "100000025"], "2018-03-10"),
        [typeof(AddRateRequest)] = new AddRateRequest("2027-01", 408.80m),
        [typeof(ProposeRateChangeRequest)] = new ProposeRateChangeRequest(
            "Correct",
            "2027-01",
            408.08m,
            "The decree fixes 408.08, not 408.80."
        ),
        [typeof(RejectRateChangeRequest)] = new RejectRateChangeRequest("The decree was not published."),
        [typeof(RegisterBankRequest)] = new RegisterBankRequest(
            "BAC",
            "BAC Credomatic",
            ["BAMCSVSS"],
            ["SV62BAMC00000000000001234567"]
        ),
        [typeof(BankEndpoints.AddAccountRequest)] = new BankEndpoints.AddAccountRequest("SV62BAMC00000000000007654321"),
        [typeof(AssignSuspenseRequest)] = new AssignSuspenseRequest("100000017"),
        [typeof(Features.Webhooks.RegisterWebhookRequest)] = new Features.Webhooks.RegisterWebhookRequest(
            "https://afiliacion.isss.gob.sv/hooks/salex",
            "a-long-random-secret-shared-with-the-subscriber",
            ["Payment", "Lapse"]
        ),
        [typeof(Features.Webhooks.ReplayDeadLettersRequest)] = new Features.Webhooks.ReplayDeadLettersRequest([
            Guid.Parse("0b8f5e1c-3d2a-4f6b-9c1e-7a5d4b3c2e1f"),
        ]),
        [typeof(RefundSuspenseRequest)] = new RefundSuspenseRequest("Paid back to the payer by transfer 88121."),
    };

    public static IEnumerable<Type> RequestTypes => Requests.Keys;

    public static JsonNode? RequestOf(Type type) =>
        Requests.TryGetValue(type, out var example)
            ? JsonSerializer.SerializeToNode(example, type, LedgerJson.Options)
            : null;

    public const string BankFileCsv =
        "bankCode,transactionId,paidAt,affiliationNumber,amount,channel\r\nAGRICOLA,000912345,2018-03-05T10:15:00-06:00,100000017,58.72,ONLINE\r\n";

    public static JsonNode FhirEligibilityRequest() =>
        new JsonObject
        {
            ["resourceType"] = "CoverageEligibilityRequest",
            ["status"] = "active",
            ["purpose"] = new JsonArray("validation"),
            ["patient"] = new JsonObject
            {
                ["identifier"] = new JsonObject
                {
                    ["system"] = "https://fhir.isss.gob.sv/sid/dui",
                    ["value"] = "04567890-3",
                },
            },
            ["servicedDate"] = "2018-03-10",
            ["created"] = "2018-03-10",
            ["insurer"] = new JsonObject { ["display"] = "ISSS SALEX" },
        };

    public static JsonNode Problem(int status) =>
        new JsonObject
        {
            ["type"] = $"https://tools.ietf.org/html/rfc9110#section-15.{(status >= 500 ? "6" : "5")}",
            ["title"] = status switch
            {
                400 => "One or more validation errors occurred.",
                401 => "Unauthorized",
                403 => "Forbidden",
                404 => "Not Found",
                409 => "Conflict",
                413 => "Payload Too Large",
                415 => "Unsupported Media Type",
                422 => "Unprocessable Entity",
                503 => "Service Unavailable",
                _ => "Error",
            },
            ["status"] = status,
        }.Also(problem =>
        {
            if (status is 401 or 403 or 415)
                problem["detail"] = status switch
                {
                    401 => "A valid API key is required in the X-Api-Key header.",
                    403 => "The role 'auditor' may not call this route.",
                    _ => "The body must be JSON (Content-Type: application/json).",
                };
            else
                problem["errors"] = status switch
                {
                    400 => new JsonObject { ["paidOn"] = new JsonArray("The date must be yyyy-MM-dd (2018-03-05).") },
                    404 => new JsonObject { ["affiliationNumber"] = new JsonArray("No account 100000017.") },
                    409 => new JsonObject
                    {
                        ["reference"] = new JsonArray("This bank reference was used with other data."),
                    },
                    413 => new JsonObject { ["body"] = new JsonArray("The body is larger than this route accepts.") },
                    422 => new JsonObject
                    {
                        ["amount"] = new JsonArray(
                            "The money would pay a period after the last payable period (2019-03)."
                        ),
                    },
                    _ => new JsonObject { ["database"] = new JsonArray("database unreachable") },
                };
        });

    private static JsonObject Also(this JsonObject node, Action<JsonObject> add)
    {
        add(node);
        return node;
    }

    /// <summary>The health check's own report (README "API"), ready or not.</summary>
    public static JsonNode Health(int status) =>
        status == 200
            ? new JsonObject
            {
                ["status"] = "Healthy",
                ["database"] = "Ready",
                ["reason"] = null,
            }
            : new JsonObject
            {
                ["status"] = "Unhealthy",
                ["database"] = "Unreachable",
                ["reason"] = "database unreachable",
            };

    public static JsonNode FhirOutcome(int status) =>
        new JsonObject
        {
            ["resourceType"] = "OperationOutcome",
            ["issue"] = new JsonArray(
                new JsonObject
                {
                    ["severity"] = "error",
                    ["code"] = status switch
                    {
                        401 or 403 => "security",
                        404 => "not-found",
                        413 => "too-costly",
                        503 => "transient",
                        _ => "invalid",
                    },
                    ["diagnostics"] =
                        status == 404 ? "No insured person has the DUI '04567890-3'." : "The request was refused.",
                }
            ),
        };
}
