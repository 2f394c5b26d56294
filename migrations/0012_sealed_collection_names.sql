-- A restricted collection's name can say what it holds ("Informants in the KGB", a source's town): it is
-- encrypted at rest (issue 15, item 8). Every collection is found by name through a keyed hash of it
-- (unique, as names are); a restricted one's `name` column holds only 'restricted:<id>'. The values are
-- filled and sealed at start-up (resumable: rows without a hash are the ones still to do).
-- Runs on PostgreSQL 15 and on PGlite.
alter table evidence_collections add column name_sealed bytea;
alter table evidence_collections add column name_hash text;
create unique index evidence_collections_name_hash on evidence_collections (name_hash);
