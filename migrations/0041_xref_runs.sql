-- Xref runs (a dataset against others) and the candidate pairs they suggest for review.
-- Runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): use only SQL both accept.

-- One row per (dataset, compared datasets): a re-run reuses it and works only on what changed since
-- `watermark`. Progress is committed page by page with `cursor`, so a killed run resumes where it was.
create table xref_runs (
  id uuid primary key,
  dataset_id uuid not null references registry_datasets (id) on delete cascade,
  -- '*' for every other dataset the run's creator could see, else the sorted ids joined by commas.
  against_key text not null,
  against jsonb not null,
  state text not null check (state in ('queued', 'running', 'done', 'failed')),
  -- Entities changed after since_seq are (re)compared; 0 compares everything.
  since_seq bigint not null default 0,
  -- The registry's change sequence when the current pass began.
  watermark bigint not null default 0,
  phase text not null default 'forward' check (phase in ('forward', 'reverse')),
  cursor text,
  total integer not null default 0,
  done integer not null default 0,
  suggested integer not null default 0,
  auto_decided integer not null default 0,
  skipped integer not null default 0,
  params jsonb not null,
  lease_owner text,
  lease_until timestamptz,
  error text,
  created_by text not null,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (dataset_id, against_key)
);

-- Candidate pairs, one row per pair whichever run found it (target > source like the edges). `judgement`
-- follows the resolver (null while undecided), so the review queue is one index scan.
create table xref_candidates (
  id bigint generated always as identity primary key,
  target text not null,
  source text not null,
  target_dataset uuid not null,
  source_dataset uuid not null,
  schema text not null,
  score double precision not null,
  explanations jsonb not null,
  judgement text check (judgement in ('positive', 'negative', 'unsure')),
  run_id uuid references xref_runs (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index xref_candidates_pair on xref_candidates (source, target);
create index xref_candidates_target on xref_candidates (target);
create index xref_candidates_queue on xref_candidates (score desc, id) where judgement is null;
create index xref_candidates_datasets on xref_candidates (target_dataset, source_dataset);

-- Per-dataset xref settings. Without a row: rules decide automatically for unrestricted datasets only.
create table xref_dataset_settings (
  dataset_id uuid primary key references registry_datasets (id) on delete cascade,
  auto_rules boolean not null,
  updated_by text not null,
  updated_at timestamptz not null default now()
);
