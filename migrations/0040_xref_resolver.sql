-- Cross-referencing: the resolver (judgement edges and the clusters they make), xref runs and their
-- candidate pairs. Runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): use only SQL both accept.

-- Judgements between two ids (nomenklatura's resolver table, plus method and reason). Append-only: a
-- change is a new row and a soft-deleted old one (deleted_at), and `superseded_by` names the edge whose
-- decision deleted it, so an undo can put it back. Pairs are stored in one orientation (target > source,
-- compared by code point), so a pair has one live row at most.
create table xref_edges (
  id bigint generated always as identity primary key,
  target text not null,
  source text not null,
  judgement text not null check (judgement in ('positive', 'negative', 'unsure')),
  score double precision,
  method text not null check (method in ('human', 'rule', 'import')),
  user_id text,
  user_label text not null,
  reason text,
  created_at timestamptz not null default now(),
  deleted_at timestamptz,
  superseded_by bigint,
  check (target collate "C" > source collate "C")
);
create unique index xref_edges_live_pair on xref_edges (source, target) where deleted_at is null;
create index xref_edges_live_target on xref_edges (target) where deleted_at is null;
create index xref_edges_created on xref_edges (created_at, id);
create index xref_edges_superseded on xref_edges (superseded_by) where superseded_by is not null;

-- Clusters: connected components of live positive edges, with a stable canonical id ('sv-' + random).
-- A merged cluster is retired with the survivor as successor (old links redirect); a split retires the
-- cluster and its parts get new ids, recorded in the lineage. An id in no cluster is its own canonical.
create table xref_clusters (
  id text primary key,
  created_at timestamptz not null default now(),
  retired_at timestamptz,
  retired_as text check (retired_as in ('merged', 'split', 'dissolved')),
  successor text references xref_clusters (id)
);

create table xref_cluster_members (
  entity_id text primary key,
  cluster_id text not null references xref_clusters (id),
  added_at timestamptz not null default now()
);
create index xref_cluster_members_cluster on xref_cluster_members (cluster_id);

create table xref_cluster_lineage (
  parent text not null references xref_clusters (id),
  child text not null references xref_clusters (id),
  kind text not null check (kind in ('merge', 'split')),
  edge_id bigint,
  created_at timestamptz not null default now(),
  primary key (parent, child)
);
create index xref_cluster_lineage_child on xref_cluster_lineage (child);
