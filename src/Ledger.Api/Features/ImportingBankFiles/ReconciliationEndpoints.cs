using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Projections;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>
/// What one bank collected on one day (El Salvador's date of payment) as the ledger holds it now, each
/// transaction counted once whichever way it came (a bank file, the payments API, a later assignment
/// or refund of suspense).
/// </summary>
public sealed record BankDay(
    string Bank,
    string Day,
    int Transactions,
    decimal Received,
    decimal Contributions,
    decimal Surcharges,
    decimal Credits,
    decimal Suspense,
    decimal RefundsDue
)
{
    public bool Balanced => Received == Contributions + Surcharges + Credits + Suspense + RefundsDue;
}

public sealed record BankReconciliation(
    string? Bank,
    string From,
    string To,
    IReadOnlyList<BankDay> Days,
    BankDay Totals
)
{
    public bool Balanced => Totals.Balanced && Days.All(d => d.Balanced);
}

public static class ReconciliationEndpoints
{
    public const int MaxDays = 366;

    /// <summary>
    /// Per bank per day. As CSV, the days only: the totals are their own download
    /// (<c>GET /api/reconciliation/totals</c>), so that a spreadsheet's sum of a column is not doubled by a totals row.
    /// </summary>
    [WolverineGet("/api/reconciliation")]
    [Authorize(Roles = Roles.ReadReconciliation)]
    [ProducesResponseType<BankReconciliation>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    public static async Task<IResult> Get(
        string? bank,
        string? from,
        string? to,
        HttpRequest request,
        IQuerySession session,
        IClock clock,
        CancellationToken ct
    )
    {
        var (problem, reconciliation) = await ReconcileAsync(bank, from, to, session, clock, ct);
        if (problem is not null)
            return problem;
        var r = reconciliation!;
        return Csv.Wants(request)
            ? Csv.Result($"reconciliation-{r.Bank ?? "all-banks"}-{r.From}-{r.To}.csv", Columns, r.Days.Select(Fields))
            : Results.Ok(r);
    }

    /// <summary>The totals of the same query, as JSON or as a one-row CSV of the same columns.</summary>
    [WolverineGet("/api/reconciliation/totals")]
    [Authorize(Roles = Roles.ReadReconciliation)]
    [ProducesResponseType<BankDay>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    public static async Task<IResult> Totals(
        string? bank,
        string? from,
        string? to,
        HttpRequest request,
        IQuerySession session,
        IClock clock,
        CancellationToken ct
    )
    {
        var (problem, reconciliation) = await ReconcileAsync(bank, from, to, session, clock, ct);
        if (problem is not null)
            return problem;
        var r = reconciliation!;
        return Csv.Wants(request)
            ? Csv.Result(
                $"reconciliation-totals-{r.Bank ?? "all-banks"}-{r.From}-{r.To}.csv",
                Columns,
                [Fields(r.Totals)]
            )
            : Results.Ok(r.Totals);
    }

    /// <summary>The query of both routes and of the console's reconciliation page.</summary>
    public static async Task<(IResult? Problem, BankReconciliation? Reconciliation)> ReconcileAsync(
        string? bank,
        string? from,
        string? to,
        IQuerySession session,
        IClock clock,
        CancellationToken ct
    )
    {
        var wire = new Wire();
        var today = ElSalvador.Today(clock);
        var last = string.IsNullOrWhiteSpace(to) ? today : wire.Date("to", to);
        var first = string.IsNullOrWhiteSpace(from) ? last : wire.Date("from", from);
        if (wire.Refusals.Count == 0 && first > last)
            wire.Refusals.Add(
                Refusal.Invalid("from", $"from ({Dates.Format(first)}) is after to ({Dates.Format(last)}).")
            );
        else if (wire.Refusals.Count == 0 && Period.Between(first, last, PeriodUnits.Days).Days >= MaxDays)
            wire.Refusals.Add(Refusal.Invalid("to", $"At most {MaxDays} days can be reconciled at once."));
        if (wire.Refusals.Count > 0)
            return (Problems.From(wire.Refusals), null);

        var bankCode = string.IsNullOrWhiteSpace(bank) ? null : bank.Trim().ToUpperInvariant();
        var days = await BankDaysAsync(session, bankCode, first, last, ct);
        var totals = days.Aggregate(
            new BankDay(bankCode ?? "*", $"{Dates.Format(first)}..{Dates.Format(last)}", 0, 0m, 0m, 0m, 0m, 0m, 0m),
            (t, d) =>
                t with
                {
                    Transactions = t.Transactions + d.Transactions,
                    Received = t.Received + d.Received,
                    Contributions = t.Contributions + d.Contributions,
                    Surcharges = t.Surcharges + d.Surcharges,
                    Credits = t.Credits + d.Credits,
                    Suspense = t.Suspense + d.Suspense,
                    RefundsDue = t.RefundsDue + d.RefundsDue,
                }
        );
        return (null, new BankReconciliation(bankCode, Dates.Format(first), Dates.Format(last), days, totals));
    }

    private static readonly string[] Columns =
    [
        "bank",
        "day",
        "transactions",
        "received",
        "contributions",
        "surcharges",
        "credits",
        "suspense",
        "refundsDue",
        "balanced",
    ];

    private static IEnumerable<object?> Fields(BankDay d) =>
        [
            d.Bank,
            d.Day,
            d.Transactions,
            d.Received,
            d.Contributions,
            d.Surcharges,
            d.Credits,
            d.Suspense,
            d.RefundsDue,
            d.Balanced,
        ];

    /// <summary>
    /// Sums the payment receipts (one per bank transaction, with where its money went) by bank and day, in
    /// the database: a day of a big bank is tens of thousands of transactions.
    /// </summary>
    public static async Task<IReadOnlyList<BankDay>> BankDaysAsync(
        IQuerySession session,
        string? bank,
        LocalDate from,
        LocalDate to,
        CancellationToken ct
    )
    {
        // The receipt's bank and day are duplicated columns (PaymentReceipt's [DuplicateField]), so this reads an
        // index.
        var sql = $"""
            select jsonb_build_object(
                'bank', bank, 'day', day, 'transactions', count(*),
                'received', sum((data->'trail'->>'amount')::numeric),
                'contributions', sum((data->'trail'->>'contributions')::numeric),
                'surcharges', sum((data->'trail'->>'surcharges')::numeric),
                'credits', sum((data->'trail'->>'credit')::numeric),
                'suspense', sum((data->'trail'->>'suspense')::numeric),
                'refundsDue', sum((data->'trail'->>'refund')::numeric))
            from {LedgerStore.Schema}.mt_doc_paymentreceipt
            where day between ? and ? and (? = '' or bank = ?)
            group by bank, day
            order by day, bank
            """;
        var rows = await session.AdvancedSql.QueryAsync<BankDay>(
            sql,
            ct,
            Dates.Format(from),
            Dates.Format(to),
            bank ?? "",
            bank ?? ""
        );
        return rows;
    }
}
