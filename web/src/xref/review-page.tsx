/**
 * The review queue: one suggested pair at a time, side by side, decided from the keyboard — `x` same,
 * `n` different, `u` unsure, `z` undo, arrows to move — with the next pair fetched ahead, my recent
 * decisions (each undoable), filters in the URL and a blind mode that hides scores.
 */
import {
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Kbd,
  Loader,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorAlert, notifyError } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { registryApi } from '../registry/api.js';
import { xrefApi } from './api.js';
import { CompareSideCard } from './compare-side.js';
import { queueTotal } from './queue-total.js';
import type { Judgement, Pair, QueueFilters } from './types.js';

const JUDGEMENT_KEYS: Record<string, Judgement> = { x: 'positive', n: 'negative', u: 'unsure' };
const JUDGEMENT_COLORS: Record<Judgement, string> = { positive: 'teal', negative: 'red', unsure: 'yellow' };

function useFilters(): [QueueFilters & { blind: boolean }, (next: Record<string, string | null>) => void] {
  const [search, setSearch] = useSearchParams();
  const number = (key: string) => {
    const value = search.get(key);
    return value !== null && value !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined;
  };
  const filters = {
    dataset: search.get('dataset') || undefined,
    minScore: number('minScore'),
    maxScore: number('maxScore'),
    schema: search.get('schema') || undefined,
    undecided: search.get('undecided') !== 'false',
    order: search.get('order') === 'random' ? ('random' as const) : ('score' as const),
    blind: search.get('blind') === '1',
  };
  const update = (next: Record<string, string | null>) => {
    const params = new URLSearchParams(search);
    for (const [key, value] of Object.entries(next)) {
      if (value === null || value === '') params.delete(key);
      else params.set(key, value);
    }
    setSearch(params, { replace: true });
  };
  return [filters, update];
}

/** Typing in a field must not decide a pair. */
function typingIn(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  if (!element) return false;
  return element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName);
}

export function ReviewPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useFilters();
  const [index, setIndex] = useState(0);
  const [decided, setDecided] = useState<Array<{ edge: number; pair: Pair; judgement: Judgement }>>([]);
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());

  const datasets = useQuery({ queryKey: ['datasets'], queryFn: () => registryApi.datasets() });
  const { blind, ...queueFilters } = filters;
  const queue = useQuery({
    queryKey: ['xref', 'queue', queueFilters],
    queryFn: () => xrefApi.queue({ ...queueFilters, limit: 30 }),
  });
  const items = useMemo(
    () => (queue.data?.items ?? []).filter((p) => !hidden.has(p.id)),
    [queue.data, hidden],
  );
  // An undone pair comes back where it stands in the queue (once the queue holds it again) and is shown.
  const [focus, setFocus] = useState<number | null>(null);
  useEffect(() => {
    if (focus === null) return;
    const at = items.findIndex((p) => p.id === focus);
    if (at >= 0) {
      setIndex(at);
      setFocus(null);
    }
  }, [focus, items]);
  const current = items[Math.min(index, Math.max(0, items.length - 1))];
  const next = items[Math.min(index, items.length - 1) + 1];

  const comparison = useQuery({
    queryKey: ['xref', 'pair', current?.id],
    queryFn: () => xrefApi.compare(current!.id),
    enabled: current !== undefined,
    staleTime: 60_000,
  });
  useEffect(() => {
    // The next pair is on screen the moment this one is decided.
    if (next)
      void queryClient.prefetchQuery({
        queryKey: ['xref', 'pair', next.id],
        queryFn: () => xrefApi.compare(next.id),
        staleTime: 60_000,
      });
  }, [next, queryClient]);

  const recent = useQuery({ queryKey: ['xref', 'recent'], queryFn: () => xrefApi.recent(true, 10) });

  const decide = useMutation({
    mutationFn: ({ pair, judgement }: { pair: Pair; judgement: Judgement }) =>
      xrefApi.decide({ left: pair.left.id, right: pair.right.id, judgement }),
    onSuccess: (result, { pair, judgement }) => {
      if (result.edge !== null) setDecided((list) => [...list, { edge: result.edge!, pair, judgement }]);
      setHidden((set) => new Set(set).add(pair.id));
      void queryClient.invalidateQueries({ queryKey: ['xref', 'recent'] });
      if (items.length <= 5) void queryClient.invalidateQueries({ queryKey: ['xref', 'queue'] });
    },
    onError: notifyError,
  });
  const undo = useMutation({
    mutationFn: (edge: number) => xrefApi.undo(edge),
    onSuccess: (_result, edge) => {
      const entry = decided.find((d) => d.edge === edge);
      setDecided((list) => list.filter((d) => d.edge !== edge));
      if (entry) {
        setHidden((set) => {
          const next = new Set(set);
          next.delete(entry.pair.id);
          return next;
        });
        setFocus(entry.pair.id);
      }
      void queryClient.invalidateQueries({ queryKey: ['xref'] });
    },
    onError: notifyError,
  });

  const judge = useCallback(
    (judgement: Judgement) => {
      if (current && !decide.isPending) decide.mutate({ pair: current, judgement });
    },
    [current, decide],
  );
  const undoLast = useCallback(() => {
    const last = decided[decided.length - 1];
    if (last && !undo.isPending) undo.mutate(last.edge);
  }, [decided, undo]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
      const key = event.key.toLowerCase();
      if (JUDGEMENT_KEYS[key]) judge(JUDGEMENT_KEYS[key]!);
      else if (key === 'z') undoLast();
      else if (key === 'arrowright' || key === 'arrowdown')
        setIndex((i) => Math.min(i + 1, Math.max(0, items.length - 1)));
      else if (key === 'arrowleft' || key === 'arrowup') setIndex((i) => Math.max(0, i - 1));
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [judge, undoLast, items.length]);

  const datasetOptions = (datasets.data?.items ?? []).map((d) => ({
    value: d.name,
    label: d.title || d.name,
  }));
  const [first, second] = (filters.dataset ?? '').split(',');
  const setDatasets = (a: string | null | undefined, b: string | null | undefined) =>
    setFilters({ dataset: [a, b].filter(Boolean).join(',') || null });

  return (
    <>
      <PageHeader
        title={t('xref.review.title')}
        description={t('xref.review.description')}
        actions={
          <Group gap="md">
            <Switch
              label={t('xref.review.blind')}
              checked={blind}
              onChange={(e) => setFilters({ blind: e.currentTarget.checked ? '1' : null })}
              data-testid="blind-mode"
            />
            <SegmentedControl
              size="xs"
              aria-label={t('xref.review.order')}
              value={filters.order}
              onChange={(value) => setFilters({ order: value === 'random' ? 'random' : null })}
              data={[
                { value: 'score', label: t('xref.review.byScore') },
                { value: 'random', label: t('xref.review.random') },
              ]}
            />
          </Group>
        }
      />
      <Group mb="md" align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('xref.review.dataset')}
          placeholder={t('xref.review.anyDataset')}
          data={datasetOptions}
          value={first || null}
          onChange={(value) => setDatasets(value, second)}
          clearable
          searchable
          size="xs"
        />
        <Select
          label={t('xref.review.againstDataset')}
          placeholder={t('xref.review.anyDataset')}
          data={datasetOptions.filter((d) => d.value !== first)}
          value={second || null}
          onChange={(value) => setDatasets(first, value)}
          clearable
          searchable
          disabled={!first}
          size="xs"
        />
        <NumberInput
          label={t('xref.review.minScore')}
          min={0}
          max={1}
          step={0.05}
          decimalScale={2}
          value={filters.minScore ?? ''}
          onChange={(value) => setFilters({ minScore: value === '' ? null : String(value) })}
          size="xs"
          w={110}
        />
        <NumberInput
          label={t('xref.review.maxScore')}
          min={0}
          max={1}
          step={0.05}
          decimalScale={2}
          value={filters.maxScore ?? ''}
          onChange={(value) => setFilters({ maxScore: value === '' ? null : String(value) })}
          size="xs"
          w={110}
        />
        <Select
          label={t('xref.review.schema')}
          placeholder={t('xref.review.anySchema')}
          data={['Person', 'Organization', 'PublicBody', 'Company'].map((s) => ({
            value: s,
            label: t(`registry.schemas.${s}` as never),
          }))}
          value={filters.schema ?? null}
          onChange={(value) => setFilters({ schema: value })}
          clearable
          size="xs"
        />
        <Switch
          label={t('xref.review.undecidedOnly')}
          checked={filters.undecided}
          onChange={(e) => setFilters({ undecided: e.currentTarget.checked ? null : 'false' })}
          size="sm"
        />
      </Group>

      {queue.error ? <ErrorAlert error={queue.error} /> : null}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 9 }}>
          {queue.isLoading ? (
            <Loader />
          ) : !current ? (
            <Card withBorder padding="lg" data-testid="queue-empty">
              <Text>{t('xref.review.empty')}</Text>
            </Card>
          ) : (
            <Stack gap="sm">
              <Card withBorder padding="sm" data-testid="pair-header">
                <Group justify="space-between" wrap="wrap">
                  <Group gap="sm">
                    <Text size="sm" c="dimmed">
                      {t('xref.review.position', {
                        at: format.number(Math.min(index, items.length - 1) + 1),
                        of: format.number(queueTotal(queue.data, hidden)),
                      })}
                    </Text>
                    {blind ? null : (
                      <Badge size="lg" variant="light" data-testid="pair-score">
                        {t('xref.review.score', { score: format.number(current.score) })}
                      </Badge>
                    )}
                    {current.judgement ? (
                      <Badge color={JUDGEMENT_COLORS[current.judgement]}>
                        {t(`xref.judgements.${current.judgement}`)}
                      </Badge>
                    ) : null}
                  </Group>
                  <Group gap="xs">
                    <Button
                      color="teal"
                      onClick={() => judge('positive')}
                      loading={decide.isPending}
                      data-testid="decide-positive"
                    >
                      {t('xref.review.same')} <Kbd ml={6}>x</Kbd>
                    </Button>
                    <Button
                      color="red"
                      onClick={() => judge('negative')}
                      disabled={decide.isPending}
                      data-testid="decide-negative"
                    >
                      {t('xref.review.different')} <Kbd ml={6}>n</Kbd>
                    </Button>
                    <Button
                      color="yellow"
                      onClick={() => judge('unsure')}
                      disabled={decide.isPending}
                      data-testid="decide-unsure"
                    >
                      {t('xref.review.unsure')} <Kbd ml={6}>u</Kbd>
                    </Button>
                    <Button
                      variant="default"
                      onClick={undoLast}
                      disabled={decided.length === 0 || undo.isPending}
                      data-testid="undo"
                    >
                      {t('xref.review.undo')} <Kbd ml={6}>z</Kbd>
                    </Button>
                  </Group>
                </Group>
                {!blind && current.explanations.length > 0 ? (
                  <Text size="xs" c="dimmed" mt={4}>
                    {(current.explanations as Array<{ notes?: string[] }>)
                      .flatMap((e) => e.notes ?? [])
                      .join(' · ')}
                  </Text>
                ) : null}
              </Card>
              {comparison.error ? <ErrorAlert error={comparison.error} /> : null}
              {comparison.data && comparison.data.pair.id === current.id ? (
                <Grid gap="sm">
                  <Grid.Col span={{ base: 12, md: 6 }}>
                    <CompareSideCard
                      side={comparison.data.left}
                      other={comparison.data.right}
                      testId="compare-left"
                    />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, md: 6 }}>
                    <CompareSideCard
                      side={comparison.data.right}
                      other={comparison.data.left}
                      testId="compare-right"
                    />
                  </Grid.Col>
                </Grid>
              ) : (
                <Loader size="sm" />
              )}
              <Text size="xs" c="dimmed">
                {t('xref.review.keys')}
              </Text>
            </Stack>
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 3 }}>
          <Stack gap="md">
            <Card withBorder padding="sm">
              <Title order={2} size="h6" mb="xs">
                {t('xref.review.upNext')}
              </Title>
              <Stack gap={2} data-testid="queue-list">
                {items.slice(0, 12).map((pair, i) => (
                  <UnstyledButton
                    key={pair.id}
                    onClick={() => setIndex(i)}
                    aria-current={pair.id === current?.id}
                    style={{ fontWeight: pair.id === current?.id ? 700 : undefined }}
                  >
                    <Text size="xs" truncate>
                      {blind ? '' : `${format.number(Math.round(pair.score * 100) / 100)} · `}
                      {pair.left.caption} ↔ {pair.right.caption}
                    </Text>
                  </UnstyledButton>
                ))}
              </Stack>
            </Card>
            <Card withBorder padding="sm" data-testid="recent-decisions">
              <Title order={2} size="h6" mb="xs">
                {t('xref.review.recent')}
              </Title>
              <Stack gap={4}>
                {(recent.data?.items ?? []).map((d) => (
                  <Group key={d.id} gap={4} justify="space-between" wrap="nowrap">
                    <Stack gap={0} style={{ minWidth: 0 }}>
                      <Text size="xs" truncate>
                        {d.left.caption} ↔ {d.right.caption}
                      </Text>
                      <Group gap={4}>
                        <Badge size="xs" color={JUDGEMENT_COLORS[d.judgement]}>
                          {t(`xref.judgements.${d.judgement}`)}
                        </Badge>
                        <Text size="xs" c="dimmed">
                          {format.dateTime(d.createdAt)}
                        </Text>
                      </Group>
                    </Stack>
                    {d.mine ? (
                      <Button size="compact-xs" variant="subtle" onClick={() => undo.mutate(d.id)}>
                        {t('xref.review.undo')}
                      </Button>
                    ) : null}
                  </Group>
                ))}
                {recent.data?.items.length === 0 ? (
                  <Text size="xs" c="dimmed">
                    {t('xref.review.noRecent')}
                  </Text>
                ) : null}
              </Stack>
            </Card>
            {comparison.data?.clusters.left.startsWith('sv-') ? (
              <Button
                component={Link}
                to={`/xref/clusters/${comparison.data.clusters.left}`}
                variant="subtle"
                size="xs"
              >
                {t('xref.review.openCluster')}
              </Button>
            ) : null}
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
