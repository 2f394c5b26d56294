/** Incidents: what happened, when, where and who was responsible; server-side filters in the URL. */
import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconLock, IconPlus } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { DataTable, type DataTableFeatures } from '../components/data-table.js';
import { ErrorAlert } from '../components/error-alert.js';
import { ClearFiltersButton, ListFooter } from '../components/list-controls.js';
import { PageHeader } from '../components/page-header.js';
import { evidenceApi } from '../evidence/api.js';
import { CodeBadges, classificationAxes, useAxisOptions, useCodeLabel } from '../evidence/parts.js';
import type { IncidentSummary } from '../evidence/types.js';
import { useFormat } from '../i18n/format.js';
import {
  type IncidentFilterKey,
  incidentFilterKeys,
  incidentFiltersFromSearch,
  incidentsQueryFromFilters,
} from './incident-filters.js';
import { OccurredAt } from './occurred-at.js';

const column = createColumnHelper<DataTableFeatures, IncidentSummary>();

export function IncidentsListPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const codeLabel = useCodeLabel();
  const axisOptions = useAxisOptions();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => incidentFiltersFromSearch(search), [search]);
  const query = incidentsQueryFromFilters(filters);
  const incidents = useInfiniteQuery({
    queryKey: ['evidence', 'incidents', 'list', query],
    queryFn: ({ pageParam }) =>
      evidenceApi.incidents({ ...query, ...(pageParam ? { before: pageParam } : {}) }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const collections = useQuery({ queryKey: ['evidence', 'collections'], queryFn: evidenceApi.collections });
  const collectionName = useMemo(
    () => new Map((collections.data?.items ?? []).map((c) => [c.id, c.name])),
    [collections.data],
  );
  const rows = useMemo(() => incidents.data?.pages.flatMap((page) => page.items) ?? [], [incidents.data]);
  const setFilter = (key: IncidentFilterKey, value: string | null) => {
    const next = new URLSearchParams();
    for (const name of incidentFilterKeys) {
      const text = name === key ? (value ?? '') : filters[name];
      if (text.trim()) next.set(name, text.trim());
    }
    setSearch(next);
  };

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('title', {
          header: () => t('incidents.what'),
          cell: (info) => (
            <Group gap={4} wrap="nowrap">
              <Anchor component={Link} to={`/incidents/${info.row.original.id}`} size="sm" fw={500}>
                {info.getValue()}
              </Anchor>
              {info.row.original.collectionId ? (
                <Badge
                  size="xs"
                  variant="light"
                  color="grape"
                  leftSection={<IconLock size={10} aria-hidden />}
                  title={t('collections.restrictedIncident')}
                >
                  {collectionName.get(info.row.original.collectionId) ?? t('collections.restricted')}
                </Badge>
              ) : null}
            </Group>
          ),
        }),
        column.accessor((incident) => incident.occurredFrom ?? '', {
          id: 'when',
          header: () => t('incidents.when'),
          cell: (info) => (
            <OccurredAt from={info.row.original.occurredFrom} to={info.row.original.occurredTo} />
          ),
          sortFn: 'text',
        }),
        column.accessor((incident) => incident.place ?? '', {
          id: 'where',
          header: () => t('incidents.where'),
          cell: (info) => (
            <Stack gap={0}>
              <Text size="sm">{info.getValue() || '—'}</Text>
              {info.row.original.placeType ? (
                <Text size="xs" c="dimmed">
                  {codeLabel(info.row.original.placeType)}
                </Text>
              ) : null}
            </Stack>
          ),
        }),
        column.accessor((incident) => incident.responsibleUnit ?? '', {
          id: 'responsible',
          header: () => t('incidents.responsible'),
          cell: (info) => (
            <Stack gap={0}>
              <Text size="sm">{info.getValue() || '—'}</Text>
              {info.row.original.responsibleInstitution ? (
                <Text size="xs" c="dimmed">
                  {codeLabel(info.row.original.responsibleInstitution)}
                </Text>
              ) : null}
            </Stack>
          ),
        }),
        column.accessor((incident) => incident.codes.join(' '), {
          id: 'codes',
          header: () => t('evidence.classification'),
          cell: (info) => <CodeBadges codes={info.row.original.codes} max={3} compact />,
        }),
        column.accessor('itemCount', {
          header: () => t('incidents.items'),
          cell: (info) => format.number(info.getValue()),
          sortFn: 'basic',
        }),
        column.accessor('createdAt', {
          header: () => t('incidents.created'),
          cell: (info) => format.date(info.getValue()),
          sortFn: 'datetime',
        }),
      ]),
    [t, format, codeLabel, collectionName],
  );

  return (
    <>
      <PageHeader
        title={t('incidents.title')}
        description={t('incidents.description')}
        actions={
          <Button component={Link} to="/incidents/new" leftSection={<IconPlus size={16} aria-hidden />}>
            {t('incidents.create')}
          </Button>
        }
      />
      <Stack gap="sm">
        <Paper withBorder p="sm" radius="sm" component="section" aria-label={t('evidence.filters')}>
          <SimpleGrid cols={{ base: 1, sm: 3, lg: 6 }} spacing="xs" verticalSpacing="xs">
            <TextInput
              size="xs"
              label={t('incidents.search')}
              value={filters.q}
              onChange={(event) => setFilter('q', event.currentTarget.value)}
              name="q"
            />
            <Select
              size="xs"
              label={t('evidence.classification')}
              placeholder={t('evidence.any')}
              clearable
              searchable
              data={classificationAxes.map((axis) => ({
                group: t(`evidence.axes.${axis}`),
                items: axisOptions(axis),
              }))}
              value={filters.code || null}
              onChange={(value) => setFilter('code', value)}
            />
            <Select
              size="xs"
              label={t('incidents.placeType')}
              placeholder={t('evidence.any')}
              clearable
              data={axisOptions('place')}
              value={filters.place || null}
              onChange={(value) => setFilter('place', value)}
            />
            <Select
              size="xs"
              label={t('incidents.institution')}
              placeholder={t('evidence.any')}
              clearable
              data={axisOptions('institution')}
              value={filters.institution || null}
              onChange={(value) => setFilter('institution', value)}
            />
            <TextInput
              size="xs"
              type="date"
              label={t('incidents.from')}
              value={filters.from}
              onChange={(event) => setFilter('from', event.currentTarget.value)}
            />
            <TextInput
              size="xs"
              type="date"
              label={t('incidents.to')}
              value={filters.to}
              onChange={(event) => setFilter('to', event.currentTarget.value)}
            />
          </SimpleGrid>
          <Group gap="xs" mt="sm">
            <ClearFiltersButton label={t('evidence.clearFilters')} />
          </Group>
        </Paper>
        <ErrorAlert error={incidents.error} />
        <DataTable
          data={rows}
          columns={columns}
          caption={t('incidents.title')}
          getRowId={(incident) => incident.id}
          empty={incidents.isLoading ? t('common.loading') : t('incidents.empty')}
          testId="incidents-table"
        />
        <ListFooter
          shown={t('evidence.shown', { formatted: format.number(rows.length) })}
          pages={incidents}
          loadMoreLabel={t('evidence.loadMore')}
        />
      </Stack>
    </>
  );
}
