-- A citizen's submission keeps no time finer than its day (issue 15, item 2). Its audit rows and the
-- processing of its items wait here, without a time or an order, for the daily batch that appends the
-- rows to the audit chain in random order and queues the items' processing, shuffled, at a random time
-- of a later day. Runs on PostgreSQL 15 and on PGlite.
create table audit_deferred (
  id uuid primary key,
  day date not null,
  event jsonb not null
);
create index audit_deferred_day on audit_deferred (day);

create table evidence_citizen_batch (
  item_id uuid primary key references evidence_items (id) on delete cascade,
  received_on date not null
);
create index evidence_citizen_batch_day on evidence_citizen_batch (received_on);
