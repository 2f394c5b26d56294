-- Phishing-resistant second factor (issue 15, item 10): WebAuthn security keys and passkeys, their
-- ceremonies' challenges, and a sign-in policy per role. Runs on PostgreSQL 15 and on PGlite.

-- One registered authenticator of a staff user. The credential id and public key are encrypted at rest
-- (bound to the row), like the TOTP secret: a copy of the database does not say which physical key
-- belongs to whom. `credential_hash` (keyed hash of the credential id) finds the row at sign-in.
create table webauthn_credentials (
  id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  credential_hash text not null unique,
  credential_id bytea not null,
  public_key bytea not null,
  counter bigint not null default 0,
  transports text[] not null default '{}',
  device_type text not null check (device_type in ('singleDevice', 'multiDevice')),
  backed_up boolean not null default false,
  name bytea not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index webauthn_credentials_user on webauthn_credentials (user_id);

-- A ceremony's challenge, kept on the server: one per session and purpose (a new one replaces the old),
-- taken (deleted) by its first use, refused after `expires_at`, and gone with its session.
create table webauthn_challenges (
  session_hash text not null references sessions (token_hash) on delete cascade,
  purpose text not null check (purpose in ('register', 'authenticate')),
  challenge text not null,
  expires_at timestamptz not null,
  primary key (session_hash, purpose)
);

-- What an administrator requires of each staff role: a security key, and whether authenticator-app
-- codes still sign in (the fallback). A role without a row has the defaults (no key required, codes
-- allowed). Codes may be refused only where a key is required, so every account keeps a way in.
create table auth_role_policy (
  role text primary key check (role in ('admin', 'analyst', 'reviewer')),
  require_webauthn boolean not null default false,
  allow_totp boolean not null default true,
  updated_by uuid references users (id) on delete set null,
  updated_at timestamptz not null default now(),
  check (allow_totp or require_webauthn)
);

alter table sessions drop constraint sessions_stage_check;
alter table sessions add constraint sessions_stage_check
  check (stage in ('password_change', 'totp', 'totp_enrol', 'webauthn', 'webauthn_enrol', 'ok'));
