/**
 * Xref runs: start the cross-referencing of a dataset against others, and watch every run's progress,
 * rate and time left (polled while one runs; a reload shows the same state, the server keeps it).
 */
import { Badge, Button, Card, Group, MultiSelect, Progress, Select, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { ErrorAlert, notifyError, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { registryApi } from '../registry/api.js';
import { xrefApi } from './api.js';
import type { RunView } from './types.js';

const STATE_COLORS: Record<RunView['state'], string> = {
  queued: 'gray',
  running: 'blue',
  done: 'teal',
  failed: 'red',
};

function eta(seconds: number | null, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (seconds === null) return '';
  if (seconds < 90) return t('xref.runs.etaSeconds', { n: Math.max(1, Math.round(seconds)) });
  return t('xref.runs.etaMinutes', { n: Math.round(seconds / 60) });
}

export function RunsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const { user } = useSession();
  const [dataset, setDataset] = useState<string | null>(null);
  const [against, setAgainst] = useState<string[]>([]);
  const datasets = useQuery({ queryKey: ['datasets'], queryFn: () => registryApi.datasets() });
  const runs = useQuery({
    queryKey: ['xref', 'runs'],
    queryFn: () => xrefApi.runs(),
    refetchInterval: (query) =>
      query.state.data?.items.some((r) => r.state === 'running' || r.state === 'queued') ? 1500 : 10_000,
  });
  const start = useMutation({
    mutationFn: () => xrefApi.startRun({ dataset: dataset!, against }),
    onSuccess: async (result) => {
      notifySuccess(result.reused ? t('xref.runs.reused') : t('xref.runs.started'));
      await queryClient.invalidateQueries({ queryKey: ['xref', 'runs'] });
    },
    onError: notifyError,
  });
  const options = (datasets.data?.items ?? []).map((d) => ({ value: d.name, label: d.title || d.name }));
  const canStart = user?.role === 'admin' || user?.role === 'analyst';

  return (
    <>
      <PageHeader
        title={t('xref.runs.title')}
        description={t('xref.runs.description')}
        actions={
          <Button component={Link} to="/xref/review" variant="light">
            {t('xref.runs.review')}
          </Button>
        }
      />
      {canStart ? (
        <Card withBorder padding="md" mb="md">
          <Group align="flex-end" wrap="wrap">
            <Select
              label={t('xref.runs.dataset')}
              data={options}
              value={dataset}
              onChange={setDataset}
              searchable
              w={260}
              data-testid="run-dataset"
            />
            <MultiSelect
              label={t('xref.runs.against')}
              placeholder={against.length === 0 ? t('xref.runs.againstAll') : undefined}
              data={options.filter((o) => o.value !== dataset)}
              value={against}
              onChange={setAgainst}
              searchable
              clearable
              w={360}
              data-testid="run-against"
            />
            <Button
              onClick={() => start.mutate()}
              disabled={!dataset}
              loading={start.isPending}
              data-testid="run-start"
            >
              {t('xref.runs.start')}
            </Button>
          </Group>
        </Card>
      ) : null}
      {runs.error ? <ErrorAlert error={runs.error} /> : null}
      <Table striped highlightOnHover data-testid="runs-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('xref.runs.dataset')}</Table.Th>
            <Table.Th>{t('xref.runs.against')}</Table.Th>
            <Table.Th>{t('xref.runs.state')}</Table.Th>
            <Table.Th>{t('xref.runs.progress')}</Table.Th>
            <Table.Th>{t('xref.runs.suggested')}</Table.Th>
            <Table.Th>{t('xref.runs.autoDecided')}</Table.Th>
            <Table.Th>{t('xref.runs.updated')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(runs.data?.items ?? []).map((run) => {
            const share = run.total > 0 ? (100 * run.done) / run.total : run.state === 'done' ? 100 : 0;
            return (
              <Table.Tr key={run.id} data-testid="run-row">
                <Table.Td>{run.dataset.name}</Table.Td>
                <Table.Td>
                  {run.againstAll ? t('xref.runs.againstAll') : run.against.map((d) => d.name).join(', ')}
                </Table.Td>
                <Table.Td>
                  <Badge color={STATE_COLORS[run.state]} variant="light" data-testid="run-state">
                    {t(`xref.runs.states.${run.state}`)}
                  </Badge>
                  {run.incremental ? (
                    <Text size="xs" c="dimmed">
                      {t('xref.runs.incremental')}
                    </Text>
                  ) : null}
                  {run.error ? (
                    <Text size="xs" c="red">
                      {run.error}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td miw={200}>
                  <Stack gap={2}>
                    <Progress
                      value={share}
                      animated={run.state === 'running'}
                      aria-label={t('xref.runs.progress')}
                    />
                    <Text size="xs" c="dimmed">
                      {`${format.number(run.done)} / ${format.number(run.total)}`}
                      {run.rate !== null
                        ? ` · ${t('xref.runs.rate', { rate: format.number(run.rate) })}`
                        : ''}
                      {run.etaSeconds !== null ? ` · ${eta(run.etaSeconds, t as never)}` : ''}
                    </Text>
                  </Stack>
                </Table.Td>
                <Table.Td>{format.number(run.suggested)}</Table.Td>
                <Table.Td>{format.number(run.autoDecided)}</Table.Td>
                <Table.Td>{format.dateTime(run.updatedAt)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {runs.data?.items.length === 0 ? (
        <Text c="dimmed" mt="md">
          {t('xref.runs.empty')}
        </Text>
      ) : null}
    </>
  );
}
