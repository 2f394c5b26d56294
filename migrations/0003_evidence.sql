-- Evidence vault: encrypted content-addressed blobs, items, chain of custody, metadata records,
-- working copies, perceptual hashes and near-duplicate links, citizen receipts, taxonomy, incidents.
-- Runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): use only SQL both accept.

-- One row per stored blob (originals and working copies). The file lives at
-- <data>/blobs/ab/cd/<sha256>; its per-blob data key is stored here wrapped by the master key ring
-- (KeyRing.encryptField bound to 'blobs.data_key:<sha256>'), so a key rotation re-wraps rows and never
-- rewrites blob files. The primary key is the plaintext SHA-256: the same bytes are stored once.
create table blobs (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint not null check (size >= 0),
  data_key bytea not null,
  format text not null default 'secretstream-xchacha20poly1305-64k-v1',
  created_at timestamptz not null default now()
);

-- A citizen's submission, found again by its receipt code (stored only as a keyed hash). The optional
-- contact is encrypted (bound to the row). No IP address, user agent, device id or time finer than a day.
create table evidence_submissions (
  id uuid primary key,
  receipt_hash text not null unique,
  contact bytea,
  created_on date not null
);

create table evidence_items (
  id uuid primary key,
  sha256 text not null unique references blobs (sha256),
  size bigint not null,
  media_type text not null,
  kind text not null,
  file_name text,
  channel text not null check (channel in ('web', 'citizen', 'cli', 'import', 'bot')),
  source_label text,
  note text,
  acquisition jsonb,
  received_at timestamptz not null,
  verification_state text not null default 'collected'
    check (verification_state in ('collected', 'preserved', 'under_verification', 'verified', 'unverifiable', 'disputed')),
  processing_state text not null default 'pending'
    check (processing_state in ('pending', 'done', 'failed')),
  created_at timestamptz not null default now()
);
create index evidence_items_received on evidence_items (received_at desc, id);
create index evidence_items_media on evidence_items (kind, media_type);

create table evidence_submission_items (
  submission_id uuid not null references evidence_submissions (id),
  item_id uuid not null references evidence_items (id),
  added_on date not null,
  primary key (submission_id, item_id)
);

-- Chain of custody: per item, seq 1, 2, 3 ... each row hashed over its fields and the previous row's hash.
create table evidence_custody (
  item_id uuid not null references evidence_items (id),
  seq integer not null check (seq >= 1),
  at timestamptz not null,
  action text not null,
  actor_type text not null,
  actor_id text,
  actor_label text,
  details jsonb not null,
  prev_hash text not null,
  hash text not null,
  primary key (item_id, seq)
);

create function evidence_custody_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'evidence_custody is append-only' using errcode = '42501';
end;
$$;
create trigger evidence_custody_no_update before update or delete on evidence_custody
  for each row execute function evidence_custody_is_append_only();
create trigger evidence_custody_no_truncate before truncate on evidence_custody
  for each statement execute function evidence_custody_is_append_only();

-- Extracted metadata, one record per tool run, with the tool's exact version.
create table evidence_metadata (
  id uuid primary key,
  item_id uuid not null references evidence_items (id),
  tool text not null,
  tool_version text not null,
  data jsonb not null,
  summary jsonb not null,
  warnings jsonb not null,
  created_at timestamptz not null default now()
);
create index evidence_metadata_item on evidence_metadata (item_id);

-- What processing did or could not do (type detection, metadata, previews, hashes): failures are kept.
create table evidence_processing (
  id uuid primary key,
  item_id uuid not null references evidence_items (id),
  step text not null,
  outcome text not null check (outcome in ('ok', 'failed', 'warning', 'skipped')),
  tool text,
  tool_version text,
  code text,
  message text,
  at timestamptz not null default now()
);
create index evidence_processing_item on evidence_processing (item_id, at);

-- Working copies (thumbnails, metadata-stripped copies): never the original, always with their parent.
create table evidence_derivatives (
  id uuid primary key,
  item_id uuid not null references evidence_items (id),
  purpose text not null check (purpose in ('thumbnail', 'stripped')),
  parent_sha256 text not null,
  sha256 text not null references blobs (sha256),
  size bigint not null,
  media_type text not null,
  tool text not null,
  tool_version text not null,
  width integer,
  height integer,
  created_at timestamptz not null default now(),
  unique (item_id, purpose)
);

create table evidence_phashes (
  item_id uuid not null references evidence_items (id),
  frame_seconds double precision not null,
  hash text not null check (hash ~ '^[0-9a-f]{16}$'),
  algorithm text not null,
  tool text not null,
  tool_version text not null,
  primary key (item_id, frame_seconds)
);

-- Possible duplicates: linked, never merged. item_a < item_b.
create table evidence_links (
  item_a uuid not null references evidence_items (id),
  item_b uuid not null references evidence_items (id),
  kind text not null check (kind in ('near-duplicate')),
  distance integer not null,
  created_at timestamptz not null default now(),
  primary key (item_a, item_b, kind),
  check (item_a < item_b)
);
create index evidence_links_b on evidence_links (item_b);

-- Taxonomy: codes are never deleted; a code is deprecated in a version. Seeded from the application.
create table taxonomy_versions (
  version integer primary key,
  note text not null,
  applied_at timestamptz not null default now()
);

create table taxonomy_codes (
  code text primary key check (code ~ '^[A-Z][A-Z0-9_.]*[A-Z0-9]$|^[A-Z]$'),
  axis text not null check (axis in ('violation', 'legal', 'role', 'type', 'place', 'institution')),
  labels jsonb not null,
  maps_to text[] not null default '{}',
  sources text[] not null default '{}',
  huridocs_types_of_acts text,
  added_in integer not null references taxonomy_versions (version),
  deprecated_in integer references taxonomy_versions (version),
  custom boolean not null default false
);

create table incidents (
  id uuid primary key,
  title text not null,
  description text not null default '',
  occurred_from timestamptz,
  occurred_to timestamptz,
  place text,
  place_type text references taxonomy_codes (code),
  latitude double precision check (latitude between -90 and 90),
  longitude double precision check (longitude between -180 and 180),
  responsible_institution text references taxonomy_codes (code),
  responsible_unit text,
  created_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (occurred_to is null or occurred_from is null or occurred_to >= occurred_from)
);
create index incidents_when on incidents (occurred_from);

create table incident_items (
  incident_id uuid not null references incidents (id),
  item_id uuid not null references evidence_items (id),
  role text references taxonomy_codes (code),
  linked_at timestamptz not null default now(),
  primary key (incident_id, item_id)
);
create index incident_items_item on incident_items (item_id);

-- People in an incident: a registry entity id, or a name (encrypted) to be linked later.
create table incident_persons (
  id uuid primary key,
  incident_id uuid not null references incidents (id),
  role text not null check (role in ('victim', 'perpetrator', 'witness')),
  entity_id text,
  name bytea,
  created_at timestamptz not null default now(),
  check (entity_id is not null or name is not null)
);
create index incident_persons_incident on incident_persons (incident_id);

create table evidence_classifications (
  target_type text not null check (target_type in ('item', 'incident')),
  target_id uuid not null,
  code text not null references taxonomy_codes (code),
  taxonomy_version integer not null references taxonomy_versions (version),
  assigned_by text,
  assigned_at timestamptz not null default now(),
  primary key (target_type, target_id, code)
);
create index evidence_classifications_code on evidence_classifications (code, target_type);
