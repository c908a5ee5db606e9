using NodaTime;

namespace Salex.Ledger.Contributions;

/// <summary>A payment sent by a caller of the API, already parsed.</summary>
public sealed record RecordPayment(LocalDate PaidOn, decimal Amount, string BankCode, string Reference, Channel Channel)
{
    public PaymentSource Source => new(PaidOn, BankCode, Reference, SourceChannel(Channel));

    /// <summary>How a payment's source names its channel ("BRANCH", "ONLINE").</summary>
    public static string SourceChannel(Channel channel) => channel.ToString().ToUpperInvariant();

    /// <summary>The channel a source names as payments write it (<see cref="SourceChannel"/>); null for any other text.</summary>
    public static Channel? ChannelOf(string sourceChannel) =>
        Enum.GetValues<Channel>().Cast<Channel?>().FirstOrDefault(c => SourceChannel(c!.Value) == sourceChannel);
}
