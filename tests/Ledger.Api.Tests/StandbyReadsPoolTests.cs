using Npgsql;
using Salex.Ledger.Api.Infrastructure;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>The rights reads' pool settings (README "Benchmarks"): defaults where the connection string is silent, its
/// own values where it speaks, nothing added without a pool.</summary>
public sealed class StandbyReadsPoolTests
{
    [Fact]
    public void a_silent_connection_string_gets_the_reads_pool_defaults()
    {
        var reads = new NpgsqlConnectionStringBuilder(StandbyReads.ForReads("Host=db;Database=salex;Username=salex_app"));

        reads.NoResetOnClose.ShouldBeTrue();
        reads.MaxAutoPrepare.ShouldBe(16);
        reads.AutoPrepareMinUsages.ShouldBe(2);
        reads.MaxPoolSize.ShouldBe(StandbyReads.MaxPoolSize);
        reads.ApplicationName.ShouldBe(Salex.Projections.ConnectionStringDefaults.ApplicationName);
        reads.Host.ShouldBe("db");
    }

    [Fact]
    public void values_the_connection_string_sets_are_kept()
    {
        var reads = new NpgsqlConnectionStringBuilder(StandbyReads.ForReads(
            "Host=db;No Reset On Close=false;Max Auto Prepare=0;Auto Prepare Min Usages=5;Maximum Pool Size=7;Application Name=reads-1"));

        reads.ApplicationName.ShouldBe("reads-1");
        reads.NoResetOnClose.ShouldBeFalse();
        reads.MaxAutoPrepare.ShouldBe(0);
        reads.AutoPrepareMinUsages.ShouldBe(5);
        reads.MaxPoolSize.ShouldBe(7);
    }

    [Fact]
    public void without_a_pool_the_connection_string_is_used_as_given()
    {
        const string unpooled = "Host=db;Pooling=false";

        StandbyReads.ForReads(unpooled).ShouldBe(unpooled);
    }
}
