using System.Globalization;

namespace Salex.Ledger.Benchmarks;

/// <summary>The command line. <c>--smoke</c> picks small sizes that run in seconds and write nothing under docs/.</summary>
public sealed record Options
{
    public bool Smoke { get; init; }
    public int Population { get; init; } = 100_000;
    public int Seed { get; init; } = 20261123;
    public int Payments { get; init; } = 20_000;
    public int PaymentWorkers { get; init; } = 8;
    public int RawBatch { get; init; } = 100;
    public int Clients { get; init; } = 16;
    public double Seconds { get; init; } = 10;
    public double WarmUp { get; init; } = 10;
    public int ColdStarts { get; init; } = 3;
    public int BankLines { get; init; } = 100_000;
    public string Connection { get; init; } = "";
    public string Repo { get; init; } = "";
    public string Output { get; init; } = "";
    public string ApiDll { get; init; } = "";
    public HashSet<string> Skip { get; init; } = [];
    public bool Resume { get; init; }
    public HashSet<string> Only { get; init; } = [];
    public bool Reuse { get; init; }

    public static readonly string[] Workloads = ["bulk", "rebuild", "rights", "rights-batch", "payments", "cold", "http", "payments-http", "bank"];

    public const string Usage = """
        Ledger.Benchmarks — the ledger against the raw database, in the same run.
          --smoke               a few seconds of each workload (CI); writes artifacts/benchmarks-smoke.md, not docs/
          --population N        insured persons to generate (default 100000; smoke 300)
          --seed S              seed of the population (default 20261123)
          --payments N          payments recorded through the command path (default 20000; smoke 200), after a
                                fifth as many on other accounts, not timed (the JIT's warm-up)
          --payment-workers N   concurrent writers, each on its own streams (default 8)
          --raw-batch N         rows per batched INSERT of the raw baseline (default 100)
          --clients N           concurrent readers for the rights lookups (default 16)
          --seconds S           measuring time of each lookup workload (default 10; smoke 1)
          --warm-up S           lookups run unmeasured before each measuring time, the same for the ledger and its
                                baseline, so that the JIT has tiered the hot paths up (default 10; smoke 1)
          --cold-starts N       API processes started to time the first rights answer (default 3; smoke 1)
          --bank-lines N        lines of the bank file (default 100000; smoke 300)
          --connection CS       the database (default env LEDGER_BENCH_CONNECTION, else salex_bench on 127.0.0.1:55432)
          --output PATH         where to write the report (default docs/benchmarks.md for a full run,
                                artifacts/benchmarks-focused.md for --only, --skip or --reuse)
          --only a,b            run only these workloads: bulk, rebuild, rights, rights-batch, payments, cold, http, payments-http, bank
          --skip a,b            skip these workloads. The population is always seeded (Marten's bulk insertion, then
                                the read models built); "bulk" and "rebuild" say whether that is measured against raw
          --resume              the events of this population are already loaded and chained (a run that stopped after
                                the bulk load): verify them and go on from the read models' rebuild
          --reuse               keep salex_bench if it already holds this population (same size and seed, as seeded
                                by an earlier run and not changed by its payments or bank file): no reset, no seeding.
                                For focused runs; a full run starts from a clean database
        """;

    public static Options Parse(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var o = smoke
            ? new Options { Smoke = true, Population = 300, Payments = 200, Seconds = 1, WarmUp = 1, ColdStarts = 1, BankLines = 300, PaymentWorkers = 4 }
            : new Options();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--smoke" => o,
                "--resume" => o with { Resume = true },
                "--population" => o with { Population = Int() },
                "--seed" => o with { Seed = Int() },
                "--payments" => o with { Payments = Int() },
                "--payment-workers" => o with { PaymentWorkers = Int() },
                "--raw-batch" => o with { RawBatch = Int() },
                "--clients" => o with { Clients = Int() },
                "--seconds" => o with { Seconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--warm-up" => o with { WarmUp = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--cold-starts" => o with { ColdStarts = Int() },
                "--bank-lines" => o with { BankLines = Int() },
                "--connection" => o with { Connection = Next() },
                "--repo" => o with { Repo = Next() },
                "--output" => o with { Output = Next() },
                "--api" => o with { ApiDll = Next() },
                "--skip" => o with { Skip = WorkloadList(Next()) },
                "--only" => o with { Only = WorkloadList(Next()) },
                "--reuse" => o with { Reuse = true },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'.\n{Usage}"),
            };
        }

        var repo = o.Repo.Length > 0 ? o.Repo : FindRepo();
        return o with
        {
            Repo = repo,
            Connection = o.Connection.Length > 0 ? o.Connection
                : Environment.GetEnvironmentVariable("LEDGER_BENCH_CONNECTION") ?? "Host=127.0.0.1;Port=55432;Database=salex_bench;Username=postgres",
            // Only a full run rewrites docs/benchmarks.md: a focused one (--only, --skip, --reuse) would replace its table.
            Output = o.Output.Length > 0 ? o.Output
                : Path.Combine(repo, smoke ? "artifacts/benchmarks-smoke.md"
                    : o.Only.Count > 0 || o.Skip.Count > 0 || o.Reuse || o.Resume ? "artifacts/benchmarks-focused.md" : "docs/benchmarks.md"),
            ApiDll = o.ApiDll.Length > 0 ? o.ApiDll : Path.Combine(repo, "src/Ledger.Api/bin/Release/net10.0/Ledger.Api.dll"),
        };
    }

    public bool Runs(string workload) => (Only.Count == 0 || Only.Contains(workload)) && !Skip.Contains(workload);

    private static HashSet<string> WorkloadList(string value)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var unknown = names.Except(Workloads).ToList();
        return unknown.Count == 0 ? names
            : throw new ArgumentException($"Unknown workload(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Workloads)}.");
    }

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ledger.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
