namespace Salex.Ledger.Contributions;

public enum ProposalStatus
{
    Open,
    Approved,
    Rejected,
}
