/** Background jobs: what is queued, running, done or dead, with the last error and a retry. */
import { ActionIcon, Group, SegmentedControl, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api/client.js';
import { type Job, type JobState, jobStates } from '../api/types.js';
import { DataTable, type DataTableFeatures } from '../components/data-table.js';
import { ErrorAlert, notifyError, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { JobStateBadge } from '../components/status-badges.js';
import { useFormat } from '../i18n/format.js';

const column = createColumnHelper<DataTableFeatures, Job>();
const emptyJobs: Job[] = [];
const retryable: JobState[] = ['dead', 'cancelled'];

export function JobsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const stateParam = search.get('state');
  const state = jobStates.includes(stateParam as JobState) ? (stateParam as JobState) : '';

  const jobs = useQuery({
    queryKey: ['jobs', state],
    queryFn: () => api.jobs(state || undefined),
    refetchInterval: 5000,
  });
  const retry = useMutation({
    mutationFn: (job: Job) => api.retryJob(job.id),
    onSuccess: async () => {
      notifySuccess(t('jobs.retried'));
      await queryClient.invalidateQueries({ queryKey: ['jobs'] });
    },
    onError: notifyError,
  });

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor((job) => String(job.id), {
          id: 'id',
          header: () => t('jobs.id'),
          cell: (info) => (
            <Text size="sm" ff="monospace">
              {info.getValue()}
            </Text>
          ),
        }),
        column.accessor('type', {
          header: () => t('jobs.type'),
          cell: (info) => (
            <Text size="sm" ff="monospace">
              {info.getValue()}
            </Text>
          ),
        }),
        column.accessor('state', {
          header: () => t('jobs.state'),
          cell: (info) => <JobStateBadge state={info.getValue()} />,
        }),
        column.accessor('attempts', {
          header: () => t('jobs.attempts'),
          cell: (info) =>
            `${format.number(info.getValue())} / ${format.number(info.row.original.maxAttempts)}`,
        }),
        column.accessor('runAt', {
          header: () => t('jobs.runAt'),
          cell: (info) => format.dateTime(info.getValue()),
        }),
        column.accessor('updatedAt', {
          header: () => t('jobs.updatedAt'),
          cell: (info) => format.dateTime(info.getValue()),
        }),
        column.accessor('lastError', {
          header: () => t('jobs.lastError'),
          cell: (info) => (
            <Text size="xs" c="red" className="truncate" title={info.getValue() ?? ''}>
              {info.getValue() ?? ''}
            </Text>
          ),
        }),
        column.display({
          id: 'actions',
          header: () => <VisuallyHidden>{t('common.actions')}</VisuallyHidden>,
          cell: (info) =>
            retryable.includes(info.row.original.state) ? (
              <Tooltip label={t('jobs.retry')} withArrow>
                <ActionIcon
                  variant="subtle"
                  aria-label={t('jobs.retryNamed', { id: String(info.row.original.id) })}
                  loading={retry.isPending && retry.variables?.id === info.row.original.id}
                  onClick={() => retry.mutate(info.row.original)}
                >
                  <IconRefresh size={16} aria-hidden />
                </ActionIcon>
              </Tooltip>
            ) : null,
        }),
      ]),
    [t, format, retry],
  );

  const counts = jobs.data?.counts;
  return (
    <>
      <PageHeader title={t('jobs.title')} description={t('jobs.description')} />
      <Group mb="sm">
        <SegmentedControl
          size="xs"
          aria-label={t('jobs.filterByState')}
          value={state || 'all'}
          onChange={(value) => setSearch(value === 'all' ? {} : { state: value })}
          data={[
            { value: 'all', label: t('jobs.all') },
            ...jobStates.map((value) => ({
              value,
              label: counts
                ? `${t(`jobs.states.${value}`)} (${format.number(counts[value] ?? 0)})`
                : t(`jobs.states.${value}`),
            })),
          ]}
        />
      </Group>
      <ErrorAlert error={jobs.error} />
      <DataTable
        data={jobs.data?.items ?? emptyJobs}
        columns={columns}
        caption={t('jobs.title')}
        getRowId={(job) => String(job.id)}
        empty={jobs.isLoading ? t('common.loading') : t('jobs.empty')}
        testId="jobs-table"
      />
    </>
  );
}
