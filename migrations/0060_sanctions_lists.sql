-- Official sanctions lists imported into registry datasets: which dataset holds which authority's list,
-- each import run with its files (name, size, SHA-256) and the list's own date, and each designation
-- (by the list's own id) with the registry entities it became, when it was first and last seen and
-- when it was ended (no longer on the list). Runs on PostgreSQL 15 and on PGlite.
create table sanctions_lists (
  dataset_id uuid primary key,
  authority text not null,
  created_at timestamptz not null default now()
);

create table sanctions_list_imports (
  id uuid primary key,
  dataset_id uuid not null references sanctions_lists (dataset_id),
  format text not null,
  files jsonb not null,
  generated text,
  actor text not null,
  registry_import_id uuid,
  started_at timestamptz not null,
  finished_at timestamptz,
  status text not null check (status in ('done', 'failed')),
  entries integer not null default 0,
  added integer not null default 0,
  updated integer not null default 0,
  unchanged integer not null default 0,
  ended integer not null default 0,
  skipped jsonb not null default '{}'::jsonb
);
create index sanctions_list_imports_dataset on sanctions_list_imports (dataset_id, started_at);

create table sanctions_listings (
  dataset_id uuid not null references sanctions_lists (dataset_id),
  list_id text not null,
  entity_id text not null,
  schema text not null,
  caption text not null,
  entity_ids jsonb not null,
  content_hash text not null,
  listing_date text,
  first_import uuid not null,
  last_import uuid not null,
  first_seen timestamptz not null,
  last_seen timestamptz not null,
  ended_at timestamptz,
  ended_import uuid,
  primary key (dataset_id, list_id)
);
create index sanctions_listings_entity on sanctions_listings (entity_id);
