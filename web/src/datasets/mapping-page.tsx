/**
 * Mapping a seized or leaked file into a dataset: upload the source (it goes to the evidence vault as
 * an original, with custody), write or load the FtM mapping (checked as you type, problems by line),
 * preview the first 50 entities with the rows that would be rejected, then import as a background job
 * whose progress survives a reload; past runs below, to re-run after editing the mapping.
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  FileButton,
  Group,
  Progress,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconFileImport, IconPlayerPlay, IconUpload } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { currentCsrfToken } from '../api/client.js';
import { ErrorAlert, notifyError } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { evidenceApi } from '../evidence/api.js';
import { tusUpload } from '../evidence/tus-upload.js';
import { useFormat } from '../i18n/format.js';
import { registryApi } from '../registry/api.js';
import { datasetsApi } from './api.js';
import type { MappingProblem, PreviewResponse, Run } from './types.js';

const STARTER = `queries:
  - csv_url: source.csv
    entities:
      person:
        schema: Person
        keys: [id]
        properties:
          name:
            column: name
`;

function RunStatus({ run }: { run: Run }) {
  const { t } = useTranslation();
  const color = { queued: 'gray', staging: 'blue', publishing: 'blue', done: 'green', failed: 'red' }[
    run.status
  ];
  return (
    <Badge color={color} variant="light" radius="sm">
      {t(`datasets.status.${run.status}`)}
    </Badge>
  );
}

export function MappingPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { id = '' } = useParams();
  const client = useQueryClient();
  const [mapping, setMapping] = useState(STARTER);
  const [mappingName, setMappingName] = useState('mapping.yml');
  const [source, setSource] = useState<{ itemId: string; name: string } | null>(null);
  const [uploading, setUploading] = useState<number | null>(null);
  const [problems, setProblems] = useState<MappingProblem[]>([]);
  const [preview, setPreview] = useState<PreviewResponse | null>(null);
  const [activeRun, setActiveRun] = useState<string | null>(null);

  const dataset = useQuery({ queryKey: ['registry', 'datasets'], queryFn: registryApi.datasets });
  const current = dataset.data?.items.find((d) => d.id === id || d.name === id);
  const runs = useQuery({ queryKey: ['datasets', 'runs', id], queryFn: () => datasetsApi.runs(id) });
  const running = runs.data?.items.find((r) => ['queued', 'staging', 'publishing'].includes(r.status));
  const watched = activeRun ?? running?.id ?? null;
  const progress = useQuery({
    queryKey: ['datasets', 'run', watched],
    queryFn: () => datasetsApi.run(watched!),
    enabled: watched !== null,
    refetchInterval: (query) =>
      ['done', 'failed'].includes(query.state.data?.run.status ?? '') ? false : 1000,
  });
  useEffect(() => {
    if (progress.data && ['done', 'failed'].includes(progress.data.run.status))
      void client.invalidateQueries({ queryKey: ['datasets', 'runs', id] });
  }, [progress.data, client, id]);

  // Validate as you type (debounced): problems carry the YAML line.
  useEffect(() => {
    const timer = setTimeout(() => {
      datasetsApi
        .validate(id, mapping)
        .then((result) => setProblems(result.problems))
        .catch(() => undefined);
    }, 400);
    return () => clearTimeout(timer);
  }, [id, mapping]);

  const previewMutation = useMutation({
    mutationFn: () => datasetsApi.preview(id, { mapping, evidenceItemId: source?.itemId }),
    onSuccess: (result) => {
      setPreview(result);
      setProblems(result.problems);
    },
    onError: (error) => notifyError(error),
  });
  const startMutation = useMutation({
    mutationFn: () => datasetsApi.startRun(id, { mapping, mappingName, evidenceItemId: source?.itemId }),
    onSuccess: (result) => {
      setActiveRun(result.run.id);
      void client.invalidateQueries({ queryKey: ['datasets', 'runs', id] });
    },
    onError: (error) => notifyError(error),
  });

  const upload = (file: File | null) => {
    if (!file) return;
    setUploading(0);
    tusUpload({
      endpoint: '/api/evidence/tus',
      file,
      metadata: { source: `${t('datasets.mapping.vaultSource')}: ${current?.name ?? id}` },
      recover: async (uploadId) => {
        try {
          return await evidenceApi.tusResult(uploadId);
        } catch {
          return null;
        }
      },
      headers: (): Record<string, string> => {
        const token = currentCsrfToken();
        return token ? { 'X-CSRF-Token': token } : {};
      },
      onProgress: (sent, total) => setUploading(total > 0 ? Math.round((sent / total) * 100) : 0),
    })
      .then((result) => {
        setUploading(null);
        if (result.itemId) setSource({ itemId: result.itemId, name: file.name });
      })
      .catch((error: unknown) => {
        setUploading(null);
        notifyError(error);
      });
  };

  const loadMapping = async (file: File | null) => {
    if (!file) return;
    setMapping(await file.text());
    setMappingName(file.name);
  };

  const run = progress.data?.run;
  const lines = mapping.split('\n').length;
  return (
    <Stack>
      <PageHeader
        title={t('datasets.mapping.title', { dataset: current?.title ?? id })}
        description={t('datasets.mapping.description')}
      />
      {dataset.error && <ErrorAlert error={dataset.error} />}
      <Card withBorder>
        <Stack gap="xs">
          <Title order={4}>{t('datasets.mapping.source')}</Title>
          <Group>
            <FileButton onChange={upload} accept=".csv,.tsv,.txt,.xlsx">
              {(props) => (
                <Button
                  {...props}
                  leftSection={<IconUpload size={16} />}
                  loading={uploading !== null}
                  variant="light"
                >
                  {t('datasets.mapping.upload')}
                </Button>
              )}
            </FileButton>
            <Text size="sm" c={source ? undefined : 'dimmed'} data-testid="mapping-source">
              {source
                ? t('datasets.mapping.uploaded', { name: source.name })
                : t('datasets.mapping.noSource')}
            </Text>
          </Group>
          {uploading !== null && <Progress value={uploading} aria-label={t('datasets.mapping.upload')} />}
        </Stack>
      </Card>
      <Card withBorder>
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={4}>{t('datasets.mapping.mapping')}</Title>
            <FileButton onChange={loadMapping} accept=".yml,.yaml">
              {(props) => (
                <Button {...props} size="xs" variant="subtle" leftSection={<IconFileImport size={14} />}>
                  {t('datasets.mapping.loadMapping')}
                </Button>
              )}
            </FileButton>
          </Group>
          <Textarea
            label={t('datasets.mapping.editor', { name: mappingName })}
            value={mapping}
            onChange={(event) => setMapping(event.currentTarget.value)}
            autosize
            minRows={Math.min(lines, 12)}
            maxRows={30}
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
            error={
              problems.length > 0 ? t('datasets.mapping.problemCount', { count: problems.length }) : undefined
            }
            data-testid="mapping-editor"
          />
          {problems.length > 0 && (
            <Alert color="red" title={t('datasets.mapping.problems')} data-testid="mapping-problems">
              <Stack gap={2}>
                {problems.map((problem) => (
                  <Text key={`${problem.line}:${problem.message}`} size="sm">
                    {t('datasets.mapping.line', { line: problem.line })}: {problem.message}
                  </Text>
                ))}
              </Stack>
            </Alert>
          )}
          <Group>
            <Button
              variant="light"
              leftSection={<IconPlayerPlay size={16} />}
              onClick={() => previewMutation.mutate()}
              loading={previewMutation.isPending}
              disabled={problems.length > 0}
            >
              {t('datasets.mapping.preview')}
            </Button>
            <Button
              leftSection={<IconFileImport size={16} />}
              onClick={() => startMutation.mutate()}
              loading={startMutation.isPending}
              disabled={problems.length > 0 || Boolean(running)}
            >
              {t('datasets.mapping.import')}
            </Button>
          </Group>
        </Stack>
      </Card>
      {run && (
        <Card withBorder data-testid="mapping-run">
          <Stack gap="xs">
            <Group>
              <RunStatus run={run} />
              <Text size="sm">
                {t('datasets.run.counts', {
                  rows: format.number(run.rowsRead),
                  rejected: format.number(run.rowsRejected),
                  written: format.number(run.entitiesWritten),
                  unchanged: format.number(run.entitiesUnchanged),
                })}
              </Text>
            </Group>
            {run.bytesTotal ? (
              <Progress
                value={Math.min(100, (run.bytesRead / run.bytesTotal) * 100)}
                aria-label={t('datasets.run.progress')}
              />
            ) : null}
            {run.error && <Alert color="red">{run.error}</Alert>}
            {run.rejects.length > 0 && (
              <Table striped withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('datasets.run.row')}</Table.Th>
                    <Table.Th>{t('datasets.run.reason')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {run.rejects.map((reject) => (
                    <Table.Tr key={`${reject.query}:${reject.line}:${reject.code}:${reject.entity ?? ''}`}>
                      <Table.Td>{reject.ref}</Table.Td>
                      <Table.Td>
                        {reject.reason} ({reject.code})
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        </Card>
      )}
      {preview && (
        <Card withBorder data-testid="mapping-preview">
          <Stack gap="xs">
            <Title order={4}>
              {t('datasets.preview.title', { entities: preview.entities.length, rows: preview.rowsRead })}
            </Title>
            <Table striped withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('datasets.preview.schema')}</Table.Th>
                  <Table.Th>{t('datasets.preview.caption')}</Table.Th>
                  <Table.Th>{t('datasets.preview.properties')}</Table.Th>
                  <Table.Th>{t('datasets.preview.from')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.rejects.map((reject) => (
                  <Table.Tr key={`reject:${reject.query}:${reject.line}`} bg="var(--mantine-color-red-light)">
                    <Table.Td>
                      <Badge color="red" variant="light" radius="sm">
                        {t('datasets.preview.rejected')}
                      </Badge>
                    </Table.Td>
                    <Table.Td colSpan={2}>
                      {reject.reason}
                      {reject.column ? ` — ${t('datasets.preview.column', { column: reject.column })}` : ''}
                    </Table.Td>
                    <Table.Td>{reject.ref}</Table.Td>
                  </Table.Tr>
                ))}
                {preview.entities.map((entity) => (
                  <Table.Tr key={entity.id}>
                    <Table.Td>{entity.schema}</Table.Td>
                    <Table.Td>{entity.caption}</Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace">
                        {Object.entries(entity.properties)
                          .map(([key, values]) => `${key}: ${values.join('; ')}`)
                          .join(' · ')}
                      </Text>
                    </Table.Td>
                    <Table.Td>{entity.ref}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        </Card>
      )}
      <Card withBorder>
        <Stack gap="xs">
          <Title order={4}>{t('datasets.runs.title')}</Title>
          {runs.error && <ErrorAlert error={runs.error} />}
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('datasets.runs.started')}</Table.Th>
                <Table.Th>{t('datasets.runs.mapping')}</Table.Th>
                <Table.Th>{t('datasets.runs.source')}</Table.Th>
                <Table.Th>{t('datasets.runs.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(runs.data?.items ?? []).map((item) => (
                <Table.Tr key={item.id} onClick={() => setActiveRun(item.id)} style={{ cursor: 'pointer' }}>
                  <Table.Td>{format.dateTime(item.startedAt)}</Table.Td>
                  <Table.Td>{item.mappingName}</Table.Td>
                  <Table.Td>{item.sources.map((s) => s.name).join(', ')}</Table.Td>
                  <Table.Td>
                    <RunStatus run={item} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      </Card>
    </Stack>
  );
}
