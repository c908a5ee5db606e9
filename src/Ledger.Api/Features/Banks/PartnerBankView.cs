using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Banks;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Banks;

public sealed record PartnerBankView(string Code, string Name, IReadOnlyList<string> Bics);
