-- The same bytes may be held by several items: an uploader who may not see the item that already holds
-- a file gets an item of its own (issue 15, item 1), sharing the stored blob. The blob stays unique.
-- Runs on PostgreSQL 15 and on PGlite.
alter table evidence_items drop constraint evidence_items_sha256_key;
create index evidence_items_sha256 on evidence_items (sha256, created_at);
