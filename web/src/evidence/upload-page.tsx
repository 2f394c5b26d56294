/**
 * Upload for analysts: drop many files, each goes up with tus in chunks, with progress, rate and time left
 * per file. An interrupted upload (closed tab, reload, lost network) is remembered in this browser and
 * continues from where the server has it when the same file is chosen again.
 */
import '@mantine/dropzone/styles.css';
import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import {
  IconPlayerPause,
  IconPlayerPlay,
  IconRefresh,
  IconTrash,
  IconUpload,
  IconX,
} from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { currentCsrfToken } from '../api/client.js';
import { describeError } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { evidenceApi } from './api.js';
import { HashValue } from './parts.js';
import {
  forgetStoredUpload,
  type StoredUpload,
  storedUploads,
  type TusResult,
  tusCancel,
  tusUpload,
} from './tus-upload.js';
import { createRateMeter, formatBytes, formatDuration, type RateMeter } from './upload-progress.js';

const concurrency = 2;

type Status = 'queued' | 'uploading' | 'paused' | 'done' | 'failed';

interface Entry {
  key: string;
  file: File;
  status: Status;
  sent: number;
  rate: number | null;
  secondsLeft: number | null;
  resumedFrom: number;
  result: TusResult | null;
  error: { code: string; message: string } | null;
}

export function UploadPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [options, setOptions] = useState({ source: '', note: '', incidentId: '', collectionId: '' });
  const [remembered, setRemembered] = useState<StoredUpload[]>(() => storedUploads());
  const controllers = useRef(new Map<string, AbortController>());
  const meters = useRef(new Map<string, RateMeter>());
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const incidents = useQuery({
    queryKey: ['evidence', 'incidents', 'picker'],
    queryFn: () => evidenceApi.incidents({ limit: 500 }),
  });
  const collections = useQuery({ queryKey: ['evidence', 'collections'], queryFn: evidenceApi.collections });

  const update = useCallback((key: string, change: Partial<Entry>) => {
    setEntries((current) => current.map((entry) => (entry.key === key ? { ...entry, ...change } : entry)));
  }, []);

  const start = useCallback(
    (entry: Entry) => {
      const controller = new AbortController();
      controllers.current.set(entry.key, controller);
      const meter = createRateMeter();
      meters.current.set(entry.key, meter);
      update(entry.key, { status: 'uploading', error: null });
      const { source, note, incidentId, collectionId } = optionsRef.current;
      let lastPaint = 0;
      tusUpload({
        endpoint: '/api/evidence/tus',
        file: entry.file,
        metadata: { source, note, incidentId, collectionId },
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
        signal: controller.signal,
        onProgress: (sent, total) => {
          meter.sample(sent);
          const now = Date.now();
          // Repaint a few times a second at most: thousands of progress events would stall the page.
          if (now - lastPaint < 200 && sent < total) return;
          lastPaint = now;
          update(entry.key, { sent, rate: meter.rate(), secondsLeft: meter.secondsLeft(total) });
        },
      })
        .then((result) => {
          update(entry.key, {
            status: 'done',
            result,
            sent: entry.file.size,
            resumedFrom: result.resumedFrom,
          });
          void queryClient.invalidateQueries({ queryKey: ['evidence', 'items'] });
        })
        .catch((error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError')
            update(entry.key, { status: 'paused' });
          else update(entry.key, { status: 'failed', error: describeError(error, t) });
        })
        .finally(() => {
          controllers.current.delete(entry.key);
          setRemembered(storedUploads());
        });
    },
    [update, queryClient, t],
  );

  // A small pool: the next queued file starts when a slot frees up.
  useEffect(() => {
    const running = entries.filter((entry) => entry.status === 'uploading').length;
    const next = entries
      .filter((entry) => entry.status === 'queued')
      .slice(0, Math.max(0, concurrency - running));
    for (const entry of next) start(entry);
  }, [entries, start]);

  // Leaving the page pauses the uploads; they stay remembered and continue when the files are chosen again.
  useEffect(() => {
    const all = controllers.current;
    return () => {
      for (const controller of all.values()) controller.abort();
    };
  }, []);

  const add = (files: File[]) => {
    setEntries((current) => {
      const known = new Set(current.filter((entry) => entry.status !== 'done').map((entry) => entry.key));
      const fresh = files
        .map((file) => ({ file, key: `${file.name}:${file.size}:${file.lastModified}` }))
        .filter(({ key }) => !known.has(key))
        .map(
          ({ file, key }): Entry => ({
            key: `${key}:${Date.now()}`,
            file,
            status: 'queued',
            sent: 0,
            rate: null,
            secondsLeft: null,
            resumedFrom: 0,
            result: null,
            error: null,
          }),
        );
      return [...current, ...fresh];
    });
  };

  const pause = (entry: Entry) => controllers.current.get(entry.key)?.abort();
  const resume = (entry: Entry) => update(entry.key, { status: 'queued' });
  const cancel = async (entry: Entry) => {
    controllers.current.get(entry.key)?.abort();
    const token = currentCsrfToken();
    await tusCancel(entry.file, token ? { 'X-CSRF-Token': token } : {});
    setEntries((current) => current.filter((other) => other.key !== entry.key));
    setRemembered(storedUploads());
  };

  const pending = remembered.filter(
    (stored) =>
      !entries.some(
        (entry) =>
          entry.status !== 'done' &&
          entry.file.name === stored.name &&
          entry.file.size === stored.size &&
          entry.file.lastModified === stored.lastModified,
      ),
  );

  return (
    <>
      <PageHeader
        title={t('evidence.uploadTitle')}
        description={t('evidence.uploadDescription')}
        actions={
          <Button component={Link} to="/evidence" variant="default">
            {t('evidence.backToList')}
          </Button>
        }
      />
      <Stack gap="sm">
        <Paper withBorder p="sm" radius="sm" component="section" aria-label={t('evidence.uploadOptions')}>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
            <TextInput
              size="xs"
              label={t('evidence.source')}
              description={t('evidence.sourceHint')}
              value={options.source}
              onChange={(event) => setOptions({ ...options, source: event.currentTarget.value })}
              name="source"
            />
            <TextInput
              size="xs"
              label={t('evidence.note')}
              value={options.note}
              onChange={(event) => setOptions({ ...options, note: event.currentTarget.value })}
              name="note"
            />
            <Select
              size="xs"
              label={t('evidence.linkToIncident')}
              placeholder={t('evidence.none')}
              clearable
              searchable
              data={(incidents.data?.items ?? []).map((incident) => ({
                value: incident.id,
                label: incident.title,
              }))}
              value={options.incidentId || null}
              onChange={(value) => setOptions({ ...options, incidentId: value ?? '' })}
            />
            <Select
              size="xs"
              label={t('collections.collection')}
              description={t('collections.uploadHint')}
              placeholder={t('collections.defaultGeneral')}
              clearable
              data={(collections.data?.items ?? []).map((collection) => ({
                value: collection.id,
                label: collection.restricted
                  ? `${collection.name} (${t('collections.restricted')})`
                  : collection.name,
              }))}
              value={options.collectionId || null}
              onChange={(value) => setOptions({ ...options, collectionId: value ?? '' })}
              name="collectionId"
            />
          </SimpleGrid>
        </Paper>

        <Dropzone
          onDrop={add}
          multiple
          className="evidence-dropzone"
          aria-label={t('evidence.dropLabel')}
          data-testid="evidence-dropzone"
          name="files"
        >
          <Group justify="center" gap="md" mih={120} className="dropzone-inner">
            <Dropzone.Accept>
              <IconUpload size={40} aria-hidden />
            </Dropzone.Accept>
            <Dropzone.Reject>
              <IconX size={40} aria-hidden />
            </Dropzone.Reject>
            <Dropzone.Idle>
              <IconUpload size={40} aria-hidden />
            </Dropzone.Idle>
            <Stack gap={2}>
              <Text size="md">{t('evidence.dropTitle')}</Text>
              <Text size="sm" c="dimmed">
                {t('evidence.dropHint')}
              </Text>
            </Stack>
          </Group>
        </Dropzone>

        {pending.length > 0 ? (
          <Paper withBorder p="sm" radius="sm" component="section" aria-label={t('evidence.unfinished')}>
            <Text size="sm" fw={600}>
              {t('evidence.unfinished')}
            </Text>
            <Text size="xs" c="dimmed" mb="xs">
              {t('evidence.unfinishedHint')}
            </Text>
            <Stack gap={4}>
              {pending.map((stored) => (
                <Group key={stored.url} gap="xs" justify="space-between" wrap="nowrap">
                  <Text size="sm" className="truncate">
                    {stored.name} · {formatBytes(stored.offset, format.number)} /{' '}
                    {formatBytes(stored.size, format.number)}
                  </Text>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="gray"
                    leftSection={<IconTrash size={12} aria-hidden />}
                    onClick={() => {
                      forgetStoredUpload(stored.url);
                      setRemembered(storedUploads());
                    }}
                  >
                    {t('evidence.forget')}
                  </Button>
                </Group>
              ))}
            </Stack>
          </Paper>
        ) : null}

        {entries.length > 0 ? (
          <Table.ScrollContainer minWidth={720}>
            <Table fz="sm" verticalSpacing={6} striped data-testid="upload-table">
              <VisuallyHidden component="caption">{t('evidence.uploads')}</VisuallyHidden>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('evidence.fileName')}</Table.Th>
                  <Table.Th scope="col">{t('evidence.progress')}</Table.Th>
                  <Table.Th scope="col">{t('evidence.rate')}</Table.Th>
                  <Table.Th scope="col">{t('evidence.timeLeft')}</Table.Th>
                  <Table.Th scope="col">{t('evidence.result')}</Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((entry) => {
                  const percent = entry.file.size ? (entry.sent / entry.file.size) * 100 : 100;
                  return (
                    <Table.Tr key={entry.key} data-status={entry.status}>
                      <Table.Td>
                        <Text size="sm" className="truncate">
                          {entry.file.name}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {formatBytes(entry.file.size, format.number)}
                        </Text>
                      </Table.Td>
                      <Table.Td miw={200}>
                        <Progress
                          value={percent}
                          size="sm"
                          color={
                            entry.status === 'failed' ? 'red' : entry.status === 'done' ? 'teal' : 'blue'
                          }
                          aria-label={t('evidence.progressOf', { name: entry.file.name })}
                        />
                        <Text size="xs" c="dimmed">
                          {formatBytes(entry.sent, format.number)} /{' '}
                          {formatBytes(entry.file.size, format.number)} ·{' '}
                          {t(`evidence.uploadStatus.${entry.status}`)}
                        </Text>
                      </Table.Td>
                      <Table.Td className="nowrap">
                        {entry.status === 'uploading' && entry.rate
                          ? `${formatBytes(entry.rate, format.number)}/s`
                          : '—'}
                      </Table.Td>
                      <Table.Td className="nowrap">
                        {entry.status === 'uploading' && entry.secondsLeft !== null
                          ? formatDuration(entry.secondsLeft)
                          : '—'}
                      </Table.Td>
                      <Table.Td>
                        {entry.result?.itemId ? (
                          <Stack gap={2}>
                            <Group gap={4}>
                              <Anchor
                                component={Link}
                                to={`/evidence/${entry.result.itemId}`}
                                size="sm"
                                data-testid="uploaded-item-link"
                              >
                                {t('evidence.openItem')}
                              </Anchor>
                              {entry.result.duplicate ? (
                                <Badge size="xs" variant="light" color="yellow">
                                  {t('evidence.receivedAgain')}
                                </Badge>
                              ) : null}
                              {entry.resumedFrom > 0 ? (
                                <Badge size="xs" variant="light" color="blue">
                                  {t('evidence.resumed')}
                                </Badge>
                              ) : null}
                              {entry.result.recovered ? (
                                <Badge
                                  size="xs"
                                  variant="light"
                                  color="teal"
                                  title={t('evidenceTools.recoveredHint')}
                                >
                                  {t('evidenceTools.recovered')}
                                </Badge>
                              ) : null}
                            </Group>
                            {entry.result.sha256 ? <HashValue hash={entry.result.sha256} /> : null}
                          </Stack>
                        ) : entry.error ? (
                          <Text size="xs" c="red" role="alert">
                            {entry.error.message} ({entry.error.code})
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={2} wrap="nowrap">
                          {entry.status === 'uploading' ? (
                            <Tooltip label={t('evidence.pause')}>
                              <ActionIcon
                                variant="subtle"
                                color="gray"
                                onClick={() => pause(entry)}
                                aria-label={t('evidence.pauseNamed', { name: entry.file.name })}
                              >
                                <IconPlayerPause size={16} aria-hidden />
                              </ActionIcon>
                            </Tooltip>
                          ) : null}
                          {entry.status === 'paused' || entry.status === 'failed' ? (
                            <Tooltip label={t('evidence.resume')}>
                              <ActionIcon
                                variant="subtle"
                                color="gray"
                                onClick={() => resume(entry)}
                                aria-label={t('evidence.resumeNamed', { name: entry.file.name })}
                              >
                                {entry.status === 'failed' ? (
                                  <IconRefresh size={16} aria-hidden />
                                ) : (
                                  <IconPlayerPlay size={16} aria-hidden />
                                )}
                              </ActionIcon>
                            </Tooltip>
                          ) : null}
                          {entry.status !== 'done' ? (
                            <Tooltip label={t('evidence.cancelUpload')}>
                              <ActionIcon
                                variant="subtle"
                                color="red"
                                onClick={() => void cancel(entry)}
                                aria-label={t('evidence.cancelNamed', { name: entry.file.name })}
                              >
                                <IconX size={16} aria-hidden />
                              </ActionIcon>
                            </Tooltip>
                          ) : null}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
      </Stack>
    </>
  );
}
