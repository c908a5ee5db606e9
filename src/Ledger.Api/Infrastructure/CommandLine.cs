using JasperFx;

// The admin commands of this host (import-bank-file, ...) are found by JasperFx in assemblies marked so,
// beside its own (db-apply, projections, ...): `dotnet run --project src/Ledger.Api -- help` lists them all.
[assembly: JasperFxAssembly]
