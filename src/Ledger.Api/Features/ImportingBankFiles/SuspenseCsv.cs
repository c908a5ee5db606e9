using Salex.Ledger.Api.Infrastructure;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>Money held in suspense as a spreadsheet for finance: one row per item, no totals row (a sum is the
/// spreadsheet's).</summary>
public static class SuspenseCsv
{
    private static readonly string[] Columns =
    [
        "id",
        "fileId",
        "line",
        "bankCode",
        "transactionId",
        "paidOn",
        "amount",
        "channel",
        "status",
        "reason",
        "payer",
        "debtorName",
        "debtorAccount",
        "remittance",
        "assignedTo",
        "refundReason",
    ];

    public static IResult Of(string fileName, IEnumerable<SuspenseView> items) =>
        Csv.Result(fileName, Columns, items.Select(Fields));

    private static IEnumerable<object?> Fields(SuspenseView s) =>
        [
            s.Id,
            s.FileId,
            s.Line,
            s.BankCode,
            s.TransactionId,
            s.PaidOn,
            s.Amount,
            s.Channel,
            s.Status,
            s.Reason,
            s.AffiliationNumber,
            s.DebtorName,
            s.DebtorAccount,
            s.Remittance,
            s.AssignedTo,
            s.RefundReason,
        ];
}
