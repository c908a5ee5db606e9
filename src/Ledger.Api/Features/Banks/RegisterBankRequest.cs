using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Banks;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Banks;

public sealed record RegisterBankRequest(string? Code, string? Name, string[]? Bics);
