/**
 * Accounts: who can log in, with which role; create, edit, disable, and reset password or 2FA; and the
 * sign-in policy per role (security key required, app codes allowed).
 */
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Menu,
  Modal,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  IconDots,
  IconKeyOff,
  IconLock,
  IconLockOpen,
  IconPassword,
  IconPencil,
  IconPlus,
  IconShieldCheck,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import type { CreateUserResponse, Locale, Role, RolePolicy, User } from '../api/types.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { DataTable, type DataTableFeatures } from '../components/data-table.js';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { SecretValue } from '../components/secret-reveal.js';
import { RoleBadge, UserStatusBadge } from '../components/status-badges.js';
import { useFormat } from '../i18n/format.js';
import { languages } from '../i18n/index.js';

const roleValues: Role[] = ['admin', 'analyst', 'reviewer', 'partner'];
const usersKey = ['users'] as const;
const column = createColumnHelper<DataTableFeatures, User>();

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; user: User }
  | { kind: 'disable' | 'enable' | 'reset-2fa' | 'reset-password'; user: User }
  | null;

export function UsersPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [dialog, setDialog] = useState<Dialog>(null);
  const users = useQuery({ queryKey: usersKey, queryFn: api.users });

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('username', {
          header: () => t('users.username'),
          cell: (info) => (
            <Text ff="monospace" size="sm">
              {info.getValue()}
            </Text>
          ),
        }),
        column.accessor('displayName', { header: () => t('users.displayName') }),
        column.accessor('role', {
          header: () => t('users.role'),
          cell: (info) => <RoleBadge role={info.getValue()} />,
        }),
        column.accessor((user) => (user.totpEnabled ? 1 : 0) + (user.securityKeys ?? 0) * 2, {
          id: 'twoFactor',
          header: () => t('users.twoFactor'),
          cell: (info) => {
            const user = info.row.original;
            const keys = user.securityKeys ?? 0;
            const state = user.totpEnabled || keys > 0 ? t('users.twoFactorOn') : t('users.twoFactorOff');
            return keys > 0 ? `${state} · ${t('securityKeys.keysCount', { n: keys })}` : state;
          },
        }),
        column.accessor((user) => (user.disabled ? 2 : user.mustChangePassword ? 1 : 0), {
          id: 'status',
          header: () => t('users.statusLabel'),
          cell: (info) => <UserStatusBadge user={info.row.original} />,
        }),
        column.accessor('locale', {
          header: () => t('users.language'),
          cell: (info) => t(`languages.${info.getValue()}`),
        }),
        column.accessor('createdAt', {
          header: () => t('users.created'),
          cell: (info) => format.date(info.getValue()),
          sortFn: 'datetime',
        }),
        column.display({
          id: 'actions',
          header: () => <VisuallyHidden>{t('common.actions')}</VisuallyHidden>,
          cell: (info) => <UserActions user={info.row.original} onAction={setDialog} />,
        }),
      ]),
    [t, format],
  );

  return (
    <>
      <PageHeader
        title={t('users.title')}
        description={t('users.description')}
        actions={
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => setDialog({ kind: 'create' })}
          >
            {t('users.create')}
          </Button>
        }
      />
      <ErrorAlert error={users.error} />
      <DataTable
        data={users.data?.items ?? emptyUsers}
        columns={columns}
        caption={t('users.title')}
        getRowId={(user) => user.id}
        empty={users.isLoading ? t('common.loading') : undefined}
        testId="users-table"
      />
      <SignInPolicy />
      {dialog?.kind === 'create' ? <CreateUserDialog onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'edit' ? <EditUserDialog user={dialog.user} onClose={() => setDialog(null)} /> : null}
      {dialog && dialog.kind !== 'create' && dialog.kind !== 'edit' ? (
        <UserActionDialog kind={dialog.kind} user={dialog.user} onClose={() => setDialog(null)} />
      ) : null}
    </>
  );
}

const emptyUsers: User[] = [];
const policyKey = ['auth', 'policy'] as const;

/** Per staff role: require a security key; allow app codes (only switchable off where a key is required). */
function SignInPolicy() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const policies = useQuery({ queryKey: policyKey, queryFn: api.rolePolicies });
  const save = useMutation({
    mutationFn: api.setRolePolicy,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: policyKey });
      notifySuccess(t('users.saved'));
    },
  });
  const change = (policy: RolePolicy, changes: Partial<RolePolicy>) => {
    const next = { ...policy, ...changes };
    // Codes are the only second factor of a role that does not require keys.
    if (!next.requireWebauthn) next.allowTotp = true;
    save.mutate(next);
  };
  return (
    <Paper withBorder p="md" radius="md" mt="lg" component="section" aria-labelledby="sign-in-policy">
      <Stack gap="sm">
        <Title order={2} size="h4" id="sign-in-policy">
          {t('securityKeys.policyTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('securityKeys.policyDescription')}
        </Text>
        <ErrorAlert error={policies.error ?? save.error} />
        <Table data-testid="sign-in-policy">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('users.role')}</Table.Th>
              <Table.Th>{t('securityKeys.requireKey')}</Table.Th>
              <Table.Th>{t('securityKeys.allowCodes')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(policies.data?.items ?? []).map((policy) => (
              <Table.Tr key={policy.role}>
                <Table.Td>
                  <RoleBadge role={policy.role} />
                </Table.Td>
                <Table.Td>
                  <Switch
                    checked={policy.requireWebauthn}
                    disabled={save.isPending}
                    onChange={(event) => change(policy, { requireWebauthn: event.currentTarget.checked })}
                    aria-label={`${t('securityKeys.requireKey')}: ${t(`roles.${policy.role}`)}`}
                  />
                </Table.Td>
                <Table.Td>
                  <Switch
                    checked={policy.allowTotp}
                    disabled={save.isPending || !policy.requireWebauthn}
                    onChange={(event) => change(policy, { allowTotp: event.currentTarget.checked })}
                    aria-label={`${t('securityKeys.allowCodes')}: ${t(`roles.${policy.role}`)}`}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

function UserActions({ user, onAction }: { user: User; onAction: (dialog: Dialog) => void }) {
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end" withArrow>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={t('users.actionsFor', { name: user.username })}>
          <IconDots size={16} aria-hidden />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item
          leftSection={<IconPencil size={14} aria-hidden />}
          onClick={() => onAction({ kind: 'edit', user })}
        >
          {t('users.edit')}
        </Menu.Item>
        <Menu.Item
          leftSection={<IconPassword size={14} aria-hidden />}
          onClick={() => onAction({ kind: 'reset-password', user })}
        >
          {t('users.resetPassword')}
        </Menu.Item>
        <Menu.Item
          leftSection={<IconKeyOff size={14} aria-hidden />}
          onClick={() => onAction({ kind: 'reset-2fa', user })}
          disabled={user.role === 'partner'}
        >
          {t('users.resetTotp')}
        </Menu.Item>
        <Menu.Divider />
        {user.disabled ? (
          <Menu.Item
            leftSection={<IconLockOpen size={14} aria-hidden />}
            onClick={() => onAction({ kind: 'enable', user })}
          >
            {t('users.enable')}
          </Menu.Item>
        ) : (
          <Menu.Item
            color="red"
            leftSection={<IconLock size={14} aria-hidden />}
            onClick={() => onAction({ kind: 'disable', user })}
          >
            {t('users.disable')}
          </Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

function CreateUserDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<CreateUserResponse | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { username: '', displayName: '', role: 'analyst' as Role, locale: 'be' as Locale },
    validate: {
      username: (value) =>
        /^[a-z0-9][a-z0-9._-]{1,62}$/.test(value.trim().toLowerCase()) ? null : t('users.usernameRule'),
      displayName: (value) => (value.trim() ? null : t('common.required')),
    },
  });
  const create = useMutation({
    mutationFn: (values: typeof form.values) =>
      api.createUser({
        username: values.username.trim().toLowerCase(),
        displayName: values.displayName.trim(),
        role: values.role,
        locale: values.locale,
      }),
    onSuccess: async (response) => {
      setCreated(response);
      await queryClient.invalidateQueries({ queryKey: usersKey });
    },
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={created ? t('users.createdTitle') : t('users.create')}
      centered
      size="md"
    >
      {created ? (
        <Stack gap="md">
          <Text size="sm">{t('users.createdText', { name: created.user.username })}</Text>
          <Alert color="yellow" variant="light">
            {t('users.oneTimePasswordWarning')}
          </Alert>
          <SecretValue
            value={created.oneTimePassword}
            label={t('users.oneTimePassword')}
            testId="one-time-password"
          />
          <Group justify="flex-end">
            <Button onClick={onClose} data-testid="dialog-done">
              {t('common.done')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit((values) => create.mutate(values))} noValidate>
          <Stack gap="sm">
            <ErrorAlert error={create.error} />
            <TextInput
              label={t('users.username')}
              description={t('users.usernameRule')}
              autoCapitalize="none"
              spellCheck={false}
              required
              name="username"
              {...form.getInputProps('username')}
            />
            <TextInput
              label={t('users.displayName')}
              required
              name="displayName"
              {...form.getInputProps('displayName')}
            />
            <Select
              label={t('users.role')}
              data={roleValues.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
              allowDeselect={false}
              required
              name="role"
              {...form.getInputProps('role')}
            />
            <Select
              label={t('users.language')}
              data={languages.map((language) => ({ value: language, label: t(`languages.${language}`) }))}
              allowDeselect={false}
              name="locale"
              {...form.getInputProps('locale')}
            />
            <Group justify="flex-end" gap="xs" mt="xs">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} data-testid="create-user-submit">
                {t('users.createSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function EditUserDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({
    mode: 'controlled',
    initialValues: { displayName: user.displayName, role: user.role, locale: user.locale },
    validate: { displayName: (value) => (value.trim() ? null : t('common.required')) },
  });
  const update = useMutation({
    mutationFn: (values: typeof form.values) =>
      api.updateUser(user.id, {
        displayName: values.displayName.trim(),
        role: values.role,
        locale: values.locale,
      }),
    onSuccess: async () => {
      notifySuccess(t('users.saved'));
      await queryClient.invalidateQueries({ queryKey: usersKey });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('users.editTitle', { name: user.username })} centered>
      <form onSubmit={form.onSubmit((values) => update.mutate(values))} noValidate>
        <Stack gap="sm">
          <ErrorAlert error={update.error} />
          <TextInput label={t('users.displayName')} required {...form.getInputProps('displayName')} />
          <Select
            label={t('users.role')}
            data={roleValues.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            allowDeselect={false}
            {...form.getInputProps('role')}
          />
          <Select
            label={t('users.language')}
            data={languages.map((language) => ({ value: language, label: t(`languages.${language}`) }))}
            allowDeselect={false}
            {...form.getInputProps('locale')}
          />
          <Group justify="flex-end" gap="xs" mt="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={update.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function UserActionDialog({
  kind,
  user,
  onClose,
}: {
  kind: 'disable' | 'enable' | 'reset-2fa' | 'reset-password';
  user: User;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [oneTimePassword, setOneTimePassword] = useState<string | null>(null);
  const action = useMutation({
    mutationFn: async () => {
      if (kind === 'disable') await api.disableUser(user.id);
      else if (kind === 'enable') await api.enableUser(user.id);
      else if (kind === 'reset-2fa') await api.resetTotp(user.id);
      else return (await api.resetPassword(user.id)).oneTimePassword;
      return null;
    },
    onSuccess: async (password) => {
      await queryClient.invalidateQueries({ queryKey: usersKey });
      if (password) setOneTimePassword(password);
      else {
        notifySuccess(t(`users.confirm.${kind}.done`, { name: user.username }));
        onClose();
      }
    },
  });
  if (oneTimePassword) {
    return (
      <Modal opened onClose={onClose} title={t('users.oneTimePassword')} centered>
        <Stack gap="md">
          <Alert color="yellow" variant="light" icon={<IconShieldCheck size={18} aria-hidden />}>
            {t('users.oneTimePasswordWarning')}
          </Alert>
          <SecretValue
            value={oneTimePassword}
            label={t('users.oneTimePassword')}
            testId="one-time-password"
          />
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('common.done')}</Button>
          </Group>
        </Stack>
      </Modal>
    );
  }
  return (
    <ConfirmDialog
      opened
      title={t(`users.confirm.${kind}.title`, { name: user.username })}
      message={t(`users.confirm.${kind}.message`, { name: user.username })}
      confirmLabel={t(`users.confirm.${kind}.action`)}
      danger={kind === 'disable' || kind === 'reset-2fa'}
      loading={action.isPending}
      error={action.error}
      onConfirm={() => action.mutate()}
      onClose={onClose}
    />
  );
}
