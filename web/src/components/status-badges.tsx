/** Badges with a fixed meaning across the app, so colour is never the only signal: each carries a word. */
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditOutcome, JobState, Role, User } from '../api/types.js';

const roleColors: Record<Role, string> = {
  admin: 'grape',
  analyst: 'blue',
  reviewer: 'cyan',
  partner: 'gray',
};

export function RoleBadge({ role }: { role: Role }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={roleColors[role]} radius="sm">
      {t(`roles.${role}`)}
    </Badge>
  );
}

const outcomeColors: Record<AuditOutcome, string> = { ok: 'teal', denied: 'orange', failed: 'red' };

export function OutcomeBadge({ outcome }: { outcome: AuditOutcome }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={outcomeColors[outcome]} radius="sm">
      {t(`audit.outcomes.${outcome}`)}
    </Badge>
  );
}

const jobColors: Record<JobState, string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'teal',
  dead: 'red',
  cancelled: 'dark',
};

export function JobStateBadge({ state }: { state: JobState }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={jobColors[state] ?? 'gray'} radius="sm">
      {t(`jobs.states.${state}`, { defaultValue: state })}
    </Badge>
  );
}

/** The account state an administrator acts on: disabled, locked, waiting for a password change, or active. */
export function UserStatusBadge({ user }: { user: User }) {
  const { t } = useTranslation();
  if (user.disabled)
    return (
      <Badge variant="light" color="red" radius="sm">
        {t('users.status.disabled')}
      </Badge>
    );
  if (user.lockedUntil && new Date(user.lockedUntil) > new Date())
    return (
      <Badge variant="light" color="orange" radius="sm">
        {t('users.status.locked')}
      </Badge>
    );
  if (user.mustChangePassword)
    return (
      <Badge variant="light" color="yellow" radius="sm">
        {t('users.status.pendingPassword')}
      </Badge>
    );
  return (
    <Badge variant="light" color="teal" radius="sm">
      {t('users.status.active')}
    </Badge>
  );
}
