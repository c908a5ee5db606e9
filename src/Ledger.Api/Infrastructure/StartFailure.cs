using System.Reflection;
using Microsoft.Extensions.Options;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// A process that cannot start says why and exits non-zero, so that a supervisor (systemd, a container runtime, a
/// deployment script) sees the failure: a setting that is not valid exits with 78 (EX_CONFIG), anything else (the
/// database unreachable) with 1. Before this, a bad setting aborted the runtime (exit 134, a core dump and a stack
/// trace around the one useful line), and with <c>--urls</c> a host that failed to start exited 0.
/// </summary>
public static class StartFailure
{
    /// <summary>EX_CONFIG of sysexits.h: a setting is not valid.</summary>
    public const int SettingNotValid = 78;

    /// <summary>Anything else that kept the host from starting.</summary>
    public const int DidNotStart = 1;

    private static int _started;

    /// <summary>
    /// Reports an exception that escapes the program before the host has started. Only when this assembly is the
    /// process's entry: the tests host the program themselves and receive the exception.
    /// </summary>
    public static void ExitOnUnhandled()
    {
        if (Assembly.GetEntryAssembly() != typeof(StartFailure).Assembly)
            return;
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (Volatile.Read(ref _started) == 1 || e.ExceptionObject is not Exception exception)
                return;
            Console.Error.WriteLine(Describe(exception));
            Environment.Exit(ExitCode(exception));
        };
    }

    /// <summary>From here on an unhandled exception is a crash of a running service, reported as the runtime does.</summary>
    public static void MarkStarted() => Interlocked.Exchange(ref _started, 1);

    /// <summary>One line: every distinct message of the exception and its causes, without the stack.</summary>
    public static string Describe(Exception exception) => "The ledger did not start: " + Causes(exception);

    /// <summary>Every distinct message of the exception and its causes, on one line.</summary>
    public static string Causes(Exception exception) => string.Join(" ← ", Messages(exception).Distinct());

    public static int ExitCode(Exception exception) =>
        Flatten(exception).Any(IsSetting) ? SettingNotValid : DidNotStart;

    private static bool IsSetting(Exception e) =>
        e is OptionsValidationException or SettingsNotValidException
        || e is InvalidOperationException
            && e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal);

    private static IEnumerable<string> Messages(Exception e) => Flatten(e).Select(x => x.Message.Trim());

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        if (e is AggregateException aggregate)
        {
            foreach (var inner in aggregate.InnerExceptions)
            foreach (var x in Flatten(inner))
                yield return x;
            yield break;
        }
        yield return e;
        if (e.InnerException is { } cause)
            foreach (var x in Flatten(cause))
                yield return x;
    }
}

/// <summary>A setting the ledger cannot use, named with why (thrown before the host is built).</summary>
public sealed class SettingsNotValidException(string message) : InvalidOperationException(message);
