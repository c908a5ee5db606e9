using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// How Wolverine gets the code of its handlers and endpoints (README "Generated code"). A Release build has no
/// Roslyn: it loads the classes that <c>./codegen.sh</c> wrote to <c>Internal/Generated/</c> and compiled in
/// (<see cref="TypeLoadMode.Static"/>: no compiler, no code generation at start or on a first request). Other builds
/// reference the runtime compiler and generate the code on first use (<see cref="TypeLoadMode.Dynamic"/>), so a
/// handler being changed is never run with stale code in development and tests.
/// </summary>
public static class GeneratedCode
{
#if RUNTIME_CODEGEN
    public const TypeLoadMode Mode = TypeLoadMode.Dynamic;
#else
    public const TypeLoadMode Mode = TypeLoadMode.Static;
#endif

    public static void Configure(WolverineOptions opts)
    {
        opts.CodeGeneration.TypeLoadMode = Mode;
        // `check-env` then fails when a handler or endpoint has no pre-generated class (a Release build whose
        // Internal/Generated/ was not regenerated); at run time such a class fails on its first use.
        opts.Services.CritterStackDefaults(x =>
            x.Production.AssertAllPreGeneratedTypesExist = Mode == TypeLoadMode.Static
        );
    }
}
