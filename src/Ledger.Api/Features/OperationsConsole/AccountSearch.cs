using Marten;
using Salex.Ledger.Accounts;
using Salex.Ledger.Enrolment;
using Salex.Projections.Accounts;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>
/// Finding an insured person by affiliation number, DUI (with or without its dash) or part of the name; what finance
/// types when a payer's remittance text names someone.
/// </summary>
public static class AccountSearch
{
    public const int MaxResults = 20;

    public static async Task<IReadOnlyList<Account>> FindAsync(
        IQuerySession session,
        string? text,
        CancellationToken ct
    )
    {
        var q = text?.Trim() ?? "";
        if (q.Length is 0 or > Limits.QueryValue)
            return [];
        var found = new List<Account>();
        var digits = new string(q.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 9 && q.All(c => char.IsAsciiDigit(c) || c == '-'))
        {
            // Nine digits are an affiliation number or a DUI (8 digits and a check digit): both are tried.
            if (await session.LoadAsync<Account>(digits, ct) is { } byNumber)
                found.Add(byNumber);
            var dui = $"{digits[..8]}-{digits[8]}";
            if (
                Dui.HasValidShape(dui)
                && await session.LoadAsync<DuiRegistration>(dui, ct) is { } registration
                && await session.LoadAsync<Account>(registration.AffiliationNumber, ct) is { } byDui
                && found.All(a => a.Id != byDui.Id)
            )
                found.Add(byDui);
            return found;
        }
        if (q.Any(char.IsLetter))
            found.AddRange(
                await session
                    .Query<Account>()
                    .Where(a => a.FullName.Contains(q, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(a => a.FullName)
                    .Take(MaxResults)
                    .ToListAsync(ct)
            );
        return found;
    }
}
