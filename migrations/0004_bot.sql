-- Telegram bot: questionnaire versions, subscribers, instruction templates, broadcasts and deliveries,
-- and the shared flood-control row every broadcast worker obeys.
-- Runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): use only SQL both accept.
--
-- Nothing here names a person: a subscriber is known by ref = HMAC(master key, Telegram user id); the
-- chat id is a libsodium sealed box only the broadcast worker's secret key opens; the answers are
-- encrypted with the field key (bound to the ref). No names, usernames, phone numbers, message texts or
-- times finer than a month are stored for subscribers.

-- The questionnaire is data; every admin edit adds a version, and each subscriber's answers are read
-- with the version they were given under.
create table bot_questionnaires (
  version integer primary key check (version >= 1),
  definition jsonb not null,
  created_at timestamptz not null default now(),
  created_by text
);

create table bot_subscribers (
  ref text primary key check (ref ~ '^[0-9a-f]{64}$'),
  chat_sealed bytea not null,
  language text not null check (language in ('be', 'ru', 'en')),
  questionnaire_version integer not null references bot_questionnaires (version),
  -- KeyRing.encryptField of {"questionId": ["optionId", ...]} bound to 'bot_subscribers.answers:<ref>'.
  answers bytea not null,
  -- The one piece of conversation state: the question being asked, or 'done'.
  step text not null,
  joined_month date not null
);
create index bot_subscribers_step on bot_subscribers (step);

create table bot_templates (
  id uuid primary key,
  name text not null unique,
  -- The segment the template is written for (a hint for the composer; targeting is per broadcast).
  segment text,
  -- {"be": {"text": ..., "parseMode": "HTML"|"MarkdownV2"|null}, "ru": ..., "en": ...}
  versions jsonb not null,
  -- {"type": "photo"|"document", "fileId": ...} or null
  media jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table bot_broadcasts (
  id uuid primary key,
  template_id uuid references bot_templates (id) on delete set null,
  -- The message as it was when the broadcast was created (template edits do not change a running one).
  content jsonb not null,
  -- {"segments": [...], "mode": "any"|"all", "region": code|null}
  audience jsonb not null,
  state text not null check (state in ('running', 'paused', 'cancelled', 'done')),
  rate integer not null check (rate between 1 and 1000),
  paid boolean not null default false,
  resend_unknown boolean not null default false,
  total integer not null,
  -- Recipients erased while the broadcast ran (blocked the bot, /delete): their rows are gone.
  removed integer not null default 0,
  -- Final counts per state, kept after the per-recipient rows are pruned.
  final_counts jsonb,
  created_by text not null,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  pruned_at timestamptz
);
create index bot_broadcasts_state on bot_broadcasts (state, created_at);

-- One row per recipient while a broadcast runs plus a short grace period; then pruned to counts.
create table bot_deliveries (
  broadcast_id uuid not null references bot_broadcasts (id),
  -- Random position: the send order carries no meaning.
  seq integer not null,
  ref text not null,
  state text not null check (state in ('pending', 'sending', 'sent', 'failed', 'unknown', 'cancelled')),
  attempts integer not null default 0,
  lease_until timestamptz,
  retry_at timestamptz,
  message_id bigint,
  error text,
  primary key (broadcast_id, seq)
);
create index bot_deliveries_claim on bot_deliveries (broadcast_id, state, seq);
create index bot_deliveries_ref on bot_deliveries (ref);

-- Global flood control shared by every worker process: the next free send slot and, after a 429,
-- the moment sending may resume.
create table bot_flood (
  id integer primary key check (id = 1),
  next_slot_at timestamptz not null default now(),
  resume_at timestamptz not null default now()
);
insert into bot_flood (id) values (1);
