using Marten;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Salex.Projections.Reserve;

/// <summary>
/// The reserve's table, one row per (year of payment, insured): a storage feature of its own so that Marten creates it
/// after <c>mt_streams</c>, which its foreign key names (deleting or truncating the streams, as Marten's reset does,
/// takes the rows with them).
/// </summary>
public sealed class ReserveSchema(StoreOptions opts, string schema)
    : FeatureSchemaBase("Reserve", opts.Advanced.Migrator)
{
    public const string Table = "reserve_contributions";

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        var table = new Table(new PostgresqlObjectName(schema, Table));
        table.AddColumn<int>("year").AsPrimaryKey();
        table
            .AddColumn("affiliation_number", "varchar")
            .AsPrimaryKey()
            .ForeignKeyTo(
                new PostgresqlObjectName(schema, "mt_streams"),
                "id",
                "fkey_reserve_contributions_stream",
                Weasel.Core.CascadeAction.Cascade,
                Weasel.Core.CascadeAction.NoAction
            );
        table.AddColumn("base_contributions", "numeric").NotNull();
        yield return table;
    }
}
