using Weasel.Core;
using Weasel.Postgresql;

namespace Salex.Projections.Integrity;

/// <summary>
/// What the application's PostgreSQL role may do: everything the service needs on the ledger's tables, but it
/// can only insert events and their hashes (no update, delete or truncate of <c>mt_events</c> or
/// <c>event_hashes</c>, no delete or truncate of <c>mt_streams</c>). The schema owner, used only for migrations,
/// applies this; a role that does not exist is left alone (a development database run as the superuser), with a
/// warning from the script itself (psql shows it when a DBA applies <c>db-patch</c>'s file); the host checks the role
/// before it applies the schema and says so, or stops for a role other than the default (<c>ApplicationRoleCheck</c>).
/// New tables get the same rights through the owner's default privileges.
/// </summary>
internal sealed class ApplicationRoleGrants(string schema, string role)
    : ScriptSchemaObject(new PostgresqlObjectName(schema, "application_role_grants"))
{
    public override void WriteCreateStatement(Migrator migrator, TextWriter writer) =>
        writer.WriteLine(
            $"""
            DO $grants$ BEGIN
              IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
                GRANT USAGE ON SCHEMA {schema} TO {role};
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};
                GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {role};
                GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} TO {role};
                ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role};
                ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role};
                ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT EXECUTE ON FUNCTIONS TO {role};
                REVOKE UPDATE, DELETE, TRUNCATE ON {schema}.mt_events, {schema}.{EventChainSchema.HashesTable} FROM {role};
                REVOKE DELETE, TRUNCATE ON {schema}.mt_streams FROM {role};
              ELSE
                RAISE WARNING 'Ledger:ApplicationRole: the role % does not exist; its grants were skipped', '{role}';
              END IF;
            END $grants$;
            """
        );

    // Up to date when the role is missing, or may insert events and not change them. On a fresh database the
    // tables do not exist when this is asked (the grants then run after them, in the same migration).
    public override void ConfigureQueryCommand(DbCommandBuilder builder) =>
        builder.Append(
            $"""
            select case when not exists (select from pg_roles where rolname = '{role}') then 'no role'
                   when to_regclass('{schema}.mt_events') is null or to_regclass('{schema}.{EventChainSchema.HashesTable}') is null
                     then 'no tables yet'
                   else has_table_privilege('{role}', '{schema}.mt_events', 'INSERT')::text || '|'
                     || has_table_privilege('{role}', '{schema}.mt_events', 'UPDATE, DELETE, TRUNCATE')::text || '|'
                     || has_table_privilege('{role}', '{schema}.{EventChainSchema.HashesTable}', 'UPDATE, DELETE, TRUNCATE')::text
                   end;
            """
        );

    protected override bool IsUpToDate(string answer) => answer is "no role" or "true|false|false";
}
