using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Npgsql;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Integrity;
using Salex.Projections.Integrity;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Auditing;

public sealed record DigestView(
    string Date, DateTimeOffset At, string Digest, int Streams, long Events, long UpToSequence, long Version,
    string? Signature = null, string? KeyId = null);
