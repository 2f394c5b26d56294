-- Evidence compartments: every item belongs to one collection; a restricted collection is seen only by
-- administrators and by the people granted it (access_grants, resource_type 'evidence_collection').
-- Incidents may carry a collection too (a restricted incident); without one they are open to staff.
-- Also: capture time as a column (for range filters) and the tus upload -> item mapping kept for a day.
-- Runs on PostgreSQL 15 and on PGlite (PostgreSQL 18).

create table evidence_collections (
  id uuid primary key,
  name text not null unique check (length(name) between 1 and 200),
  description text not null default '',
  restricted boolean not null default false,
  created_by text,
  created_at timestamptz not null default now()
);

insert into evidence_collections (id, name, description, restricted, created_by)
values
  (gen_random_uuid(), 'General', 'Evidence collected by the organization''s staff.', false, 'migration'),
  (gen_random_uuid(), 'Citizen submissions',
   'Files sent by citizens (submission page, Telegram bot) and partners: restricted until reviewed.', true,
   'migration');

alter table evidence_items add column collection_id uuid references evidence_collections (id);
-- Files that citizens, the bot and partners sent before compartments existed are as sensitive as new
-- ones: they go to the restricted collection; everything else to "General".
update evidence_items
   set collection_id = (select id from evidence_collections where name = 'Citizen submissions')
 where channel in ('citizen', 'bot');
update evidence_items
   set collection_id = (select id from evidence_collections where name = 'General')
 where collection_id is null;
alter table evidence_items alter column collection_id set not null;
create index evidence_items_collection on evidence_items (collection_id, received_at desc, id);

-- The capture time stated by the file's metadata (first record that states one); filled by processing.
-- A time without an offset (camera local time) is stored as if it were UTC.
alter table evidence_items add column captured_at timestamptz;
create index evidence_items_captured on evidence_items (captured_at);

alter table incidents add column collection_id uuid references evidence_collections (id);
create index incidents_collection on incidents (collection_id);
create index incidents_created on incidents (created_at desc, id);

-- A finished resumable upload's result, so a client that lost the answer can recover it (kept 24 h).
-- owner is 'user:<id>' or 'apikey:<id>': only the uploader may read it back.
create table evidence_tus_results (
  upload_id text primary key,
  owner text not null,
  item_id uuid not null references evidence_items (id),
  sha256 text not null,
  size bigint not null,
  media_type text not null,
  duplicate boolean not null,
  created_at timestamptz not null default now()
);
create index evidence_tus_results_created on evidence_tus_results (created_at);
