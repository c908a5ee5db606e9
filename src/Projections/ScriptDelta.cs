using Weasel.Core;
using Weasel.Core.Migrations;

namespace Salex.Projections;

/// <summary>
/// The change of a schema object whose update is its whole script run again (idempotent statements: grants, a column's
/// compression), with nothing to roll back.
/// </summary>
internal sealed class ScriptDelta(ISchemaObject schemaObject, SchemaPatchDifference difference) : ISchemaObjectDelta
{
    public ISchemaObject SchemaObject => schemaObject;
    public SchemaPatchDifference Difference => difference;

    public void WriteUpdate(Migrator migrator, TextWriter writer) =>
        schemaObject.WriteCreateStatement(migrator, writer);

    public void WriteRollback(Migrator migrator, TextWriter writer) { }

    public void WriteRestorationOfPreviousState(Migrator migrator, TextWriter writer) { }
}
