-- Registry: datasets of FollowTheMoney entities, import runs, entity references.
-- Runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): use only SQL both accept.

create table registry_datasets (
  id uuid primary key,
  name text not null unique check (name ~ '^[a-z0-9][a-z0-9_-]{0,99}$'),
  title text not null,
  source text,
  source_date text,
  licence text,
  notes text,
  restricted boolean not null default false,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- One row per import run (CLI or API): who imported what, when, with which outcome.
create table registry_imports (
  id uuid primary key,
  dataset_id uuid not null references registry_datasets (id) on delete cascade,
  file_name text,
  actor text not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  imported integer not null default 0,
  unchanged integer not null default 0,
  rejected integer not null default 0,
  status text not null check (status in ('running', 'done', 'failed'))
);
create index registry_imports_dataset on registry_imports (dataset_id, started_at);

-- Every insert or change of an entity takes the next value; screening polls for values above the last seen.
create sequence registry_change_seq;

create table registry_entities (
  id text primary key check (id ~ '^[A-Za-z0-9._:-]{1,200}$'),
  schema text not null,
  dataset_id uuid not null references registry_datasets (id) on delete cascade,
  caption text not null,
  properties jsonb not null,
  created_by text not null,
  updated_by text not null,
  import_id uuid references registry_imports (id) on delete set null,
  first_seen timestamptz not null default now(),
  last_change timestamptz not null default now(),
  change_seq bigint not null default nextval('registry_change_seq'),
  -- A tombstone: content removed, row kept so other processes see the deletion through change_seq.
  deleted_at timestamptz
);
create unique index registry_entities_change_seq on registry_entities (change_seq);
create index registry_entities_dataset on registry_entities (dataset_id, id);
create index registry_entities_list on registry_entities (dataset_id, schema, caption, id);
create index registry_entities_caption on registry_entities (caption, id);

-- Entity references (Occupancy.holder, Sanction.entity, ...), kept in step with properties so an entity
-- page finds what points at it without scanning JSON.
create table registry_refs (
  source_id text not null references registry_entities (id) on delete cascade,
  property text not null,
  target_id text not null,
  primary key (source_id, property, target_id)
);
create index registry_refs_target on registry_refs (target_id);
