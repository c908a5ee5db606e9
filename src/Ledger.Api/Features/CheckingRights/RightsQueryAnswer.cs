namespace Salex.Ledger.Api.Features.CheckingRights;

/// <summary>The rights of each account found on the date, and the numbers no insured person has.</summary>
public sealed record RightsQueryAnswer(string On, IReadOnlyList<RightsAnswer> Results, IReadOnlyList<string> NotFound);
