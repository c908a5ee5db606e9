namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// A command whose handler records events on behalf of a caller: <see cref="RecordingMiddleware"/> stamps the
/// handler's session with the caller's stamps, carried on the envelope (<see cref="Recording.Of(HttpContext)"/>).
/// </summary>
public interface IStampedCommand;
