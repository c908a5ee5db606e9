namespace Salex.Ledger.Api.Infrastructure.Settings;

/// <summary>A section of the configuration that can say what is wrong with it, naming each setting.</summary>
public interface ICheckedSettings
{
    IEnumerable<string> Problems();
}
