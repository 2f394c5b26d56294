-- The registry's entity id check, written so PostgreSQL's regular expressions match it quickly: the
-- bounded repetition {1,200} made every insert match a large automaton (about 0.4 ms per row on
-- PostgreSQL and on PGlite, the biggest single cost of a bulk import); the same rule as `+` and a length.
-- Runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): use only SQL both accept.
alter table registry_entities drop constraint registry_entities_id_check;
alter table registry_entities
  add constraint registry_entities_id_check check (id ~ '^[A-Za-z0-9._:-]+$' and length(id) <= 200);
