-- Verification cases (src/cases): a partner's request about a person, screening snapshots with per-hit
-- review, findings, four-eyes release (platform/review), issued reports (platform/reports), retention.
-- Subject data (names, birth date, identifiers, findings, hit details, reasons) is encrypted under a
-- per-case data key, itself wrapped by the master key ring; erasing a case destroys that key
-- (crypto-shredding) and deletes the derived rows, leaving a tombstone with counts.
-- Runs on PostgreSQL 15 and on PGlite: use only SQL both accept.

create table cases (
  id uuid primary key,
  number text not null unique,
  requester_org text not null,
  -- The API key that filed the request (partners see only their organization's cases).
  requester_key uuid,
  requester_contact bytea,
  purpose text not null,
  legal_basis text,
  due_date date,
  retention_class text not null check (retention_class in ('short', 'standard', 'long')),
  status text not null check (status in
    ('received', 'accepted', 'declined', 'in_progress', 'in_review', 'released', 'closed')),
  status_reason text,
  assigned_to uuid,
  created_by text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  released_at timestamptz,
  closed_at timestamptz,
  retention_until timestamptz,
  legal_hold boolean not null default false,
  data_key bytea,
  subject bytea,
  findings bytea,
  -- The reviewed content (findings and hit reviews) as it stood at the last review decision, so the
  -- next reviewer sees what changed since.
  last_reviewed bytea,
  erased_at timestamptz,
  tombstone jsonb
);
create index cases_org on cases (requester_org, created_at desc);
create index cases_status on cases (status, due_date);
create index cases_assigned on cases (assigned_to, status);
create index cases_retention on cases (retention_until) where erased_at is null;

-- Screening runs inside a case: what was known when (the whole result set, encrypted).
create table case_screenings (
  id uuid primary key,
  case_id uuid not null references cases (id),
  run_at timestamptz not null,
  run_by text not null,
  result_count integer not null,
  snapshot bytea not null
);
create index case_screenings_case on case_screenings (case_id, run_at);

-- One row per (case, matched entity or cluster): the latest snapshot's hit, reviewed one by one.
create table case_hits (
  id uuid primary key,
  case_id uuid not null references cases (id),
  hit_key text not null,
  first_screening uuid not null references case_screenings (id),
  last_screening uuid not null references case_screenings (id),
  score double precision not null,
  data bytea not null,
  review text not null default 'pending' check (review in ('pending', 'confirmed', 'dismissed', 'unsure')),
  review_reason bytea,
  reviewed_by text,
  reviewed_at timestamptz,
  unique (case_id, hit_key)
);

-- The case history: every transition, read, screening, edit, decision and report, hash-chained per case.
-- Details never carry subject data, so the history survives erasure intact.
create table case_events (
  case_id uuid not null references cases (id),
  seq integer not null check (seq >= 1),
  at timestamptz not null,
  action text not null,
  actor text not null,
  actor_label text,
  details jsonb not null,
  prev_hash text not null,
  hash text not null,
  primary key (case_id, seq)
);
create function case_events_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'case_events is append-only' using errcode = '42501';
end;
$$;
create trigger case_events_no_update before update or delete on case_events
  for each row execute function case_events_is_append_only();

-- The bytes of each issued report (encrypted under the case key), for the partner's download.
create table case_reports (
  report_id uuid primary key references report_issues (id),
  case_id uuid not null references cases (id),
  pdf bytea not null,
  json bytea not null
);
create index case_reports_case on case_reports (case_id);
