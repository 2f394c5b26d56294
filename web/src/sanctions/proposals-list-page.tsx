/** Listing proposals: each with a state chip per jurisdiction and its completeness; filters in the URL. */
import { Anchor, Button, Group, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { sanctionsApi } from './api.js';
import { CompletenessMeter, NewProposalDialog, StateChips } from './parts.js';
import { type Jurisdiction, jurisdictions, type ProposalState, proposalStates } from './types.js';

export function ProposalsListPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { user } = useSession();
  const [search, setSearch] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const jurisdiction = (search.get('jurisdiction') as Jurisdiction | null) ?? undefined;
  const state = (search.get('state') as ProposalState | null) ?? undefined;
  // The text filter (also where the top bar's "see all" lands): asked once typing pauses.
  const [q] = useDebouncedValue(search.get('q')?.trim() ?? '', 250);
  const proposals = useQuery({
    queryKey: ['sanctions', 'proposals', jurisdiction, state, q],
    queryFn: () =>
      sanctionsApi.proposals({
        ...(q ? { q } : {}),
        ...(jurisdiction ? { jurisdiction } : {}),
        ...(state ? { state } : {}),
      }),
  });
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next);
  };
  const canEdit = user?.role === 'admin' || user?.role === 'analyst';
  const items = proposals.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('sanctions.title')}
        description={t('sanctions.description')}
        actions={
          canEdit ? (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
              {t('sanctions.new')}
            </Button>
          ) : null
        }
      />
      {creating ? <NewProposalDialog opened onClose={() => setCreating(false)} /> : null}
      <Stack gap="sm">
        <Paper withBorder p="sm" radius="sm" component="section" aria-label={t('sanctions.filters')}>
          <Group gap="md" align="flex-end">
            <TextInput
              size="xs"
              type="search"
              label={t('sanctions.textFilter')}
              value={search.get('q') ?? ''}
              onChange={(event) => set('q', event.currentTarget.value)}
              name="q"
              w={240}
            />
            <Select
              size="xs"
              label={t('sanctions.jurisdiction')}
              placeholder={t('sanctions.any')}
              clearable
              data={jurisdictions.map((j) => ({ value: j, label: t(`sanctions.authorities.${j}`) }))}
              value={jurisdiction ?? null}
              onChange={(value) => set('jurisdiction', value)}
            />
            <Select
              size="xs"
              label={t('sanctions.state')}
              placeholder={t('sanctions.any')}
              clearable
              data={proposalStates.map((s) => ({ value: s, label: t(`sanctions.states.${s}`) }))}
              value={state ?? null}
              onChange={(value) => set('state', value)}
            />
          </Group>
        </Paper>
        <ErrorAlert error={proposals.error} />
        <Table striped highlightOnHover aria-label={t('sanctions.title')} data-testid="proposals">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sanctions.reference')}</Table.Th>
              <Table.Th>{t('sanctions.person')}</Table.Th>
              <Table.Th>{t('sanctions.jurisdictions')}</Table.Th>
              <Table.Th>{t('sanctions.completeness')}</Table.Th>
              <Table.Th>{t('sanctions.reasonsCount')}</Table.Th>
              <Table.Th>{t('sanctions.updated')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((p) => (
              <Table.Tr key={p.id} data-proposal={p.reference}>
                <Table.Td>
                  <Anchor component={Link} to={`/sanctions/proposals/${p.id}`} fw={500} size="sm">
                    {p.reference}
                  </Anchor>
                </Table.Td>
                <Table.Td>{p.caption}</Table.Td>
                <Table.Td>
                  <StateChips proposal={p} />
                </Table.Td>
                <Table.Td>
                  <CompletenessMeter identity={p.content.identity} compact />
                </Table.Td>
                <Table.Td>{p.content.reasons.length}</Table.Td>
                <Table.Td>{format.dateTime(p.updatedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {proposals.data && items.length === 0 ? <Text c="dimmed">{t('sanctions.none')}</Text> : null}
      </Stack>
    </>
  );
}
