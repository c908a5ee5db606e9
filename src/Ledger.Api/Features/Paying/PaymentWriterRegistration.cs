namespace Salex.Ledger.Api.Features.Paying;

/// <summary>The group commit as a service the payment endpoint takes and a host runs (the API, the
/// benchmarks).</summary>
public static class PaymentWriterRegistration
{
    public static IServiceCollection AddPaymentWriter(this IServiceCollection services) =>
        services.AddSingleton<PaymentWriter>().AddHostedService(sp => sp.GetRequiredService<PaymentWriter>());
}
