using Marten;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;

namespace Salex.Projections.Accounts;

/// <summary>
/// The account documents' JSON compressed with LZ4 rather than PostgreSQL's default (pglz), where the server has LZ4
/// (PostgreSQL 14 and later, built with it, as Debian's and the official images are). An account of 4–5 KB is compressed
/// on every write of it (each payment, each bank line) and decompressed on every read (each rights answer). Measured on
/// 20,000 of the benchmark's accounts, twice each way: written in 1.68 s with pglz and 0.98–1.07 s with LZ4, read in
/// 75–81 ms and 36–39 ms, 11 % more space (docs/benchmarks.md). Rows keep the compression they were written with until
/// they are written again; both are read alike. A server without LZ4 keeps pglz (the migration does nothing there).
/// </summary>
public sealed class AccountCompression(StoreOptions opts, string schema)
    : FeatureSchemaBase("AccountCompression", opts.Advanced.Migrator)
{
    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        yield return new ColumnCompression(schema, "mt_doc_account");
    }

    private sealed class ColumnCompression(string schema, string table)
        : ScriptSchemaObject(new PostgresqlObjectName(schema, $"{table}_data_compression"))
    {
        private string Table => $"{schema}.{table}";

        private const string Lz4Available =
            "exists (select from pg_settings where name = 'default_toast_compression' and 'lz4' = any(enumvals))";

        public override void WriteCreateStatement(Migrator migrator, TextWriter writer) =>
            writer.WriteLine(
                $"""
                DO $compression$ BEGIN
                  IF to_regclass('{Table}') IS NOT NULL AND {Lz4Available} THEN
                    ALTER TABLE {Table} ALTER COLUMN data SET COMPRESSION lz4;
                  END IF;
                END $compression$;
                """
            );

        // On a fresh database the table does not exist when this is asked: the statement then runs after it is
        // created, in the same migration (features come after the documents' tables).
        public override void ConfigureQueryCommand(DbCommandBuilder builder) =>
            builder.Append(
                $"""
                select case when not {Lz4Available} then 'no lz4'
                            when to_regclass('{Table}') is null then 'no table yet'
                            else (select attcompression::text from pg_attribute
                                  where attrelid = to_regclass('{Table}') and attname = 'data')
                       end;
                """
            );

        protected override bool IsUpToDate(string answer) => answer is "l" or "no lz4";
    }
}
