namespace Salex.Ledger.Contributions;

public enum Channel
{
    Branch,
    Online,
}
