-- The audit triggers fire in every session mode: `session_replication_role = replica` (a superuser
-- setting used by logical replication tools) must not switch them off.
alter table audit_log enable always trigger audit_log_no_update;
alter table audit_log enable always trigger audit_log_no_truncate;
