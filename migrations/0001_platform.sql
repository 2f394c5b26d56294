-- Platform: users, sessions, API keys, compartments, audit chain, jobs, key versions, instance metadata.
-- Runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): use only SQL both accept.

create table app_meta (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);

create table users (
  id uuid primary key,
  username text not null unique,
  display_name text not null,
  role text not null check (role in ('admin', 'analyst', 'reviewer', 'partner')),
  password_hash text,
  must_change_password boolean not null default true,
  totp_secret bytea,
  totp_enabled boolean not null default false,
  totp_pending_secret bytea,
  totp_last_step bigint,
  locale text not null default 'be' check (locale in ('be', 'ru', 'en')),
  failed_logins integer not null default 0,
  locked_until timestamptz,
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table user_recovery_codes (
  user_id uuid not null references users (id) on delete cascade,
  code_hash text not null,
  used_at timestamptz,
  primary key (user_id, code_hash)
);

-- Throttle for login names that do not exist, so lockout behaviour does not reveal which names do.
create table login_throttle (
  name_hash text primary key,
  failures integer not null default 0,
  locked_until timestamptz,
  updated_at timestamptz not null default now()
);

create table sessions (
  token_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  stage text not null check (stage in ('password_change', 'totp', 'totp_enrol', 'ok')),
  csrf_token text not null,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null
);
create index sessions_user on sessions (user_id);

create table api_keys (
  id uuid primary key,
  name text not null,
  organization text not null,
  prefix text not null unique,
  secret_hash text not null,
  scopes text[] not null,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- Compartments: a principal may see the resources it was granted (collections, datasets, cases).
create table access_grants (
  principal_type text not null check (principal_type in ('user', 'apikey')),
  principal_id uuid not null,
  resource_type text not null,
  resource_id text not null,
  granted_by uuid,
  granted_at timestamptz not null default now(),
  primary key (principal_type, principal_id, resource_type, resource_id)
);
create index access_grants_resource on access_grants (resource_type, resource_id);

create table audit_log (
  seq bigint primary key,
  at timestamptz not null,
  actor_type text not null,
  actor_id text,
  actor_label text,
  action text not null,
  target_type text,
  target_id text,
  outcome text not null check (outcome in ('ok', 'denied', 'failed')),
  purpose text,
  details jsonb not null,
  prev_hash text not null,
  hash text not null
);
create index audit_log_at on audit_log (at);
create index audit_log_action on audit_log (action, seq);
create index audit_log_actor on audit_log (actor_id, seq);
create index audit_log_target on audit_log (target_id, seq);

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only' using errcode = '42501';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_is_append_only();

create table jobs (
  id uuid primary key,
  type text not null,
  payload jsonb not null,
  state text not null check (state in ('queued', 'running', 'succeeded', 'dead', 'cancelled')),
  attempts integer not null default 0,
  max_attempts integer not null default 5,
  run_at timestamptz not null default now(),
  locked_until timestamptz,
  locked_by text,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create index jobs_claim on jobs (state, run_at);
create index jobs_type on jobs (type, state);

create table key_versions (
  version integer primary key,
  check_value text not null,
  created_at timestamptz not null default now()
);
