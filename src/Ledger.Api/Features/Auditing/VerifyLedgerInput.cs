using JasperFx.CommandLine;

namespace Salex.Ledger.Api.Features.Auditing;

public sealed class VerifyLedgerInput : NetCoreInput
{
    [Description(
        "A digest file kept by an auditor (GET /api/digests/{date}/signed) to check against, "
            + "instead of the latest one in the archive"
    )]
    public string? DigestFlag { get; set; }
}
