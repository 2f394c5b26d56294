/**
 * Collections (compartments) of evidence, for administrators: what exists, which are restricted, how many
 * items each holds; create one; and who has been granted a restricted one (through `/api/grants`).
 */
import {
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconLock, IconLockOpen, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, request } from '../api/client.js';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { evidenceApi } from './api.js';
import type { Collection } from './types.js';

const collectionsKey = ['evidence', 'collections'] as const;

interface Grant {
  principalType: 'user' | 'apikey';
  principalId: string;
  resourceType: string;
  resourceId: string;
}

const grantsApi = {
  list: (collectionId: string) =>
    request<{ items: Grant[] }>(
      'GET',
      `/api/grants?resourceType=evidence_collection&resourceId=${encodeURIComponent(collectionId)}`,
    ),
  grant: (grant: Grant) => request<void>('POST', '/api/grants', grant),
  revoke: (grant: Grant) => request<void>('POST', '/api/grants/revoke', grant),
};

export function CollectionsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const collections = useQuery({ queryKey: collectionsKey, queryFn: evidenceApi.collections });
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [restricted, setRestricted] = useState(true);
  const [selected, setSelected] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      evidenceApi.createCollection({ name: name.trim(), description: description.trim(), restricted }),
    onSuccess: (made) => {
      void queryClient.invalidateQueries({ queryKey: collectionsKey });
      notifySuccess(t('collections.created'));
      setName('');
      setDescription('');
      setSelected(made.restricted ? made.id : null);
    },
  });
  const chosen = collections.data?.items.find((c) => c.id === selected);

  return (
    <>
      <PageHeader title={t('collections.title')} description={t('collections.description')} />
      <Stack gap="sm" maw={1100}>
        <ErrorAlert error={collections.error} />
        <Table fz="sm" verticalSpacing={6} striped data-testid="collections-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('collections.name')}</Table.Th>
              <Table.Th>{t('collections.access')}</Table.Th>
              <Table.Th>{t('collections.items')}</Table.Th>
              <Table.Th>{t('collections.descriptionLabel')}</Table.Th>
              <Table.Th>{t('collections.grants')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(collections.data?.items ?? []).map((collection) => (
              <Table.Tr key={collection.id}>
                <Table.Td fw={500}>{collection.name}</Table.Td>
                <Table.Td>
                  {collection.restricted ? (
                    <Badge color="grape" variant="light" leftSection={<IconLock size={10} aria-hidden />}>
                      {t('collections.restricted')}
                    </Badge>
                  ) : (
                    <Badge color="gray" variant="light" leftSection={<IconLockOpen size={10} aria-hidden />}>
                      {t('collections.open')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{format.number(collection.itemCount)}</Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {collection.description}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {collection.restricted ? (
                    <Button size="compact-xs" variant="default" onClick={() => setSelected(collection.id)}>
                      {t('collections.manageGrants')}
                    </Button>
                  ) : (
                    <Text size="xs" c="dimmed">
                      {t('collections.allStaff')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {chosen ? <Grants collection={chosen} /> : null}
        <Paper withBorder p="sm" radius="sm" component="section" aria-labelledby="new-collection">
          <Title order={2} size="h5" mb="xs" id="new-collection">
            {t('collections.create')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
            <TextInput
              size="xs"
              label={t('collections.name')}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              name="collectionName"
              required
            />
            <TextInput
              size="xs"
              label={t('collections.descriptionLabel')}
              value={description}
              onChange={(event) => setDescription(event.currentTarget.value)}
              name="collectionDescription"
            />
            <Checkbox
              mt="lg"
              label={t('collections.restrictedLabel')}
              checked={restricted}
              onChange={(event) => setRestricted(event.currentTarget.checked)}
            />
          </SimpleGrid>
          <Group mt="sm">
            <Button
              size="xs"
              leftSection={<IconPlus size={14} aria-hidden />}
              disabled={!name.trim()}
              loading={create.isPending}
              onClick={() => create.mutate()}
            >
              {t('collections.create')}
            </Button>
          </Group>
          <ErrorAlert error={create.error} />
        </Paper>
      </Stack>
    </>
  );
}

/** Who may see one restricted collection besides administrators; grant to a user or revoke. */
function Grants({ collection }: { collection: Collection }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = ['grants', 'evidence_collection', collection.id];
  const grants = useQuery({ queryKey: key, queryFn: () => grantsApi.list(collection.id) });
  const users = useQuery({ queryKey: ['users'], queryFn: api.users });
  const [userId, setUserId] = useState<string | null>(null);
  const base = { resourceType: 'evidence_collection', resourceId: collection.id } as const;
  const grant = useMutation({
    mutationFn: () => grantsApi.grant({ ...base, principalType: 'user', principalId: userId ?? '' }),
    onSuccess: () => {
      setUserId(null);
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (principalId: string) => grantsApi.revoke({ ...base, principalType: 'user', principalId }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: key }),
  });
  const userName = new Map(
    (users.data?.items ?? []).map((user) => [user.id, `${user.displayName} (${user.username})`]),
  );
  const granted = (grants.data?.items ?? []).filter((g) => g.principalType === 'user');
  const grantedIds = new Set(granted.map((g) => g.principalId));
  return (
    <Paper withBorder p="sm" radius="sm" component="section" aria-labelledby="collection-grants">
      <Title order={2} size="h5" mb="xs" id="collection-grants">
        {t('collections.grantsFor', { name: collection.name })}
      </Title>
      <ErrorAlert error={grants.error ?? grant.error ?? revoke.error} />
      {granted.length === 0 ? (
        <Text size="sm" c="dimmed" mb="sm">
          {t('collections.noGrants')}
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={4} mb="sm" data-testid="grants-table">
          <Table.Tbody>
            {granted.map((g) => (
              <Table.Tr key={g.principalId}>
                <Table.Td>{userName.get(g.principalId) ?? g.principalId}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    loading={revoke.isPending && revoke.variables === g.principalId}
                    onClick={() => revoke.mutate(g.principalId)}
                  >
                    {t('collections.revoke')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group align="flex-end" gap="xs">
        <Select
          size="xs"
          label={t('collections.grantUser')}
          searchable
          data={(users.data?.items ?? [])
            .filter((user) => user.role !== 'admin' && !user.disabled && !grantedIds.has(user.id))
            .map((user) => ({ value: user.id, label: `${user.displayName} (${user.username})` }))}
          value={userId}
          onChange={setUserId}
        />
        <Button size="xs" disabled={!userId} loading={grant.isPending} onClick={() => grant.mutate()}>
          {t('collections.grant')}
        </Button>
      </Group>
    </Paper>
  );
}
