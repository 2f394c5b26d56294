-- Datasets: a run's entity fragments are grouped in sorted files of the importing process (spool.ts),
-- no longer in a table (writing every fragment and reading it back sorted was most of an import's work).
-- Runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): use only SQL both accept.
drop table datasets_stage;
