-- Datasets: mapped imports of spreadsheets and SQL databases into registry datasets.
-- Runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): use only SQL both accept.

-- One row per run of a mapping (CLI or web): what was mapped from where, by whom, with which outcome.
create table datasets_runs (
  id uuid primary key,
  dataset_id uuid not null references registry_datasets (id) on delete cascade,
  actor text not null,
  mapping_name text,
  mapping_sha256 text not null,
  -- The mapping as written, with passwords of database URLs removed.
  mapping_text text not null,
  -- [{query, kind, name, sha256, bytes, encoding, evidenceItemId}]: the file hashes are the provenance.
  sources jsonb not null default '[]'::jsonb,
  status text not null check (status in ('queued', 'staging', 'publishing', 'done', 'failed')),
  rows_read integer not null default 0,
  rows_rejected integer not null default 0,
  entities_written integer not null default 0,
  entities_unchanged integer not null default 0,
  bytes_read bigint not null default 0,
  bytes_total bigint,
  error text,
  registry_import_id uuid,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
create index datasets_runs_dataset on datasets_runs (dataset_id, started_at);

-- Entity fragments of a run before they are published into the registry in one transaction.
-- Emptied when the run ends, whatever the outcome.
create table datasets_stage (
  run_id uuid not null references datasets_runs (id) on delete cascade,
  entity_id text not null,
  seq bigint not null,
  schema text not null,
  properties jsonb not null,
  query integer not null,
  line integer not null,
  ref text not null,
  primary key (run_id, entity_id, seq)
);

-- The first rejected rows of a run (the CLI writes all of them to its rejects file).
create table datasets_rejects (
  run_id uuid not null references datasets_runs (id) on delete cascade,
  n integer not null,
  reject jsonb not null,
  primary key (run_id, n)
);

-- Where each mapped entity came from, as of the latest run that produced it.
create table datasets_provenance (
  entity_id text primary key references registry_entities (id) on delete cascade,
  run_id uuid not null references datasets_runs (id) on delete cascade,
  query integer not null,
  line integer not null,
  ref text not null,
  rows integer not null
);
create index datasets_provenance_run on datasets_provenance (run_id);
