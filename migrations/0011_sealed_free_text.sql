-- Free text that identifies people or sources is encrypted at rest (issue 15, item 8): the citizen's or
-- uploader's note on an item, an incident's description and place. The values move from the text
-- columns into these encrypted ones (KeyRing.encryptField bound to '<table>.<column>:<id>') at start-up,
-- in committed batches (resumable); the partial indexes find the rows still to do at no cost.
-- Runs on PostgreSQL 15 and on PGlite.
alter table evidence_items add column note_sealed bytea;
create index evidence_items_note_plain on evidence_items (id) where note is not null and note <> '';
alter table incidents add column description_sealed bytea;
alter table incidents add column place_sealed bytea;
create index incidents_text_plain on incidents (id) where description <> '' or place is not null;
