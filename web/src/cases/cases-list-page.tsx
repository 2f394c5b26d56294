/** Verification cases: my queue, due dates and filters; a new request from the intake form. */
import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { casesApi } from './api.js';
import { type CaseStatus, caseStatuses } from './types.js';

export function StatusBadge({ status }: { status: CaseStatus }) {
  const { t } = useTranslation();
  const color: Record<CaseStatus, string> = {
    received: 'gray',
    accepted: 'blue',
    declined: 'dark',
    in_progress: 'indigo',
    in_review: 'orange',
    released: 'green',
    closed: 'teal',
  };
  return (
    <Badge color={color[status]} variant="light">
      {t(`cases.status.${status}`)}
    </Badge>
  );
}

export function CasesListPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [search, setSearch] = useSearchParams();
  const status = (search.get('status') as CaseStatus | null) ?? undefined;
  const mine = search.get('mine') === 'true';
  const overdue = search.get('overdue') === 'true';
  // The text filter (also where the top bar's "see all" lands): asked once typing pauses.
  const [q] = useDebouncedValue(search.get('q')?.trim() ?? '', 250);
  const cases = useQuery({
    queryKey: ['cases', 'list', status, mine, overdue, q],
    queryFn: () =>
      casesApi.list({
        ...(q ? { q } : {}),
        ...(status ? { status } : {}),
        ...(mine ? { mine: true } : {}),
        ...(overdue ? { overdue: true } : {}),
      }),
  });
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next);
  };
  return (
    <>
      <PageHeader
        title={t('cases.title')}
        description={t('cases.description')}
        actions={
          <Button component={Link} to="/cases/new" leftSection={<IconPlus size={16} aria-hidden />}>
            {t('cases.new')}
          </Button>
        }
      />
      <Stack gap="sm">
        <Paper withBorder p="sm" radius="sm" component="section" aria-label={t('cases.filters')}>
          <Group gap="md" align="flex-end">
            <TextInput
              size="xs"
              type="search"
              label={t('cases.textFilter')}
              value={search.get('q') ?? ''}
              onChange={(event) => set('q', event.currentTarget.value)}
              name="q"
              w={260}
            />
            <Select
              size="xs"
              label={t('cases.statusLabel')}
              placeholder={t('cases.any')}
              clearable
              data={caseStatuses.map((s) => ({ value: s, label: t(`cases.status.${s}`) }))}
              value={status ?? null}
              onChange={(value) => set('status', value)}
            />
            <Checkbox
              label={t('cases.mine')}
              checked={mine}
              onChange={(e) => set('mine', e.currentTarget.checked ? 'true' : null)}
            />
            <Checkbox
              label={t('cases.overdueOnly')}
              checked={overdue}
              onChange={(e) => set('overdue', e.currentTarget.checked ? 'true' : null)}
            />
          </Group>
        </Paper>
        <ErrorAlert error={cases.error} />
        <Table striped highlightOnHover aria-label={t('cases.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('cases.number')}</Table.Th>
              <Table.Th>{t('cases.subject')}</Table.Th>
              <Table.Th>{t('cases.requester')}</Table.Th>
              <Table.Th>{t('cases.statusLabel')}</Table.Th>
              <Table.Th>{t('cases.due')}</Table.Th>
              <Table.Th>{t('cases.received')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(cases.data?.cases ?? []).map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/cases/${c.id}`} fw={500} size="sm">
                    {c.number}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {c.erased ? <Badge color="gray">{t('cases.erased')}</Badge> : (c.subjectName ?? '—')}
                </Table.Td>
                <Table.Td>{c.requesterOrg}</Table.Td>
                <Table.Td>
                  <StatusBadge status={c.status} />
                </Table.Td>
                <Table.Td>
                  {c.dueDate ? (
                    <Text size="sm" c={c.overdue ? 'red' : undefined} fw={c.overdue ? 600 : undefined}>
                      {format.date(c.dueDate)}
                      {c.overdue ? ` · ${t('cases.overdue')}` : ''}
                    </Text>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>{format.date(c.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {cases.data && cases.data.cases.length === 0 ? <Text c="dimmed">{t('cases.none')}</Text> : null}
      </Stack>
    </>
  );
}
