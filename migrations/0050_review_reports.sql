-- Four-eyes review and issued reports: shared platform pieces of verification cases and sanctions
-- proposals (src/platform/review, src/platform/reports). No personal data is stored here: subjects are
-- named by type and id, contents by their hash.
-- Runs on PostgreSQL 15 and on PGlite: use only SQL both accept.

-- The current content hash of a reviewable subject (a case's findings, a proposal) as its owner last
-- recorded it. Approvals are bound to a hash; a new hash voids the approvals of the old one.
create table review_subjects (
  subject_type text not null,
  subject_id text not null,
  content_hash text not null check (content_hash ~ '^[0-9a-f]{64}$'),
  updated_at timestamptz not null,
  primary key (subject_type, subject_id)
);

-- Everyone who wrote or edited the subject's content ('user:<id>', 'apikey:<id>', 'system:<label>'):
-- none of them may approve it.
create table review_contributors (
  subject_type text not null,
  subject_id text not null,
  principal text not null,
  first_at timestamptz not null,
  last_at timestamptz not null,
  primary key (subject_type, subject_id, principal)
);

-- Reviewers' decisions. An approval counts while it is not voided and its hash is the subject's
-- current hash; 'returned' sends the content back with a comment.
create table review_decisions (
  id uuid primary key,
  subject_type text not null,
  subject_id text not null,
  decision text not null check (decision in ('approved', 'returned')),
  content_hash text not null check (content_hash ~ '^[0-9a-f]{64}$'),
  reviewer text not null,
  reviewer_label text,
  comment text,
  decided_at timestamptz not null,
  voided_at timestamptz,
  void_reason text
);
create index review_decisions_subject on review_decisions (subject_type, subject_id, decided_at);

-- Every report file issued (PDF and its JSON twin): hashes, version, verification code. Rows are
-- chained per subject (hash over the row and the previous row's hash): the report custody.
create table report_issues (
  id uuid primary key,
  subject_type text not null,
  subject_id text not null,
  kind text not null,
  version integer not null check (version >= 1),
  draft boolean not null,
  verification_code text not null unique,
  pdf_sha256 text not null check (pdf_sha256 ~ '^[0-9a-f]{64}$'),
  pdf_size integer not null,
  json_sha256 text check (json_sha256 ~ '^[0-9a-f]{64}$'),
  issued_at timestamptz not null,
  issued_by text not null,
  prev_hash text not null,
  hash text not null,
  unique (subject_type, subject_id, version)
);
create index report_issues_pdf on report_issues (pdf_sha256);
create index report_issues_json on report_issues (json_sha256);

create function report_issues_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'report_issues is append-only' using errcode = '42501';
end;
$$;
create trigger report_issues_no_update before update or delete on report_issues
  for each row execute function report_issues_is_append_only();

-- Each delivery of an issued report (download by the requesting partner, hand-over).
create table report_deliveries (
  id uuid primary key,
  report_id uuid not null references report_issues (id),
  delivered_at timestamptz not null,
  recipient text not null,
  channel text not null
);
create index report_deliveries_report on report_deliveries (report_id, delivered_at);
