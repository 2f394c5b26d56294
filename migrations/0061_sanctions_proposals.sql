-- Listing proposals: a registry entity (or the cluster it is in) proposed for listing to one or more
-- governments. The content (identifying information, reasons with their evidence links, exculpatory
-- information) is one JSON document whose hash the four-eyes review binds approvals to; each target
-- jurisdiction has its own state; every state change is logged. Runs on PostgreSQL 15 and on PGlite.
create sequence sanctions_proposal_number;

create table sanctions_proposals (
  id uuid primary key,
  number integer not null unique default nextval('sanctions_proposal_number'),
  entity_id text not null,
  cluster_id text,
  schema text not null,
  content jsonb not null,
  content_hash text not null,
  completeness real not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_by text not null,
  updated_at timestamptz not null default now()
);
create index sanctions_proposals_entity on sanctions_proposals (entity_id);

create table sanctions_proposal_targets (
  proposal_id uuid not null references sanctions_proposals (id) on delete cascade,
  jurisdiction text not null check (jurisdiction in ('EU', 'US', 'UK', 'CA')),
  programme text not null,
  state text not null check (
    state in ('draft', 'in_review', 'approved', 'submitted', 'listed', 'not_listed', 'partially_listed')
  ),
  state_changed_at timestamptz not null default now(),
  primary key (proposal_id, jurisdiction)
);
create index sanctions_proposal_targets_state on sanctions_proposal_targets (jurisdiction, state);

create table sanctions_proposal_events (
  id uuid primary key,
  proposal_id uuid not null references sanctions_proposals (id) on delete cascade,
  jurisdiction text,
  from_state text,
  to_state text,
  at timestamptz not null,
  event_date text,
  actor text not null,
  content_hash text not null,
  note text
);
create index sanctions_proposal_events_proposal on sanctions_proposal_events (proposal_id, at);
