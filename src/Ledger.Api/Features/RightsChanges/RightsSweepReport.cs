using Salex.Projections.RightsChanges;

namespace Salex.Ledger.Api.Features.RightsChanges;

public sealed record RightsSweepReport(string From, string Through, int AccountsExamined, int ChangesPublished);
