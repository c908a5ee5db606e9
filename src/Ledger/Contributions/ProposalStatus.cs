using NodaTime;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Contributions;

public enum ProposalStatus { Open, Approved, Rejected }
