-- A web import keeps its source file in the evidence vault; the queued run names the item to read.
alter table datasets_runs add column evidence_item_id uuid;
