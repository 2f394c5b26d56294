/**
 * The audit log: who did what to what, newest first. Filters live in the URL so a view can be shared and
 * the back button works; the banner says whether the hash chain verifies.
 */
import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Code,
  Group,
  Modal,
  Paper,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconInfoCircle, IconSearch, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { type UseQueryResult, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api/client.js';
import type { AuditEntry, AuditVerifyResponse } from '../api/types.js';
import { DataTable, type DataTableFeatures } from '../components/data-table.js';
import { ErrorAlert } from '../components/error-alert.js';
import { ClearFiltersButton, ListFooter } from '../components/list-controls.js';
import { PageHeader } from '../components/page-header.js';
import { OutcomeBadge } from '../components/status-badges.js';
import { useFormat } from '../i18n/format.js';
import {
  auditQueryFromFilters,
  type FilterKey,
  type Filters,
  filterKeys,
  filtersFromSearch,
  isoToLocalInput,
  localInputToIso,
  outcomes,
} from './audit-filters.js';

const column = createColumnHelper<DataTableFeatures, AuditEntry>();

export function AuditPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const [selected, setSelected] = useState<AuditEntry | null>(null);

  const form = useForm({
    mode: 'controlled',
    initialValues: { ...filters, from: isoToLocalInput(filters.from), to: isoToLocalInput(filters.to) },
  });
  // Back/forward changes the URL: the form follows it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form object is stable; only the URL drives this.
  useEffect(() => {
    form.setValues({ ...filters, from: isoToLocalInput(filters.from), to: isoToLocalInput(filters.to) });
  }, [filters]);

  const query = auditQueryFromFilters(filters);
  const entries = useInfiniteQuery({
    queryKey: ['audit', 'list', query],
    queryFn: ({ pageParam }) => api.audit({ ...query, ...(pageParam ? { before: pageParam } : {}) }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const verify = useQuery({ queryKey: ['audit', 'verify'], queryFn: api.auditVerify, staleTime: 30_000 });
  const rows = useMemo(() => entries.data?.pages.flatMap((page) => page.items) ?? [], [entries.data]);

  const applyFilters = (values: Filters) => {
    const next = new URLSearchParams();
    const normalized: Filters = {
      ...values,
      from: localInputToIso(values.from),
      to: localInputToIso(values.to),
    };
    for (const key of filterKeys) if (normalized[key].trim()) next.set(key, normalized[key].trim());
    setSearch(next);
  };
  const filterLink = useCallback(
    (key: FilterKey, value: string) => {
      const next = new URLSearchParams(search);
      next.set(key, value);
      return `?${next.toString()}`;
    },
    [search],
  );

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('at', {
          header: () => t('audit.time'),
          cell: (info) => (
            <Text size="sm" className="nowrap" title={info.getValue()}>
              {format.dateTime(info.getValue())}
            </Text>
          ),
        }),
        column.accessor(
          (entry) => entry.actorLabel ?? `${entry.actorType}${entry.actorId ? `:${entry.actorId}` : ''}`,
          {
            id: 'actor',
            header: () => t('audit.actor'),
            cell: (info) => (
              <Anchor component={Link} to={filterLink('actor', info.getValue())} size="sm">
                {info.getValue()}
              </Anchor>
            ),
          },
        ),
        column.accessor('action', {
          header: () => t('audit.action'),
          cell: (info) => (
            <Anchor component={Link} to={filterLink('action', info.getValue())} size="sm" ff="monospace">
              {info.getValue()}
            </Anchor>
          ),
        }),
        column.accessor((entry) => [entry.targetType, entry.targetId].filter(Boolean).join(':'), {
          id: 'target',
          header: () => t('audit.target'),
          cell: (info) => (
            <Text size="sm" ff="monospace" className="truncate" title={info.getValue()}>
              {info.getValue() || '—'}
            </Text>
          ),
        }),
        column.accessor('outcome', {
          header: () => t('audit.outcome'),
          cell: (info) => <OutcomeBadge outcome={info.getValue()} />,
        }),
        column.accessor('purpose', {
          header: () => t('audit.purpose'),
          cell: (info) => info.getValue() ?? '',
        }),
        column.display({
          id: 'details',
          header: () => <VisuallyHidden>{t('audit.details')}</VisuallyHidden>,
          cell: (info) => (
            <Tooltip label={t('audit.details')} withArrow>
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={t('audit.detailsFor', { seq: info.row.original.seq })}
                onClick={() => setSelected(info.row.original)}
              >
                <IconInfoCircle size={16} aria-hidden />
              </ActionIcon>
            </Tooltip>
          ),
        }),
      ]),
    [t, format, filterLink],
  );

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.description')} />
      <Stack gap="sm">
        <ChainBanner verify={verify} />
        <Paper withBorder p="sm" radius="sm" component="section" aria-label={t('audit.filters')}>
          <form onSubmit={form.onSubmit(applyFilters)}>
            <SimpleGrid cols={{ base: 1, sm: 3, lg: 6 }} spacing="xs" verticalSpacing="xs">
              <TextInput size="xs" label={t('audit.actor')} name="actor" {...form.getInputProps('actor')} />
              <TextInput
                size="xs"
                label={t('audit.action')}
                name="action"
                {...form.getInputProps('action')}
              />
              <TextInput
                size="xs"
                label={t('audit.target')}
                name="target"
                {...form.getInputProps('target')}
              />
              <Select
                size="xs"
                label={t('audit.outcome')}
                placeholder={t('audit.anyOutcome')}
                clearable
                data={outcomes.map((outcome) => ({ value: outcome, label: t(`audit.outcomes.${outcome}`) }))}
                {...form.getInputProps('outcome')}
                onChange={(value) => form.setFieldValue('outcome', value ?? '')}
              />
              <TextInput
                size="xs"
                type="datetime-local"
                label={t('audit.from')}
                name="from"
                {...form.getInputProps('from')}
              />
              <TextInput
                size="xs"
                type="datetime-local"
                label={t('audit.to')}
                name="to"
                {...form.getInputProps('to')}
              />
            </SimpleGrid>
            <Group gap="xs" mt="sm">
              <Button size="xs" type="submit" leftSection={<IconSearch size={14} aria-hidden />}>
                {t('audit.apply')}
              </Button>
              <ClearFiltersButton label={t('audit.clear')} />
            </Group>
          </form>
        </Paper>
        <ErrorAlert error={entries.error} />
        <DataTable
          data={rows}
          columns={columns}
          caption={t('audit.title')}
          getRowId={(entry) => String(entry.seq)}
          manualOrder
          empty={entries.isLoading ? t('common.loading') : t('audit.empty')}
          testId="audit-table"
        />
        <ListFooter
          shown={t('audit.shown', { formatted: format.number(rows.length) })}
          pages={entries}
          loadMoreLabel={t('audit.loadMore')}
        />
      </Stack>
      <Modal
        opened={selected !== null}
        onClose={() => setSelected(null)}
        title={selected ? t('audit.entryTitle', { seq: selected.seq }) : ''}
        size="lg"
      >
        {selected ? (
          <Stack gap="xs">
            <Text size="sm">
              {format.dateTime(selected.at)} · <Code>{selected.action}</Code> ·{' '}
              <OutcomeBadge outcome={selected.outcome} />
            </Text>
            <Text size="xs" c="dimmed">
              {t('audit.hash')}: <Code>{selected.hash}</Code>
            </Text>
            <ScrollArea.Autosize mah={360}>
              <Code block>{JSON.stringify(selected.details, null, 2)}</Code>
            </ScrollArea.Autosize>
          </Stack>
        ) : null}
      </Modal>
    </>
  );
}

function ChainBanner({ verify }: { verify: UseQueryResult<AuditVerifyResponse> }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (verify.isLoading) {
    return (
      <Alert variant="light" color="gray" title={t('audit.chainChecking')}>
        {t('common.loading')}
      </Alert>
    );
  }
  if (verify.error) return <ErrorAlert error={verify.error} title={t('audit.chainUnknown')} />;
  const result = verify.data;
  if (!result) return null;
  if (result.ok) {
    return (
      <Alert
        variant="light"
        color="teal"
        icon={<IconShieldCheck size={18} aria-hidden />}
        title={t('audit.chainOk', { formatted: format.number(result.checked) })}
        data-testid="chain-status"
      >
        {result.head ? (
          <Text size="xs">
            {t('audit.chainHead', { seq: result.head.seq })} <Code>{result.head.hash.slice(0, 16)}…</Code>
          </Text>
        ) : (
          <Text size="xs">{t('audit.chainEmpty')}</Text>
        )}
      </Alert>
    );
  }
  return (
    <Alert
      variant="filled"
      color="red"
      icon={<IconShieldX size={18} aria-hidden />}
      title={t('audit.chainBroken', { seq: result.firstBroken?.seq ?? '?' })}
      role="alert"
      data-testid="chain-status"
    >
      <Text size="sm">{result.firstBroken?.reason ?? result.anchorProblem}</Text>
      <Text size="xs">{t('audit.chainBrokenHint')}</Text>
    </Alert>
  );
}
