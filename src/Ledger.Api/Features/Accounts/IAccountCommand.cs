namespace Salex.Ledger.Api.Features.Accounts;

/// <summary>
/// A command on an existing account, handled through Wolverine's aggregate handler workflow: its handler takes the
/// command and the <see cref="Salex.Ledger.Accounts.Account"/> (<c>[WriteAggregate]</c> on <see
/// cref="AffiliationNumber"/>)
/// and returns an <see cref="AccountChange"/> with the events. See <see cref="AccountCommands"/>.
/// </summary>
public interface IAccountCommand : Infrastructure.IStampedCommand
{
    string AffiliationNumber { get; }
}
