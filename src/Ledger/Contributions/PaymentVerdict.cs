namespace Salex.Ledger.Contributions;

/// <summary>What the rules say about money paid to an account, whoever brings it (payments API, bank file,
/// suspense).</summary>
public enum PaymentVerdict
{
    /// <summary>The money pays whole periods (and perhaps leaves a credit).</summary>
    Accepted,

    /// <summary>Paid before the person's first enrolment: there was nothing to pay yet. (Money dated between two
    /// episodes is judged against the earlier one, which had ended: <see cref="NoOpenEpisode"/>.)</summary>
    BeforeEnrolment,

    /// <summary>The coverage episode had ended on the payment date (lapse, withdrawal, end of a return
    /// window).</summary>
    NoOpenEpisode,

    /// <summary>The money would pay a whole period after the last payable period.</summary>
    PastLastPayablePeriod,
}
