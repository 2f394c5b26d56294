/**
 * The evidence list: newest first, filters in the URL and applied by the server (text, taxonomy codes,
 * received and capture dates, incident, collection, media kind, verification and processing state,
 * channel) with a total count, thumbnails blurred until clicked, SHA-256 with copy, a selection to export.
 * Only items of collections the user may see ever arrive here.
 */
import {
  Anchor,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { IconFileZip, IconUpload } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { DataTable, type DataTableFeatures } from '../components/data-table.js';
import { ErrorAlert } from '../components/error-alert.js';
import { ClearFiltersButton, ListFooter } from '../components/list-controls.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { evidenceApi, itemFiles } from './api.js';
import { ExportDialog } from './export-dialog.js';
import {
  type FilterKey,
  filtersFromSearch,
  itemsQueryFromFilters,
  matchesClientFilters,
  searchFromFilters,
} from './filters.js';
import {
  CodeBadges,
  classificationAxes,
  HashValue,
  ProcessingBadge,
  SensitiveImage,
  useAxisOptions,
  VerificationBadge,
} from './parts.js';
import {
  channelValues,
  type ItemSummary,
  kindValues,
  processingValues,
  verificationValues,
} from './types.js';
import { formatBytes } from './upload-progress.js';

const column = createColumnHelper<DataTableFeatures, ItemSummary>();

export function EvidenceListPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [exporting, setExporting] = useState(false);
  const axisOptions = useAxisOptions();
  const incidents = useQuery({
    queryKey: ['evidence', 'incidents', 'picker'],
    queryFn: () => evidenceApi.incidents({ limit: 500 }),
  });

  const collections = useQuery({ queryKey: ['evidence', 'collections'], queryFn: evidenceApi.collections });
  const query = itemsQueryFromFilters(filters);
  const items = useInfiniteQuery({
    queryKey: ['evidence', 'items', query],
    queryFn: ({ pageParam }) => evidenceApi.items({ ...query, ...(pageParam ? { before: pageParam } : {}) }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const rows = useMemo(
    () =>
      (items.data?.pages.flatMap((page) => page.items) ?? []).filter((item) =>
        matchesClientFilters(item, filters),
      ),
    [items.data, filters],
  );

  const setFilter = (key: FilterKey, value: string | null) => {
    setSearch(searchFromFilters({ ...filters, [key]: value ?? '' }));
  };
  const toggle = useCallback(
    (id: string) =>
      setSelected((current) => {
        const next = new Set(current);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );

  const columns = useMemo(
    () =>
      column.columns([
        column.display({
          id: 'select',
          header: () => <VisuallyHidden>{t('evidence.select')}</VisuallyHidden>,
          cell: (info) => (
            <Checkbox
              size="xs"
              checked={selected.has(info.row.original.id)}
              onChange={() => toggle(info.row.original.id)}
              aria-label={t('evidence.selectItem', {
                name: info.row.original.fileName ?? info.row.original.id,
              })}
            />
          ),
        }),
        column.display({
          id: 'thumb',
          header: () => <VisuallyHidden>{t('evidence.preview')}</VisuallyHidden>,
          cell: (info) =>
            info.row.original.hasThumbnail ? (
              <SensitiveImage
                src={itemFiles.thumbnail(info.row.original.id)}
                alt={t('evidence.thumbnailOf', { name: info.row.original.fileName ?? '' })}
                className="thumb-cell"
              />
            ) : (
              <Text size="xs" c="dimmed" className="thumb-cell">
                {t(`evidence.kinds.${info.row.original.kind}`, { defaultValue: info.row.original.kind })}
              </Text>
            ),
        }),
        column.accessor((item) => item.fileName ?? '', {
          id: 'name',
          header: () => t('evidence.fileName'),
          cell: (info) => (
            <Stack gap={0}>
              <Anchor component={Link} to={`/evidence/${info.row.original.id}`} size="sm" fw={500}>
                {info.getValue() || t('evidence.unnamed')}
              </Anchor>
              <Text size="xs" c="dimmed">
                {info.row.original.mediaType} · {formatBytes(info.row.original.size, format.number)}
              </Text>
            </Stack>
          ),
        }),
        column.accessor('receivedAt', {
          header: () => t('evidence.received'),
          cell: (info) => (
            <Text size="sm" className="nowrap">
              {format.dateTime(info.getValue())}
            </Text>
          ),
          sortFn: 'datetime',
        }),
        column.accessor('channel', {
          header: () => t('evidence.channel'),
          cell: (info) => t(`evidence.channels.${info.getValue()}`),
        }),
        column.accessor('collectionName', {
          header: () => t('collections.collection'),
          cell: (info) => <Text size="sm">{info.getValue()}</Text>,
        }),
        column.accessor('sha256', {
          header: () => 'SHA-256',
          cell: (info) => <HashValue hash={info.getValue()} />,
          enableSorting: false,
        }),
        column.accessor((item) => item.codes.join(' '), {
          id: 'codes',
          header: () => t('evidence.classification'),
          cell: (info) => <CodeBadges codes={info.row.original.codes} max={3} compact />,
        }),
        column.accessor('verificationState', {
          header: () => t('evidence.verificationLabel'),
          cell: (info) => <VerificationBadge state={info.getValue()} />,
        }),
        column.accessor('processingState', {
          header: () => t('evidence.processingLabel'),
          cell: (info) => <ProcessingBadge state={info.getValue()} />,
        }),
      ]),
    [t, format, selected, toggle],
  );

  const codeOptions = classificationAxes.map((axis) => ({
    group: t(`evidence.axes.${axis}`),
    items: axisOptions(axis),
  }));
  const select = (key: FilterKey, label: string, data: { value: string; label: string }[]) => (
    <Select
      size="xs"
      label={label}
      placeholder={t('evidence.any')}
      clearable
      data={data}
      value={filters[key] || null}
      onChange={(value) => setFilter(key, value)}
      name={key}
    />
  );

  return (
    <>
      <PageHeader
        title={t('evidence.title')}
        description={t('evidence.description')}
        actions={
          <>
            <Button
              variant="default"
              leftSection={<IconFileZip size={16} aria-hidden />}
              disabled={selected.size === 0}
              onClick={() => setExporting(true)}
              data-testid="export-selected"
            >
              {t('evidence.exportSelected', { n: selected.size })}
            </Button>
            <Button component={Link} to="/evidence/upload" leftSection={<IconUpload size={16} aria-hidden />}>
              {t('evidence.upload')}
            </Button>
          </>
        }
      />
      <Stack gap="sm">
        <Paper withBorder p="sm" radius="sm" component="section" aria-label={t('evidence.filters')}>
          <SimpleGrid cols={{ base: 1, sm: 3, lg: 4 }} spacing="xs" verticalSpacing="xs">
            <TextInput
              size="xs"
              type="search"
              label={t('evidenceTools.search')}
              value={filters.q}
              onChange={(event) => setFilter('q', event.currentTarget.value)}
              name="q"
            />
            <MultiSelect
              size="xs"
              label={t('evidence.classification')}
              placeholder={filters.code ? undefined : t('evidence.any')}
              clearable
              searchable
              data={codeOptions}
              value={filters.code ? filters.code.split(',') : []}
              onChange={(value) => setFilter('code', value.join(','))}
              name="code"
            />
            {select(
              'collection',
              t('collections.collection'),
              (collections.data?.items ?? []).map((collection) => ({
                value: collection.id,
                label: collection.name,
              })),
            )}
            {select(
              'incident',
              t('evidence.incident'),
              (incidents.data?.items ?? []).map((incident) => ({
                value: incident.id,
                label: incident.title,
              })),
            )}
            <TextInput
              size="xs"
              type="date"
              label={t('evidence.receivedFrom')}
              value={filters.from}
              onChange={(event) => setFilter('from', event.currentTarget.value)}
              name="from"
            />
            <TextInput
              size="xs"
              type="date"
              label={t('evidence.receivedTo')}
              value={filters.to}
              onChange={(event) => setFilter('to', event.currentTarget.value)}
              name="to"
            />
            <TextInput
              size="xs"
              type="date"
              label={t('evidenceTools.capturedFrom')}
              value={filters.capturedFrom}
              onChange={(event) => setFilter('capturedFrom', event.currentTarget.value)}
              name="capturedFrom"
            />
            <TextInput
              size="xs"
              type="date"
              label={t('evidenceTools.capturedTo')}
              value={filters.capturedTo}
              onChange={(event) => setFilter('capturedTo', event.currentTarget.value)}
              name="capturedTo"
            />
            {select(
              'kind',
              t('evidence.kind'),
              kindValues.map((value) => ({ value, label: t(`evidence.kinds.${value}`) })),
            )}
            {select(
              'state',
              t('evidence.verificationLabel'),
              verificationValues.map((value) => ({ value, label: t(`evidence.verification.${value}`) })),
            )}
            {select(
              'processing',
              t('evidence.processingLabel'),
              processingValues.map((value) => ({ value, label: t(`evidence.processing.${value}`) })),
            )}
            {select(
              'channel',
              t('evidence.channel'),
              channelValues.map((value) => ({ value, label: t(`evidence.channels.${value}`) })),
            )}
          </SimpleGrid>
          <Group gap="xs" mt="sm">
            <ClearFiltersButton label={t('evidence.clearFilters')} />
          </Group>
        </Paper>
        <ErrorAlert error={items.error} />
        <DataTable
          data={rows}
          columns={columns}
          caption={t('evidence.title')}
          getRowId={(item) => item.id}
          empty={items.isLoading ? t('common.loading') : t('evidence.empty')}
          testId="evidence-table"
        />
        <ListFooter
          shown={
            items.data
              ? t('evidenceTools.shownOfTotal', {
                  shown: format.number(rows.length),
                  total: format.number(items.data.pages[0]?.total ?? rows.length),
                })
              : t('evidence.shown', { formatted: format.number(rows.length) })
          }
          pages={items}
          loadMoreLabel={t('evidence.loadMore')}
        />
      </Stack>
      {exporting ? (
        <ExportDialog target={{ itemIds: [...selected] }} onClose={() => setExporting(false)} />
      ) : null}
    </>
  );
}
