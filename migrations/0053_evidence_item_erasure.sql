-- An evidence item's content can be erased (a verification case's subject photo when the case's
-- retention ends): its blob row (the wrapped data key) and file go, the item keeps its row and its
-- custody chain, marked erased. The item's sha256 then names bytes no longer stored, so it cannot
-- reference blobs any more; the vault checks stored bytes itself (verify skips erased items).
-- Runs on PostgreSQL 15 and on PGlite.
alter table evidence_items drop constraint evidence_items_sha256_fkey;
alter table evidence_items add column erased_at timestamptz;
