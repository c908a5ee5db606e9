using Weasel.Core;
using Weasel.Core.Migrations;

namespace Salex.Projections;

/// <summary>
/// A schema object that is one idempotent script (grants, a column's compression): up to date when its probe query
/// answers what <see cref="IsUpToDate"/> accepts, otherwise brought up to date by running the whole script again, with
/// nothing to drop or roll back.
/// </summary>
internal abstract class ScriptSchemaObject(DbObjectName identifier) : ISchemaObject
{
    public DbObjectName Identifier => identifier;

    public IEnumerable<DbObjectName> AllNames()
    {
        yield return Identifier;
    }

    public abstract void WriteCreateStatement(Migrator migrator, TextWriter writer);

    public void WriteDropStatement(Migrator migrator, TextWriter writer) { }

    /// <summary>A query of one text value, which <see cref="IsUpToDate"/> judges.</summary>
    public abstract void ConfigureQueryCommand(DbCommandBuilder builder);

    protected abstract bool IsUpToDate(string answer);

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(System.Data.Common.DbDataReader reader, CancellationToken ct)
    {
        var answer = await reader.ReadAsync(ct) ? reader.GetString(0) : "";
        return new ScriptDelta(this, IsUpToDate(answer) ? SchemaPatchDifference.None : SchemaPatchDifference.Update);
    }

    private sealed class ScriptDelta(ISchemaObject schemaObject, SchemaPatchDifference difference) : ISchemaObjectDelta
    {
        public ISchemaObject SchemaObject => schemaObject;
        public SchemaPatchDifference Difference => difference;

        public void WriteUpdate(Migrator migrator, TextWriter writer) =>
            schemaObject.WriteCreateStatement(migrator, writer);

        public void WriteRollback(Migrator migrator, TextWriter writer) { }

        public void WriteRestorationOfPreviousState(Migrator migrator, TextWriter writer) { }
    }
}
