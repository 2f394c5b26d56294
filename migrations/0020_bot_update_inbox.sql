-- The bot's update inbox: updates fetched from Telegram are stored here (encrypted) in the same
-- transaction that advances the polling offset, and deleted once their handling has stored its
-- effects. A crash or kill -9 therefore loses nothing: on restart the bot handles what is left here,
-- and Telegram never sends an update below the stored offset again, so a handled update is not
-- replayed. Acknowledging only after handling (an offset held at the oldest unhandled update) would
-- stall every chat behind one slow update, because getUpdates returns at most 100 updates past the
-- offset.
--
-- What is stored is minimal and short-lived: the update with names and usernames removed, sealed with
-- the field key (bound to the update id), for the seconds between fetching and handling.
create table bot_inbox (
  update_id bigint primary key,
  sealed bytea not null
);

-- The offset the next getUpdates call starts from (everything below it is in bot_inbox or handled).
create table bot_polling (
  id integer primary key check (id = 1),
  next_offset bigint not null default 0
);
insert into bot_polling (id) values (1);
