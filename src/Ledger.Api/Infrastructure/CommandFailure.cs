namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// The ledger's own admin commands (<c>import-bank-file</c>, <c>verify-ledger</c>, ...) say in one line that the
/// database cannot be reached (a wrong connection string, the server down) or has not the ledger's schema, and exit 1, as a failed start does
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
        // A database without the ledger's schema (verify-projections on it gave Marten's stack trace on stdout and an
        // empty stderr), or a role without its rights: the operator's to mend, said in one line.
        catch (Exception e) when (Failures.IsMisconfigured(e))
        {
            Console.Error.WriteLine(
                "The database refuses the ledger's configuration (a missing table: was db-apply run on it? or a role "
                    + "without its rights): "
                    + StartFailure.Causes(e)
            );
            return false;
        }
    }
}
