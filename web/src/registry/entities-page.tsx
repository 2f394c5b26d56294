/** The registry list: entities the person may see, filtered by dataset, type and name; filters live in the URL. */
import { Anchor, Badge, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { SCHEMA_NAMES } from '../../../src/registry/ftm-schema.js';
import { DataTable, type DataTableFeatures } from '../components/data-table.js';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { registryApi } from './api.js';
import type { Entity } from './types.js';

const column = createColumnHelper<DataTableFeatures, Entity>();

/** The schema's name in the interface language. */
export function useSchemaLabel() {
  const { t } = useTranslation();
  return (schema: string) =>
    (SCHEMA_NAMES as readonly string[]).includes(schema) ? t(`registry.schemas.${schema}` as never) : schema;
}

export function EntitiesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const schemaLabel = useSchemaLabel();
  const [search, setSearch] = useSearchParams();
  const dataset = search.get('dataset') ?? '';
  const schema = search.get('schema') ?? '';
  const q = search.get('q') ?? '';
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);

  const update = (key: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next, { replace: true });
  };

  const datasets = useQuery({ queryKey: ['registry', 'datasets'], queryFn: registryApi.datasets });
  const entities = useInfiniteQuery({
    queryKey: ['registry', 'entities', dataset, schema, q],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      registryApi.entities({
        dataset: dataset || undefined,
        schema: schema || undefined,
        q: q || undefined,
        cursor: pageParam || undefined,
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const datasetTitles = useMemo(
    () => new Map((datasets.data?.items ?? []).map((d) => [d.id, d.title])),
    [datasets.data],
  );
  const rows = useMemo(() => entities.data?.pages.flatMap((page) => page.items) ?? [], [entities.data]);

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('caption', {
          header: () => t('registry.entities.caption'),
          cell: (info) => (
            <Anchor
              component={Link}
              to={`/registry/entities/${encodeURIComponent(info.row.original.id)}`}
              size="sm"
            >
              {info.getValue()}
            </Anchor>
          ),
        }),
        column.accessor('schema', {
          header: () => t('registry.entities.schema'),
          cell: (info) => (
            <Badge variant="light" radius="sm" color="gray">
              {schemaLabel(info.getValue())}
            </Badge>
          ),
        }),
        column.accessor((entity) => datasetTitles.get(entity.datasetId) ?? entity.datasetId, {
          id: 'dataset',
          header: () => t('registry.entities.dataset'),
          cell: (info) => <Text size="sm">{info.getValue()}</Text>,
        }),
        column.accessor('lastChange', {
          header: () => t('registry.entities.lastChange'),
          cell: (info) => format.dateTime(info.getValue()),
        }),
      ]),
    [t, format, datasetTitles, schemaLabel],
  );

  return (
    <>
      <PageHeader title={t('registry.entities.title')} description={t('registry.entities.description')} />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          update('q', text.trim());
        }}
      >
        <Group mb="sm" align="flex-end" wrap="wrap">
          <TextInput
            label={t('registry.entities.search')}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            leftSection={<IconSearch size={16} aria-hidden />}
            w={280}
            data-testid="registry-search"
          />
          <Select
            label={t('registry.entities.dataset')}
            value={dataset || null}
            onChange={(value) => update('dataset', value ?? '')}
            clearable
            placeholder={t('registry.entities.allDatasets')}
            data={(datasets.data?.items ?? []).map((d) => ({ value: d.id, label: d.title }))}
            w={280}
          />
          <Select
            label={t('registry.entities.schema')}
            value={schema || null}
            onChange={(value) => update('schema', value ?? '')}
            clearable
            placeholder={t('registry.entities.allSchemas')}
            data={SCHEMA_NAMES.map((name) => ({ value: name, label: schemaLabel(name) }))}
            w={220}
          />
          <Button type="submit" variant="default">
            {t('registry.entities.search')}
          </Button>
        </Group>
      </form>
      <ErrorAlert error={entities.error} />
      <Stack gap="sm">
        <DataTable
          data={rows}
          columns={columns}
          caption={t('registry.entities.title')}
          getRowId={(entity) => entity.id}
          manualOrder
          empty={entities.isLoading ? t('common.loading') : t('registry.entities.empty')}
          testId="entities-table"
        />
        {entities.hasNextPage ? (
          <Group>
            <Button
              variant="default"
              onClick={() => entities.fetchNextPage()}
              loading={entities.isFetchingNextPage}
            >
              {t('registry.entities.more')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </>
  );
}
