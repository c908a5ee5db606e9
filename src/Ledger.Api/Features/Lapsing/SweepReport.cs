namespace Salex.Ledger.Api.Features.Lapsing;

public sealed record SweepReport(
    string On,
    int AccountsExamined,
    int LapsesRecorded,
    IReadOnlyList<string> Lapsed,
    int Conflicts
);
