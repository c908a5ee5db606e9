namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// The ledger's own admin commands (<c>import-bank-file</c>, <c>verify-ledger</c>, ...) say in one line that the
/// database cannot be reached (a wrong connection string, the server down) and exit 1, as a failed start does
/// (<see cref="StartFailure"/>), instead of JasperFx's stack trace of Npgsql's internals.
/// </summary>
public static class CommandFailure
{
    public static async Task<bool> ReportingUnreachableDatabase(Func<Task<bool>> command)
    {
        try
        {
            return await command();
        }
        catch (Exception e) when (Failures.IsDatabaseUnavailable(e))
        {
            Console.Error.WriteLine("The database cannot be reached: " + StartFailure.Causes(e));
            return false;
        }
    }
}
