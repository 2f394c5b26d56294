/** Datasets of the registry: provenance, access, counts and the latest import; analysts create new ones. */
import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Stack,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconDownload, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { DataTable, type DataTableFeatures } from '../components/data-table.js';
import { ErrorAlert, notifyError, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { exportUrl, registryApi } from './api.js';
import type { Dataset } from './types.js';

const column = createColumnHelper<DataTableFeatures, Dataset>();
const emptyDatasets: Dataset[] = [];

/** A badge saying whether a dataset is a restricted compartment (a word, never colour alone). */
export function AccessBadge({ restricted }: { restricted: boolean }) {
  const { t } = useTranslation();
  return restricted ? (
    <Tooltip label={t('registry.datasets.restrictedHint')} withArrow>
      <Badge variant="light" color="grape" radius="sm">
        {t('registry.datasets.restricted')}
      </Badge>
    </Tooltip>
  ) : (
    <Badge variant="light" color="gray" radius="sm">
      {t('registry.datasets.open')}
    </Badge>
  );
}

export function DatasetsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { user } = useSession();
  const [creating, setCreating] = useState(false);
  const datasets = useQuery({ queryKey: ['registry', 'datasets'], queryFn: registryApi.datasets });
  const canCreate = user?.role === 'admin' || user?.role === 'analyst';

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('title', {
          header: () => t('registry.datasets.titleLabel'),
          cell: (info) => (
            <Stack gap={0}>
              <Anchor component={Link} to={`/registry/entities?dataset=${info.row.original.id}`} size="sm">
                {info.getValue()}
              </Anchor>
              <Text size="xs" c="dimmed" ff="monospace">
                {info.row.original.name}
              </Text>
            </Stack>
          ),
        }),
        column.accessor('restricted', {
          header: () => t('registry.datasets.access'),
          cell: (info) => <AccessBadge restricted={info.getValue()} />,
        }),
        column.accessor((d) => d.counts?.entities ?? 0, {
          id: 'entities',
          header: () => t('registry.datasets.entities'),
          cell: (info) => format.number(info.getValue()),
        }),
        column.accessor((d) => d.counts?.persons ?? 0, {
          id: 'persons',
          header: () => t('registry.datasets.persons'),
          cell: (info) => format.number(info.getValue()),
        }),
        column.accessor((d) => d.source ?? '', {
          id: 'source',
          header: () => t('registry.datasets.source'),
          cell: (info) => (
            <Stack gap={0}>
              <Text size="sm">{info.getValue()}</Text>
              {info.row.original.sourceDate ? (
                <Text size="xs" c="dimmed">
                  {info.row.original.sourceDate}
                </Text>
              ) : null}
            </Stack>
          ),
        }),
        column.accessor((d) => d.licence ?? '', {
          id: 'licence',
          header: () => t('registry.datasets.licence'),
        }),
        column.accessor((d) => d.lastImport?.startedAt ?? '', {
          id: 'lastImport',
          header: () => t('registry.datasets.lastImport'),
          sortFn: 'datetime',
          cell: (info) => {
            const last = info.row.original.lastImport;
            if (!last) return '—';
            return (
              <Stack gap={0}>
                <Text size="sm">{format.dateTime(last.finishedAt ?? last.startedAt)}</Text>
                <Text size="xs" c="dimmed">
                  {t('registry.datasets.importSummary', {
                    imported: format.number(last.imported),
                    unchanged: format.number(last.unchanged),
                    rejected: format.number(last.rejected),
                  })}
                </Text>
              </Stack>
            );
          },
        }),
        column.display({
          id: 'mapping',
          header: () => t('datasets.datasetsLink'),
          cell: (info) =>
            canCreate ? (
              <Anchor component={Link} to={`/registry/datasets/${info.row.original.id}/mapping`}>
                {t('datasets.datasetsLink')}
              </Anchor>
            ) : null,
        }),
        column.display({
          id: 'export',
          header: () => t('registry.datasets.export'),
          cell: (info) => (
            <Anchor
              href={exportUrl(info.row.original.id)}
              download={`${info.row.original.name}.ftm.jsonl`}
              aria-label={t('registry.datasets.exportNamed', { name: info.row.original.title })}
            >
              <IconDownload size={16} aria-hidden />
            </Anchor>
          ),
        }),
      ]),
    [t, format, canCreate],
  );

  return (
    <>
      <PageHeader
        title={t('registry.datasets.title')}
        description={t('registry.datasets.description')}
        actions={
          canCreate ? (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
              {t('registry.datasets.create')}
            </Button>
          ) : null
        }
      />
      <ErrorAlert error={datasets.error} />
      <DataTable
        data={datasets.data?.items ?? emptyDatasets}
        columns={columns}
        caption={t('registry.datasets.title')}
        getRowId={(dataset) => dataset.id}
        empty={datasets.isLoading ? t('common.loading') : undefined}
        testId="datasets-table"
      />
      {creating ? <CreateDatasetDialog onClose={() => setCreating(false)} /> : null}
    </>
  );
}

function CreateDatasetDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      name: '',
      title: '',
      source: '',
      sourceDate: '',
      licence: '',
      notes: '',
      restricted: false,
    },
    validate: {
      name: (value) =>
        /^[a-z0-9][a-z0-9_-]{0,99}$/.test(value.trim()) ? null : t('registry.datasets.nameRule'),
      title: (value) => (value.trim() ? null : t('common.required')),
    },
  });
  const create = useMutation({
    mutationFn: (values: typeof form.values) =>
      registryApi.createDataset({
        name: values.name.trim(),
        title: values.title.trim(),
        restricted: values.restricted,
        ...(values.source.trim() ? { source: values.source.trim() } : {}),
        ...(values.sourceDate.trim() ? { sourceDate: values.sourceDate.trim() } : {}),
        ...(values.licence.trim() ? { licence: values.licence.trim() } : {}),
        ...(values.notes.trim() ? { notes: values.notes.trim() } : {}),
      }),
    onSuccess: async () => {
      notifySuccess(t('registry.datasets.created'));
      await queryClient.invalidateQueries({ queryKey: ['registry', 'datasets'] });
      onClose();
    },
    onError: notifyError,
  });
  return (
    <Modal opened onClose={onClose} title={t('registry.datasets.create')}>
      <form onSubmit={form.onSubmit((values) => create.mutate(values))}>
        <Stack gap="sm">
          <TextInput
            label={t('registry.datasets.name')}
            description={t('registry.datasets.nameRule')}
            required
            {...form.getInputProps('name')}
          />
          <TextInput label={t('registry.datasets.titleLabel')} required {...form.getInputProps('title')} />
          <TextInput label={t('registry.datasets.source')} {...form.getInputProps('source')} />
          <TextInput
            label={t('registry.datasets.sourceDate')}
            placeholder="2024-05"
            {...form.getInputProps('sourceDate')}
          />
          <TextInput label={t('registry.datasets.licence')} {...form.getInputProps('licence')} />
          <Textarea
            label={t('registry.datasets.notes')}
            autosize
            minRows={2}
            {...form.getInputProps('notes')}
          />
          <Checkbox
            label={t('registry.datasets.restricted')}
            description={t('registry.datasets.restrictedHint')}
            {...form.getInputProps('restricted', { type: 'checkbox' })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
