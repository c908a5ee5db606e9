-- What the database must do for a bank file's line, at best: the same 500 lines written Marten's way (per line the
-- append function with the chain's row trigger, the account upsert, the receipt, the line row; then the file's 500
-- events in one call) and set-based (one statement per table, the chain computed by a statement-level trigger).
-- A measurement, not product code: docs/benchmarks.md, "The bank import against this machine".
-- Run on a seeded benchmark database (./bench.sh seeds salex_bench); every transaction is rolled back:
--   psql -h 127.0.0.1 -p 55432 -U postgres -d salex_bench -v ON_ERROR_STOP=1 -f tests/Ledger.Benchmarks/Prototypes/bank-line-writes.sql
-- Afterwards: drop table proto_lines; drop function proto_marten, proto_chain_stmt, proto_set_t;
-- 3 disjoint groups of 500 accounts (one per repetition and method), with what a bank line writes.
drop table if exists proto_lines;
create table proto_lines as
select row_number() over () as n, a.id as account, s.version as version, a.data as doc,
  '{"source": {"paidOn": "2026-11-20", "channel": "BRANCH", "bankCode": "CUSCATLAN", "reference": "T0000000001"}, "periods": [{"base": 68.04, "total": 68.04, "period": "2026-11", "daysLate": 0, "surcharge": 0.00, "surchargeRate": 0}]}'::jsonb as event,
  jsonb_build_object('id','CUSCATLAN/P'||a.id,'day','2026-11-20','bank','CUSCATLAN','trail','{"amount": 68.04, "credit": 0, "refund": 0, "balanced": true, "suspense": 0, "surcharges": 0, "contributions": 68.04}'::jsonb,'origin','BF-proto line 2','response','{"amount": 68.04, "credit": 0, "paidOn": "2026-11-20", "bankCode": "CUSCATLAN", "reference": "T000000000", "refundDue": 0, "allocations": [{"base":68.04,"period":"2026-11","surcharge":0}], "paidThrough": "2026-11", "creditApplied": 0, "creditBalance": 0}'::jsonb,'affiliationNumber',a.id) as receipt,
  '{"line": 2, "amount": 68.04, "credit": 0, "paidOn": "2026-11-20", "reason": null, "refund": 0, "outcome": "Applied", "bankCode": "CUSCATLAN", "sequence": null, "suspense": 0, "surcharges": 0, "contributions": 68.04, "transactionId": "T000000000", "affiliationNumber": "111000014"}'::jsonb as line
from (select * from salex.mt_doc_account order by md5(id) limit 4000) a join salex.mt_streams s on s.id = a.id;
create index on proto_lines(n);
create or replace function proto_marten(rep int) returns void language plpgsql as $$
declare r record; f text := 'BF-proto-m-' || rep;
begin
  for r in select * from proto_lines where n > rep * 500 and n <= (rep + 1) * 500 order by n loop
    perform salex.mt_quick_append_events(r.account, 'account', '*DEFAULT*', array[gen_random_uuid()], array['contribution_paid'::varchar], array['x'::varchar], array[r.event], null, array[null::varchar], array[null::varchar], array['{"bankFile":"BF-proto","channel":"api","recordedBy":"finance"}'::jsonb], array['u'::varchar], array[now()], r.version);
    insert into salex.mt_doc_account (id, data, mt_dotnet_type, mt_version, mt_last_modified, episode_open) values (r.account, r.doc, 'Salex.Ledger.Accounts.Account', r.version + 1, transaction_timestamp(), true)
      on conflict (id) do update set data = excluded.data, mt_dotnet_type = excluded.mt_dotnet_type, mt_version = excluded.mt_version, mt_last_modified = excluded.mt_last_modified, episode_open = excluded.episode_open;
    insert into salex.mt_doc_paymentreceipt (id, data, mt_dotnet_type, mt_last_modified, bank, day) values (r.receipt->>'id', r.receipt, 'PaymentReceipt', transaction_timestamp(), 'CUSCATLAN', '2026-11-20');
    insert into salex.mt_doc_bankfilelinerow (id, data, mt_dotnet_type, mt_last_modified, file_id) values (f || '/' || r.n, jsonb_build_object('id', f || '/' || r.n, 'line', r.line, 'fileId', f), 'BankFileLineRow', transaction_timestamp(), f)
      on conflict (id) do update set data = excluded.data;
  end loop;
  perform salex.mt_quick_append_events(f, null, '*DEFAULT*', array(select gen_random_uuid() from generate_series(1,500)), array_fill('bank_file_line_recorded'::varchar, array[500]), array_fill('x'::varchar, array[500]), array(select line from proto_lines where n > rep * 500 and n <= (rep + 1) * 500 order by n), null, array_fill(null::varchar, array[500]), array_fill(null::varchar, array[500]), array_fill('{"bankFile":"BF-proto","channel":"api","recordedBy":"finance"}'::jsonb, array[500]), array_fill('u'::varchar, array[500]), array_fill(now(), array[500]), null);
end $$;

-- The chain per statement: the first new event of each stream looks up its predecessor's hash (one join), the
-- next ones in the same statement carry it; one insert of all hashes.
create or replace function proto_chain_stmt() returns trigger language plpgsql set enable_hashjoin = off set enable_mergejoin = off as $$
declare r record; prev varchar; last_stream varchar := null; ids varchar[] := '{}'; vers bigint[] := '{}'; hs varchar[] := '{}';
begin
  for r in select a.*, h.hash as before from added a left join salex.event_hashes h on h.stream_id = a.stream_id and h.version = a.version - 1 order by a.stream_id, a.version loop
    if last_stream is distinct from r.stream_id then prev := r.before; last_stream := r.stream_id; end if;
    prev := salex.event_chain_hash(r.stream_id, r.version, r.id, r.type, r.timestamp, r.data, r.headers, r.correlation_id, r.causation_id, r.user_name, coalesce(prev, repeat('0', 64)));
    ids := array_append(ids, r.stream_id); vers := array_append(vers, r.version); hs := array_append(hs, prev);
  end loop;
  insert into salex.event_hashes (stream_id, version, hash) select * from unnest(ids, vers, hs);
  return null;
end $$;


create or replace function proto_set_t(rep int) returns void language plpgsql as $$
declare t0 timestamptz; cnt int; f text := 'BF-proto-s-' || rep;
begin
  -- The client would send these as arrays; a temporary table stands in for them (not timed).
  create temp table l on commit drop as select * from proto_lines where n > rep * 500 and n <= (rep + 1) * 500;
  analyze l;
  t0 := clock_timestamp();
  update salex.mt_streams s set version = l.version + 1, timestamp = now() from l where s.id = l.account and s.version = l.version;
  get diagnostics cnt = row_count;
  if cnt <> 500 then raise exception 'version conflict: % of 500', cnt; end if;
  raise notice 'versions % ms', round(extract(epoch from clock_timestamp() - t0) * 1000, 1); t0 := clock_timestamp();
  insert into salex.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, headers, user_name)
    select nextval('salex.mt_events_sequence'), gen_random_uuid(), l.account, l.version + 1, l.event, 'contribution_paid', now(), '*DEFAULT*', 'x', '{"bankFile":"BF-proto","channel":"api","recordedBy":"finance"}'::jsonb, 'u' from l order by n;
  raise notice 'account events % ms', round(extract(epoch from clock_timestamp() - t0) * 1000, 1); t0 := clock_timestamp();
  insert into salex.mt_doc_account (id, data, mt_dotnet_type, mt_version, mt_last_modified, episode_open)
    select l.account, l.doc, 'Salex.Ledger.Accounts.Account', l.version + 1, transaction_timestamp(), true from l
    on conflict (id) do update set data = excluded.data, mt_dotnet_type = excluded.mt_dotnet_type, mt_version = excluded.mt_version, mt_last_modified = excluded.mt_last_modified, episode_open = excluded.episode_open;
  raise notice 'documents % ms', round(extract(epoch from clock_timestamp() - t0) * 1000, 1); t0 := clock_timestamp();
  insert into salex.mt_doc_paymentreceipt (id, data, mt_dotnet_type, mt_last_modified, bank, day)
    select l.receipt->>'id', l.receipt, 'PaymentReceipt', transaction_timestamp(), 'CUSCATLAN', '2026-11-20' from l;
  raise notice 'receipts % ms', round(extract(epoch from clock_timestamp() - t0) * 1000, 1); t0 := clock_timestamp();
  insert into salex.mt_doc_bankfilelinerow (id, data, mt_dotnet_type, mt_last_modified, file_id)
    select f || '/' || l.n, jsonb_build_object('id', f || '/' || l.n, 'line', l.line, 'fileId', f), 'BankFileLineRow', transaction_timestamp(), f from l
    on conflict (id) do update set data = excluded.data;
  raise notice 'line rows % ms', round(extract(epoch from clock_timestamp() - t0) * 1000, 1); t0 := clock_timestamp();
  insert into salex.mt_streams (id, type, version, timestamp, tenant_id) values (f, null, 500, now(), '*DEFAULT*');
  insert into salex.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, headers, user_name)
    select nextval('salex.mt_events_sequence'), gen_random_uuid(), f, row_number() over (order by n), l.line, 'bank_file_line_recorded', now(), '*DEFAULT*', 'x', '{"bankFile":"BF-proto","channel":"api","recordedBy":"finance"}'::jsonb, 'u' from l order by n;
  raise notice 'file stream and events % ms', round(extract(epoch from clock_timestamp() - t0) * 1000, 1);
end $$;

\timing on
\echo Alternating, on distinct accounts: Marten's shape (groups 0-3), set-based (groups 4-7, a notice per statement)
\echo Marten's shape
begin; select proto_marten(0); rollback;
\echo set-based
begin; alter table salex.mt_events disable trigger event_chain; create trigger proto_chain after insert on salex.mt_events referencing new table as added for each statement execute function proto_chain_stmt(); select proto_set_t(4); rollback;
\echo Marten's shape
begin; select proto_marten(1); rollback;
\echo set-based
begin; alter table salex.mt_events disable trigger event_chain; create trigger proto_chain after insert on salex.mt_events referencing new table as added for each statement execute function proto_chain_stmt(); select proto_set_t(5); rollback;
\echo Marten's shape
begin; select proto_marten(2); rollback;
\echo set-based
begin; alter table salex.mt_events disable trigger event_chain; create trigger proto_chain after insert on salex.mt_events referencing new table as added for each statement execute function proto_chain_stmt(); select proto_set_t(6); rollback;
\echo Marten's shape
begin; select proto_marten(3); rollback;
\echo set-based
begin; alter table salex.mt_events disable trigger event_chain; create trigger proto_chain after insert on salex.mt_events referencing new table as added for each statement execute function proto_chain_stmt(); select proto_set_t(7); rollback;
