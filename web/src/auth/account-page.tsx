/**
 * The signed-in person's own sign-in factors: security keys and passkeys (add, rename, remove — adding
 * and removing ask for the password again), whether the authenticator app is set up, and how many
 * recovery codes are left.
 */
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import type { SecurityKey, WebauthnRegisterResponse } from '../api/types.js';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { SecurityKeyForm } from './security-key-form.js';

const keysKey = ['auth', 'security-keys'] as const;
const factorsKey = ['auth', 'factors'] as const;

type Dialog = { kind: 'add' } | { kind: 'rename' | 'remove'; key: SecurityKey } | null;

export function AccountPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [dialog, setDialog] = useState<Dialog>(null);
  const keys = useQuery({ queryKey: keysKey, queryFn: api.securityKeys });
  const factors = useQuery({ queryKey: factorsKey, queryFn: api.factors });
  const close = () => setDialog(null);
  return (
    <>
      <PageHeader title={t('securityKeys.accountTitle')} description={t('securityKeys.accountDescription')} />
      <Stack gap="lg" maw={900}>
        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            <Group justify="space-between">
              <Title order={2} size="h4">
                {t('securityKeys.keysTitle')}
              </Title>
              <Button
                leftSection={<IconPlus size={16} aria-hidden />}
                onClick={() => setDialog({ kind: 'add' })}
                disabled={factors.data ? !factors.data.webauthnAvailable : false}
                data-testid="security-key-add"
              >
                {t('securityKeys.add')}
              </Button>
            </Group>
            <Text size="sm" c="dimmed">
              {t('securityKeys.keysDescription')}
            </Text>
            {factors.data && !factors.data.webauthnAvailable ? (
              <Alert color="yellow" variant="light">
                {t('errors.SVD_AUTH_WEBAUTHN_UNAVAILABLE')}
              </Alert>
            ) : null}
            {factors.data?.requireWebauthn ? (
              <Alert color="blue" variant="light">
                {t('securityKeys.requiredByRole')}
              </Alert>
            ) : null}
            <ErrorAlert error={keys.error ?? factors.error} />
            <Table striped highlightOnHover data-testid="security-keys-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('securityKeys.name')}</Table.Th>
                  <Table.Th>{t('securityKeys.kind')}</Table.Th>
                  <Table.Th>{t('securityKeys.added')}</Table.Th>
                  <Table.Th>{t('securityKeys.lastUsed')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(keys.data?.items ?? []).map((key) => (
                  <Table.Tr key={key.id}>
                    <Table.Td>{key.name}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={key.passkey ? 'grape' : 'gray'}>
                        {key.passkey ? t('securityKeys.passkey') : t('securityKeys.securityKey')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{format.date(key.createdAt)}</Table.Td>
                    <Table.Td>
                      {key.lastUsedAt ? format.dateTime(key.lastUsedAt) : t('securityKeys.never')}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-label={t('securityKeys.renameKey', { name: key.name })}
                          onClick={() => setDialog({ kind: 'rename', key })}
                        >
                          <IconPencil size={16} aria-hidden />
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('securityKeys.removeKey', { name: key.name })}
                          onClick={() => setDialog({ kind: 'remove', key })}
                        >
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
                {keys.data && keys.data.items.length === 0 ? (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Text size="sm" c="dimmed">
                        {t('securityKeys.none')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ) : null}
              </Table.Tbody>
            </Table>
          </Stack>
        </Paper>
        {factors.data ? (
          <Paper withBorder p="md" radius="md">
            <Stack gap="xs">
              <Title order={2} size="h4">
                {t('securityKeys.otherFactorsTitle')}
              </Title>
              <Text size="sm">
                {factors.data.totpEnrolled
                  ? factors.data.totpAllowed
                    ? t('securityKeys.appOn')
                    : t('securityKeys.appSwitchedOff')
                  : t('securityKeys.appOff')}
              </Text>
              <Text size="sm" data-testid="recovery-codes-left">
                {t('securityKeys.recoveryLeft', { n: factors.data.recoveryCodesLeft })}
              </Text>
            </Stack>
          </Paper>
        ) : null}
      </Stack>
      {dialog?.kind === 'add' ? <AddKeyDialog onClose={close} /> : null}
      {dialog?.kind === 'rename' ? <RenameKeyDialog securityKey={dialog.key} onClose={close} /> : null}
      {dialog?.kind === 'remove' ? <RemoveKeyDialog securityKey={dialog.key} onClose={close} /> : null}
    </>
  );
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: keysKey });
    void queryClient.invalidateQueries({ queryKey: factorsKey });
  };
}

function AddKeyDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefresh();
  const [codes, setCodes] = useState<string[] | null>(null);
  const registered = (response: WebauthnRegisterResponse) => {
    refresh();
    notifySuccess(t('securityKeys.addedNotice', { name: response.key.name }));
    if (response.recoveryCodes) setCodes(response.recoveryCodes);
    else onClose();
  };
  return (
    <Modal opened onClose={onClose} title={t('securityKeys.add')} centered>
      {codes ? (
        <Stack gap="sm">
          <Alert color="yellow" variant="light">
            {t('auth.recoveryWarning')}
          </Alert>
          <ol className="recovery-codes" aria-label={t('auth.recoveryTitle')} data-testid="recovery-codes">
            {codes.map((code) => (
              <li key={code}>
                <code>{code}</code>
              </li>
            ))}
          </ol>
          <Button onClick={onClose}>{t('common.continue')}</Button>
        </Stack>
      ) : (
        <SecurityKeyForm withPassword onRegistered={registered} />
      )}
    </Modal>
  );
}

function RenameKeyDialog({ securityKey, onClose }: { securityKey: SecurityKey; onClose: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefresh();
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: securityKey.name },
    validate: { name: (value) => (value.trim() ? null : t('common.required')) },
  });
  const rename = useMutation({
    mutationFn: (name: string) => api.renameSecurityKey(securityKey.id, name.trim()),
    onSuccess: () => {
      refresh();
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('securityKeys.renameKey', { name: securityKey.name })} centered>
      <form onSubmit={form.onSubmit((values) => rename.mutate(values.name))} noValidate>
        <Stack gap="sm">
          <ErrorAlert error={rename.error} />
          <TextInput
            label={t('securityKeys.name')}
            required
            maxLength={100}
            {...form.getInputProps('name')}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={rename.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RemoveKeyDialog({ securityKey, onClose }: { securityKey: SecurityKey; onClose: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefresh();
  const form = useForm({
    mode: 'controlled',
    initialValues: { currentPassword: '' },
    validate: { currentPassword: (value) => (value ? null : t('auth.passwordRequired')) },
  });
  const remove = useMutation({
    mutationFn: (password: string) => api.removeSecurityKey(securityKey.id, password),
    onSuccess: () => {
      refresh();
      notifySuccess(t('securityKeys.removed', { name: securityKey.name }));
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('securityKeys.removeKey', { name: securityKey.name })} centered>
      <form onSubmit={form.onSubmit((values) => remove.mutate(values.currentPassword))} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('securityKeys.removeConfirm')}</Text>
          <ErrorAlert error={remove.error} />
          <PasswordInput
            label={t('securityKeys.currentPassword')}
            autoComplete="current-password"
            required
            name="currentPassword"
            {...form.getInputProps('currentPassword')}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={remove.isPending} data-testid="security-key-remove">
              {t('securityKeys.remove')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
