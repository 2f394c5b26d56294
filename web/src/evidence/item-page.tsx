/**
 * One evidence item: preview (blurred until clicked), metadata per tool, chain of custody with its
 * verification, possible duplicates, classification and incident links. Opening the page is a custody
 * event ("viewed"), so the item is read once; status checks and the custody log use calls that are not.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Paper,
  ScrollArea,
  Select,
  SimpleGrid,
  Spoiler,
  Stack,
  Table,
  Tabs,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import {
  IconDownload,
  IconFileZip,
  IconLink,
  IconLock,
  IconMapPin,
  IconShieldCheck,
  IconShieldX,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { evidenceApi, itemFiles } from './api.js';
import { ExportDialog } from './export-dialog.js';
import {
  CodeBadges,
  HashValue,
  ProcessingBadge,
  SensitiveImage,
  TaxonomyPicker,
  useAxisOptions,
  VerificationBadge,
} from './parts.js';
import { type CustodyEvent, type ItemDetail, type MetadataRecord, verificationValues } from './types.js';
import { formatBytes, formatDuration } from './upload-progress.js';

const tabs = ['preview', 'metadata', 'custody', 'duplicates', 'classification', 'incidents'] as const;
type Tab = (typeof tabs)[number];

export function ItemPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { itemId = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const tab: Tab = (tabs as readonly string[]).includes(search.get('tab') ?? '')
    ? (search.get('tab') as Tab)
    : 'preview';
  const [exporting, setExporting] = useState(false);
  const item = useQuery({
    queryKey: ['evidence', 'item', itemId],
    queryFn: () => evidenceApi.item(itemId),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  useProcessingWatch(item.data, () => void item.refetch());

  if (item.error) {
    return (
      <>
        <PageHeader title={t('evidence.itemTitle')} />
        <ErrorAlert error={item.error} />
      </>
    );
  }
  const data = item.data;
  if (!data) return <PageHeader title={t('common.loading')} />;

  return (
    <>
      <PageHeader
        title={data.fileName ?? t('evidence.unnamed')}
        description={`${data.mediaType} · ${formatBytes(data.size, format.number)} · ${t(
          `evidence.channels.${data.channel}`,
        )} · ${format.dateTime(data.receivedAt)}`}
        actions={
          <>
            <Button
              variant="default"
              component="a"
              href={itemFiles.original(data.id)}
              download
              leftSection={<IconDownload size={16} aria-hidden />}
              title={t('evidence.downloadHint')}
            >
              {t('evidence.downloadOriginal')}
            </Button>
            <Button
              variant="default"
              leftSection={<IconFileZip size={16} aria-hidden />}
              onClick={() => setExporting(true)}
            >
              {t('evidence.export.button')}
            </Button>
          </>
        }
      />
      <Stack gap="sm">
        <Group gap="md" wrap="wrap">
          <Group gap={6}>
            <Text size="sm" c="dimmed">
              SHA-256
            </Text>
            <HashValue hash={data.sha256} length={16} />
          </Group>
          <VerificationBadge state={data.verificationState} />
          <ProcessingBadge state={data.processingState} />
          <CodeBadges codes={data.codes} />
          <CollectionControl item={data} onMoved={() => void item.refetch()} />
        </Group>
        {data.processingState === 'pending' ? (
          <Alert color="yellow" variant="light" data-testid="processing-pending">
            {t('evidence.processingPending')}
          </Alert>
        ) : null}
        <Tabs
          value={tab}
          onChange={(value) => {
            const next = new URLSearchParams(search);
            if (value && value !== 'preview') next.set('tab', value);
            else next.delete('tab');
            setSearch(next, { replace: true });
          }}
          keepMounted={false}
        >
          <Tabs.List>
            {tabs.map((name) => (
              <Tabs.Tab key={name} value={name} data-testid={`tab-${name}`}>
                {t(`evidence.tabs.${name}`)}
                {name === 'duplicates' && data.possibleDuplicates.length > 0
                  ? ` (${data.possibleDuplicates.length})`
                  : ''}
                {name === 'incidents' && data.incidents.length > 0 ? ` (${data.incidents.length})` : ''}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="preview" pt="sm">
            <PreviewTab item={data} />
          </Tabs.Panel>
          <Tabs.Panel value="metadata" pt="sm">
            <MetadataTab item={data} />
          </Tabs.Panel>
          <Tabs.Panel value="custody" pt="sm">
            <CustodyTab itemId={data.id} initial={data.custody} />
          </Tabs.Panel>
          <Tabs.Panel value="duplicates" pt="sm">
            <DuplicatesTab item={data} />
          </Tabs.Panel>
          <Tabs.Panel value="classification" pt="sm">
            <ClassificationTab item={data} />
          </Tabs.Panel>
          <Tabs.Panel value="incidents" pt="sm">
            <IncidentsTab item={data} />
          </Tabs.Panel>
        </Tabs>
      </Stack>
      {exporting ? (
        <ExportDialog target={{ itemIds: [data.id] }} onClose={() => setExporting(false)} />
      ) : null}
    </>
  );
}

/**
 * The item's collection (compartment); administrators can move it to another one, which the chain of
 * custody records as "transferred".
 */
function CollectionControl({ item, onMoved }: { item: ItemDetail; onMoved: () => void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const isAdmin = user?.role === 'admin';
  const [target, setTarget] = useState<string | null>(null);
  const collections = useQuery({
    queryKey: ['evidence', 'collections'],
    queryFn: evidenceApi.collections,
    enabled: isAdmin,
  });
  const move = useMutation({
    mutationFn: () => evidenceApi.moveItem(item.id, target ?? ''),
    onSuccess: () => {
      notifySuccess(t('collections.moved'));
      setTarget(null);
      onMoved();
    },
  });
  return (
    <Group gap={6} data-testid="item-collection">
      <Badge variant="light" color="grape" leftSection={<IconLock size={10} aria-hidden />}>
        {item.collectionName}
      </Badge>
      {isAdmin ? (
        <>
          <Select
            size="xs"
            aria-label={t('collections.move')}
            placeholder={t('collections.move')}
            data={(collections.data?.items ?? [])
              .filter((c) => c.id !== item.collectionId)
              .map((c) => ({ value: c.id, label: c.name }))}
            value={target}
            onChange={setTarget}
            title={t('collections.moveHint')}
          />
          {target ? (
            <Button size="xs" variant="default" loading={move.isPending} onClick={() => move.mutate()}>
              {t('collections.moveButton')}
            </Button>
          ) : null}
          <ErrorAlert error={move.error} />
        </>
      ) : null}
    </Group>
  );
}

/**
 * While the item is being processed, polls its status (which records no custody event) every two
 * seconds; when processing ends, the item is read once more to show the metadata.
 */
function useProcessingWatch(item: ItemDetail | undefined, reload: () => void) {
  const pending = item?.processingState === 'pending';
  const status = useQuery({
    queryKey: ['evidence', 'item-status', item?.id],
    queryFn: () => evidenceApi.status(item?.id ?? ''),
    enabled: pending && Boolean(item?.id),
    refetchInterval: 2_000,
  });
  const current = status.data?.processingState;
  useEffect(() => {
    if (pending && current && current !== 'pending') reload();
  }, [pending, current, reload]);
}

function PreviewTab({ item }: { item: ItemDetail }) {
  const { t } = useTranslation();
  const stripped = item.derivatives.find((d) => d.purpose === 'stripped');
  const [playing, setPlaying] = useState(false);
  if (!item.hasThumbnail && !stripped) {
    return (
      <Text size="sm" c="dimmed">
        {item.processingState === 'pending' ? t('evidence.previewLater') : t('evidence.noPreview')}
      </Text>
    );
  }
  const imageSource =
    stripped?.mediaType.startsWith('image/') && stripped.mediaType !== 'image/heic'
      ? itemFiles.stripped(item.id)
      : itemFiles.thumbnail(item.id);
  return (
    <Stack gap="xs" align="flex-start">
      <Text size="xs" c="dimmed">
        {t('evidence.previewNote')}
      </Text>
      {item.kind === 'video' && playing && stripped ? (
        <span className="sensitive preview-large">
          {/* biome-ignore lint/a11y/useMediaCaption: evidence footage has no captions to offer. */}
          <video src={itemFiles.stripped(item.id)} controls preload="metadata" />
        </span>
      ) : (
        <SensitiveImage
          src={imageSource}
          alt={t('evidence.previewOf', { name: item.fileName ?? '' })}
          className="preview-large"
          testId="item-preview"
        />
      )}
      {item.kind === 'video' && stripped && !playing ? (
        <Button size="xs" variant="default" onClick={() => setPlaying(true)}>
          {t('evidence.playCopy')}
        </Button>
      ) : null}
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w={200} fw={500} c="dimmed">
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

/** Coordinates as numbers, with a geo: link (opens a map app on the device) and no request to anyone. */
export function Coordinates({ latitude, longitude }: { latitude: number; longitude: number }) {
  const { t } = useTranslation();
  const text = `${latitude.toFixed(6)}, ${longitude.toFixed(6)}`;
  return (
    <Group gap="xs" wrap="wrap">
      <Code data-testid="gps">{text}</Code>
      <Anchor href={`geo:${latitude},${longitude}`} size="sm">
        <Group gap={2} wrap="nowrap">
          <IconMapPin size={14} aria-hidden />
          {t('evidence.openInMapApp')}
        </Group>
      </Anchor>
      <Anchor
        href={`https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=16/${latitude}/${longitude}`}
        target="_blank"
        rel="noreferrer noopener"
        size="sm"
        title={t('evidence.externalSiteHint')}
      >
        {t('evidence.openStreetMap')}
      </Anchor>
    </Group>
  );
}

function SummaryRows({ summary }: { summary: MetadataRecord['summary'] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const rows: ReactNode[] = [];
  if (summary.captureTime)
    rows.push(
      <Field key="capture" label={t('evidence.meta.captureTime')}>
        <Code>{summary.captureTime}</Code>
      </Field>,
    );
  if (summary.latitude !== undefined && summary.longitude !== undefined)
    rows.push(
      <Field key="gps" label={t('evidence.meta.gps')}>
        <Coordinates latitude={summary.latitude} longitude={summary.longitude} />
      </Field>,
    );
  if (summary.altitude !== undefined)
    rows.push(
      <Field key="alt" label={t('evidence.meta.altitude')}>
        {format.number(summary.altitude)} m
      </Field>,
    );
  if (summary.make || summary.model)
    rows.push(
      <Field key="camera" label={t('evidence.meta.camera')}>
        {[summary.make, summary.model].filter(Boolean).join(' ')}
      </Field>,
    );
  if (summary.serial)
    rows.push(
      <Field key="serial" label={t('evidence.meta.serial')}>
        <Code>{summary.serial}</Code>
      </Field>,
    );
  if (summary.width && summary.height)
    rows.push(
      <Field key="size" label={t('evidence.meta.dimensions')}>
        {summary.width} × {summary.height}
      </Field>,
    );
  if (summary.durationSeconds !== undefined)
    rows.push(
      <Field key="duration" label={t('evidence.meta.duration')}>
        {formatDuration(summary.durationSeconds)}
      </Field>,
    );
  if (summary.videoCodec || summary.audioCodec)
    rows.push(
      <Field key="codecs" label={t('evidence.meta.codecs')}>
        {[summary.videoCodec, summary.audioCodec].filter(Boolean).join(' / ')}
      </Field>,
    );
  return <>{rows}</>;
}

function MetadataTab({ item }: { item: ItemDetail }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Stack gap="md">
      <Paper withBorder p="sm" radius="sm">
        <Title order={2} size="h5" mb="xs">
          {t('evidence.meta.summary')}
        </Title>
        <Table fz="sm" verticalSpacing={4} data-testid="metadata-summary">
          <Table.Tbody>
            <Field label={t('evidence.meta.captureTime')}>
              {item.captureTime ? <Code data-testid="capture-time">{item.captureTime}</Code> : '—'}
            </Field>
            <Field label={t('evidence.meta.gps')}>
              {item.latitude !== null && item.longitude !== null ? (
                <Coordinates latitude={item.latitude} longitude={item.longitude} />
              ) : (
                '—'
              )}
            </Field>
            <Field label={t('evidence.meta.mediaType')}>
              <Code>{item.mediaType}</Code>
            </Field>
            {item.sourceLabel ? <Field label={t('evidence.source')}>{item.sourceLabel}</Field> : null}
            {item.note ? <Field label={t('evidence.note')}>{item.note}</Field> : null}
            {item.acquisition ? (
              <Field label={t('evidence.meta.acquisition')}>
                <Code block>{JSON.stringify(item.acquisition, null, 2)}</Code>
              </Field>
            ) : null}
          </Table.Tbody>
        </Table>
      </Paper>
      {item.metadata.length === 0 ? (
        <Text size="sm" c="dimmed">
          {item.processingState === 'pending' ? t('evidence.previewLater') : t('evidence.meta.none')}
        </Text>
      ) : null}
      {item.metadata.map((record) => (
        <Paper key={record.id} withBorder p="sm" radius="sm" data-testid="metadata-record">
          <Group justify="space-between" mb="xs">
            <Title order={2} size="h5">
              {record.tool}{' '}
              <Text span size="sm" c="dimmed">
                {record.toolVersion}
              </Text>
            </Title>
            <Text size="xs" c="dimmed">
              {format.dateTime(record.createdAt)}
            </Text>
          </Group>
          <Table fz="sm" verticalSpacing={4}>
            <Table.Tbody>
              <SummaryRows summary={record.summary} />
            </Table.Tbody>
          </Table>
          {record.warnings.length > 0 ? (
            <Alert color="yellow" variant="light" mt="xs">
              {record.warnings.join('; ')}
            </Alert>
          ) : null}
          <Spoiler
            maxHeight={0}
            showLabel={t('evidence.meta.showAll')}
            hideLabel={t('evidence.meta.hideAll')}
            mt="xs"
          >
            <ScrollArea.Autosize mah={360}>
              <Code block>{JSON.stringify(record.data, null, 2)}</Code>
            </ScrollArea.Autosize>
          </Spoiler>
        </Paper>
      ))}
      {item.processing.length > 0 ? (
        <Paper withBorder p="sm" radius="sm">
          <Title order={2} size="h5" mb="xs">
            {t('evidence.meta.processing')}
          </Title>
          <Table fz="sm" verticalSpacing={4} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('evidence.meta.step')}</Table.Th>
                <Table.Th>{t('evidence.meta.outcome')}</Table.Th>
                <Table.Th>{t('evidence.meta.tool')}</Table.Th>
                <Table.Th>{t('evidence.meta.message')}</Table.Th>
                <Table.Th>{t('evidence.time')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {item.processing.map((event) => (
                <Table.Tr key={`${event.step}-${event.at}-${event.outcome}-${event.code ?? ''}`}>
                  <Table.Td>{event.step}</Table.Td>
                  <Table.Td>
                    <Badge
                      size="sm"
                      variant="light"
                      color={event.outcome === 'ok' ? 'teal' : event.outcome === 'failed' ? 'red' : 'yellow'}
                    >
                      {t(`evidence.outcomes.${event.outcome}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{[event.tool, event.toolVersion].filter(Boolean).join(' ')}</Table.Td>
                  <Table.Td>{[event.code, event.message].filter(Boolean).join(': ')}</Table.Td>
                  <Table.Td className="nowrap">{format.dateTime(event.at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ) : null}
      {item.derivatives.length > 0 ? (
        <Paper withBorder p="sm" radius="sm">
          <Title order={2} size="h5" mb={4}>
            {t('evidence.meta.workingCopies')}
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            {t('evidence.meta.workingCopiesHint')}
          </Text>
          <Table fz="sm" verticalSpacing={4} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('evidence.meta.purpose')}</Table.Th>
                <Table.Th>SHA-256</Table.Th>
                <Table.Th>{t('evidence.meta.parent')}</Table.Th>
                <Table.Th>{t('evidence.meta.tool')}</Table.Th>
                <Table.Th>{t('evidence.meta.dimensions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {item.derivatives.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{t(`evidence.meta.purposes.${d.purpose}`)}</Table.Td>
                  <Table.Td>
                    <HashValue hash={d.sha256} />
                  </Table.Td>
                  <Table.Td>
                    <HashValue hash={d.parentSha256} />
                  </Table.Td>
                  <Table.Td>
                    {d.tool} {d.toolVersion}
                  </Table.Td>
                  <Table.Td>{d.width && d.height ? `${d.width} × ${d.height}` : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ) : null}
    </Stack>
  );
}

function CustodyTab({ itemId, initial }: { itemId: string; initial: CustodyEvent[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const custody = useQuery({
    queryKey: ['evidence', 'custody', itemId],
    queryFn: () => evidenceApi.custody(itemId),
    initialData: { events: initial },
    initialDataUpdatedAt: 0,
  });
  const verify = useMutation({ mutationFn: () => evidenceApi.verifyItem(itemId) });
  const events = custody.data?.events ?? [];
  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Button
          size="xs"
          variant="default"
          leftSection={<IconShieldCheck size={14} aria-hidden />}
          loading={verify.isPending}
          onClick={() => verify.mutate()}
          data-testid="verify-item"
        >
          {t('evidence.custody.verify')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('evidence.custody.verifyHint')}
        </Text>
      </Group>
      <ErrorAlert error={verify.error} />
      {verify.data ? (
        verify.data.ok ? (
          <Alert
            color="teal"
            variant="light"
            icon={<IconShieldCheck size={18} aria-hidden />}
            data-testid="verify-result"
          >
            {t('evidence.custody.verifyOk')}
          </Alert>
        ) : (
          <Alert
            color="red"
            variant="filled"
            icon={<IconShieldX size={18} aria-hidden />}
            role="alert"
            data-testid="verify-result"
          >
            <Text size="sm">{t('evidence.custody.verifyBroken')}</Text>
            {verify.data.problems.map((problem) => (
              <Text size="xs" key={`${problem.itemId}-${problem.problem}`}>
                {problem.problem}
              </Text>
            ))}
          </Alert>
        )
      ) : null}
      <ErrorAlert error={custody.error} />
      <Timeline bulletSize={18} lineWidth={2} active={events.length} data-testid="custody-timeline">
        {events.map((event) => (
          <Timeline.Item
            key={event.seq}
            title={
              <Group gap="xs">
                <Text size="sm" fw={600}>
                  {t(`evidence.custody.actions.${event.action}`, { defaultValue: event.action })}
                </Text>
                <Code>{event.action}</Code>
              </Group>
            }
          >
            <Text size="xs" c="dimmed">
              #{event.seq} · {format.dateTime(event.at)} ·{' '}
              {event.actor.label ?? `${event.actor.type}${event.actor.id ? `:${event.actor.id}` : ''}`}
            </Text>
            {Object.keys(event.details).length > 0 ? (
              <Text size="xs" ff="monospace" className="custody-details">
                {JSON.stringify(event.details)}
              </Text>
            ) : null}
            <Group gap={4} mt={2}>
              <Text size="xs" c="dimmed">
                {t('evidence.custody.chain')}
              </Text>
              <Code title={event.prevHash}>{event.prevHash.slice(0, 8)}</Code>
              <Text size="xs" c="dimmed">
                →
              </Text>
              <Code title={event.hash}>{event.hash.slice(0, 8)}</Code>
            </Group>
          </Timeline.Item>
        ))}
      </Timeline>
    </Stack>
  );
}

function DuplicatesTab({ item }: { item: ItemDetail }) {
  const { t } = useTranslation();
  if (item.possibleDuplicates.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('evidence.duplicates.none')}
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      <Text size="xs" c="dimmed">
        {t('evidence.duplicates.hint')}
      </Text>
      <Table fz="sm" verticalSpacing={6} striped data-testid="duplicates-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('evidence.preview')}</Table.Th>
            <Table.Th>{t('evidence.duplicates.item')}</Table.Th>
            <Table.Th>{t('evidence.duplicates.distance')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...item.possibleDuplicates]
            .sort((a, b) => a.distance - b.distance)
            .map((duplicate) => (
              <Table.Tr key={duplicate.itemId}>
                <Table.Td>
                  {duplicate.hasThumbnail ? (
                    <SensitiveImage
                      src={itemFiles.thumbnail(duplicate.itemId)}
                      alt={t('evidence.duplicates.thumbnail')}
                      className="thumb-cell"
                    />
                  ) : (
                    <Text size="xs" c="dimmed" className="thumb-cell">
                      {t('evidence.noPreview')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/evidence/${duplicate.itemId}`} size="sm">
                    <Group gap={4} wrap="nowrap">
                      <IconLink size={14} aria-hidden />
                      {duplicate.fileName ?? t('evidence.unnamed')}
                    </Group>
                  </Anchor>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {duplicate.itemId.slice(0, 8)}
                  </Text>
                </Table.Td>
                <Table.Td ff="monospace">{duplicate.distance}</Table.Td>
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function ClassificationTab({ item }: { item: ItemDetail }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [codes, setCodes] = useState<string[]>(item.codes);
  const [state, setState] = useState<string>(item.verificationState);
  const added = codes.filter((code) => !item.codes.includes(code));
  const removed = item.codes.filter((code) => !codes.includes(code));
  const save = useMutation({
    mutationFn: async () => {
      let next = item.codes;
      if (added.length || removed.length)
        next = (await evidenceApi.classifyItem(item.id, added, removed)).codes;
      if (state !== item.verificationState) await evidenceApi.setVerification(item.id, state);
      return next;
    },
    onSuccess: (next) => {
      // The item is not read again (that would be another "viewed" event): the answer updates it here.
      queryClient.setQueryData<ItemDetail>(['evidence', 'item', item.id], (old) =>
        old ? { ...old, codes: next, verificationState: state as ItemDetail['verificationState'] } : old,
      );
      setCodes(next);
      void queryClient.invalidateQueries({ queryKey: ['evidence', 'custody', item.id] });
      void queryClient.invalidateQueries({ queryKey: ['evidence', 'items'] });
      notifySuccess(t('evidence.classified'));
    },
  });
  const changed = added.length > 0 || removed.length > 0 || state !== item.verificationState;
  return (
    <Stack gap="sm">
      <Text size="xs" c="dimmed">
        {t('evidence.classifyHint')}
      </Text>
      <ErrorAlert error={save.error} />
      <TaxonomyPicker value={codes} onChange={setCodes} />
      <Select
        label={t('evidence.verificationLabel')}
        data={verificationValues.map((value) => ({ value, label: t(`evidence.verification.${value}`) }))}
        value={state}
        onChange={(value) => value && setState(value)}
        allowDeselect={false}
        maw={320}
      />
      <Group gap="xs">
        <Button
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={!changed}
          data-testid="classify-save"
        >
          {t('common.save')}
        </Button>
        <Button variant="default" disabled={!changed} onClick={() => setCodes(item.codes)}>
          {t('evidence.reset')}
        </Button>
      </Group>
    </Stack>
  );
}

function IncidentsTab({ item }: { item: ItemDetail }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const roleOptions = useAxisOptions()('role');
  const incidents = useQuery({
    queryKey: ['evidence', 'incidents', 'picker'],
    queryFn: () => evidenceApi.incidents({ limit: 500 }),
  });
  const [incidentId, setIncidentId] = useState<string | null>(null);
  const [role, setRole] = useState<string | null>(null);
  const link = useMutation({
    mutationFn: () => evidenceApi.linkItem(incidentId ?? '', item.id, role ?? undefined),
    onSuccess: (incident) => {
      queryClient.setQueryData<ItemDetail>(['evidence', 'item', item.id], (old) =>
        old
          ? {
              ...old,
              incidents: [
                ...old.incidents.filter((entry) => entry.incidentId !== incident.id),
                { incidentId: incident.id, title: incident.title, role },
              ],
            }
          : old,
      );
      void queryClient.invalidateQueries({ queryKey: ['evidence', 'custody', item.id] });
      void queryClient.invalidateQueries({ queryKey: ['evidence', 'incident', incident.id] });
      void queryClient.invalidateQueries({ queryKey: ['evidence', 'incidents'] });
      setIncidentId(null);
      notifySuccess(t('evidence.linked', { title: incident.title }));
    },
  });
  const roleLabel = new Map(roleOptions.map((option) => [option.value, option.label]));
  return (
    <Stack gap="sm">
      {item.incidents.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('evidence.noIncidents')}
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={6} striped data-testid="item-incidents">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('evidence.incident')}</Table.Th>
              <Table.Th>{t('evidence.role')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {item.incidents.map((entry) => (
              <Table.Tr key={entry.incidentId}>
                <Table.Td>
                  <Anchor component={Link} to={`/incidents/${entry.incidentId}`} size="sm">
                    {entry.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>{entry.role ? (roleLabel.get(entry.role) ?? entry.role) : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Paper withBorder p="sm" radius="sm" component="section" aria-label={t('evidence.linkToIncident')}>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          <Select
            size="xs"
            label={t('evidence.incident')}
            searchable
            data={(incidents.data?.items ?? [])
              .filter((incident) => !item.incidents.some((entry) => entry.incidentId === incident.id))
              .map((incident) => ({ value: incident.id, label: incident.title }))}
            value={incidentId}
            onChange={setIncidentId}
            nothingFoundMessage={t('evidence.noIncidentsToLink')}
          />
          <Select
            size="xs"
            label={t('evidence.role')}
            clearable
            data={roleOptions}
            value={role}
            onChange={setRole}
          />
          <Group align="flex-end">
            <Button size="xs" disabled={!incidentId} loading={link.isPending} onClick={() => link.mutate()}>
              {t('evidence.link')}
            </Button>
            <Button size="xs" variant="subtle" component={Link} to="/incidents/new">
              {t('incidents.create')}
            </Button>
          </Group>
        </SimpleGrid>
        <ErrorAlert error={link.error} />
      </Paper>
    </Stack>
  );
}
