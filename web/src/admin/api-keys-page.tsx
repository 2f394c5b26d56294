/** API keys for partner systems: who holds one, what it may do, when it expires; create and revoke. */
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Stack,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconBan, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import type { ApiKey, ApiKeyScope, CreateApiKeyResponse } from '../api/types.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { DataTable, type DataTableFeatures } from '../components/data-table.js';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { SecretValue } from '../components/secret-reveal.js';
import { useFormat } from '../i18n/format.js';

const scopeValues: ApiKeyScope[] = ['screening', 'registry:read', 'verification', 'evidence:submit'];
const apiKeysKey = ['apikeys'] as const;
const column = createColumnHelper<DataTableFeatures, ApiKey>();
const emptyKeys: ApiKey[] = [];

/** Revoked, expired or active, as of `now`. */
export function apiKeyState(key: ApiKey, now = new Date()): 'revoked' | 'expired' | 'active' {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt) <= now) return 'expired';
  return 'active';
}

export function ApiKeysPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const keys = useQuery({ queryKey: apiKeysKey, queryFn: api.apiKeys });

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('name', { header: () => t('apiKeys.name') }),
        column.accessor('organization', { header: () => t('apiKeys.organization') }),
        column.accessor('prefix', {
          header: () => t('apiKeys.prefix'),
          cell: (info) => (
            <Text ff="monospace" size="sm">
              {info.getValue()}…
            </Text>
          ),
        }),
        column.accessor((key) => key.scopes.join(' '), {
          id: 'scopes',
          header: () => t('apiKeys.scopes'),
          cell: (info) => (
            <Group gap={4}>
              {info.row.original.scopes.map((scope) => (
                <Badge key={scope} variant="outline" radius="sm" size="sm" tt="none">
                  {t(`apiKeys.scopeNames.${scope}`)}
                </Badge>
              ))}
            </Group>
          ),
        }),
        column.accessor((key) => apiKeyState(key), {
          id: 'state',
          header: () => t('apiKeys.state'),
          cell: (info) => {
            const state = info.getValue();
            const color = state === 'active' ? 'teal' : state === 'expired' ? 'yellow' : 'red';
            return (
              <Badge variant="light" color={color} radius="sm">
                {t(`apiKeys.states.${state}`)}
              </Badge>
            );
          },
        }),
        column.accessor('createdAt', {
          header: () => t('apiKeys.created'),
          cell: (info) => format.date(info.getValue()),
        }),
        column.accessor('expiresAt', {
          header: () => t('apiKeys.expires'),
          cell: (info) => (info.getValue() ? format.date(info.getValue()) : t('apiKeys.never')),
        }),
        column.accessor('lastUsedAt', {
          header: () => t('apiKeys.lastUsed'),
          cell: (info) => (info.getValue() ? format.dateTime(info.getValue()) : t('apiKeys.neverUsed')),
        }),
        column.display({
          id: 'actions',
          header: () => <VisuallyHidden>{t('common.actions')}</VisuallyHidden>,
          cell: (info) =>
            info.row.original.revokedAt ? null : (
              <Tooltip label={t('apiKeys.revoke')} withArrow>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('apiKeys.revokeNamed', { name: info.row.original.name })}
                  onClick={() => setRevoking(info.row.original)}
                >
                  <IconBan size={16} aria-hidden />
                </ActionIcon>
              </Tooltip>
            ),
        }),
      ]),
    [t, format],
  );

  return (
    <>
      <PageHeader
        title={t('apiKeys.title')}
        description={t('apiKeys.description')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            {t('apiKeys.create')}
          </Button>
        }
      />
      <ErrorAlert error={keys.error} />
      <DataTable
        data={keys.data?.items ?? emptyKeys}
        columns={columns}
        caption={t('apiKeys.title')}
        getRowId={(key) => key.id}
        empty={keys.isLoading ? t('common.loading') : t('apiKeys.empty')}
        testId="api-keys-table"
      />
      {creating ? <CreateApiKeyDialog onClose={() => setCreating(false)} /> : null}
      {revoking ? <RevokeDialog apiKey={revoking} onClose={() => setRevoking(null)} /> : null}
    </>
  );
}

function CreateApiKeyDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<CreateApiKeyResponse | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      name: '',
      organization: '',
      scopes: [] as ApiKeyScope[],
      expiresInDays: 365 as number | string,
    },
    validate: {
      name: (value) => (value.trim() ? null : t('common.required')),
      organization: (value) => (value.trim() ? null : t('common.required')),
      scopes: (value) => (value.length > 0 ? null : t('apiKeys.scopesRequired')),
      expiresInDays: (value) =>
        value === '' || (Number.isInteger(Number(value)) && Number(value) >= 1 && Number(value) <= 3650)
          ? null
          : t('apiKeys.expiresRule'),
    },
  });
  const create = useMutation({
    mutationFn: (values: typeof form.values) =>
      api.createApiKey({
        name: values.name.trim(),
        organization: values.organization.trim(),
        scopes: values.scopes,
        ...(values.expiresInDays === '' ? {} : { expiresInDays: Number(values.expiresInDays) }),
      }),
    onSuccess: async (response) => {
      setCreated(response);
      await queryClient.invalidateQueries({ queryKey: apiKeysKey });
    },
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={created ? t('apiKeys.createdTitle') : t('apiKeys.create')}
      centered
      size="lg"
      closeOnClickOutside={!created}
    >
      {created ? (
        <Stack gap="md">
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />}>
            {t('apiKeys.secretWarning')}
          </Alert>
          <SecretValue value={created.secret} label={t('apiKeys.secret')} testId="api-key-secret" />
          <Text size="xs" c="dimmed">
            {t('apiKeys.secretUsage')}
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('common.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit((values) => create.mutate(values))} noValidate>
          <Stack gap="sm">
            <ErrorAlert error={create.error} />
            <TextInput label={t('apiKeys.name')} required name="name" {...form.getInputProps('name')} />
            <TextInput
              label={t('apiKeys.organization')}
              required
              name="organization"
              {...form.getInputProps('organization')}
            />
            <Checkbox.Group label={t('apiKeys.scopes')} required {...form.getInputProps('scopes')}>
              <Stack gap={6} mt={6}>
                {scopeValues.map((scope) => (
                  <Checkbox
                    key={scope}
                    value={scope}
                    label={t(`apiKeys.scopeNames.${scope}`)}
                    description={t(`apiKeys.scopeDescriptions.${scope}`)}
                  />
                ))}
              </Stack>
            </Checkbox.Group>
            <NumberInput
              label={t('apiKeys.expiresInDays')}
              description={t('apiKeys.expiresInDaysHint')}
              min={1}
              max={3650}
              allowDecimal={false}
              {...form.getInputProps('expiresInDays')}
            />
            <Group justify="flex-end" gap="xs" mt="xs">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('apiKeys.createSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function RevokeDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api.revokeApiKey(apiKey.id),
    onSuccess: async () => {
      notifySuccess(t('apiKeys.revoked', { name: apiKey.name }));
      await queryClient.invalidateQueries({ queryKey: apiKeysKey });
      onClose();
    },
  });
  return (
    <ConfirmDialog
      opened
      title={t('apiKeys.revokeTitle', { name: apiKey.name })}
      message={t('apiKeys.revokeMessage', { organization: apiKey.organization })}
      confirmLabel={t('apiKeys.revoke')}
      danger
      loading={revoke.isPending}
      error={revoke.error}
      onConfirm={() => revoke.mutate()}
      onClose={onClose}
    />
  );
}
