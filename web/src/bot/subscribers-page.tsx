/**
 * The bot's subscribers as numbers: how many, in which language, per segment and per region, with the
 * questionnaire's labels in the interface language; and whether the bot runs here at all. Never a list of
 * people: the server has no call that returns one.
 */
import { Alert, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconInfoCircle, IconLock } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { botApi, botKeys } from './api.js';
import { useLocalized } from './parts.js';
import { type BotStats, type BotStatus, botLanguageValues } from './types.js';

export function SubscribersPage() {
  const { t } = useTranslation();
  const status = useQuery({ queryKey: botKeys.status, queryFn: botApi.status });
  const stats = useQuery({ queryKey: botKeys.stats, queryFn: botApi.stats, refetchInterval: 60_000 });
  return (
    <>
      <PageHeader title={t('bot.overview.title')} description={t('bot.overview.description')} />
      <Stack gap="md" maw={1100}>
        <ErrorAlert error={status.error ?? stats.error} />
        {status.data ? <StatusPanel status={status.data} /> : null}
        {stats.data ? <Counts stats={stats.data} /> : null}
        <Group gap={6}>
          <IconLock size={14} aria-hidden />
          <Text size="xs" c="dimmed">
            {t('bot.overview.countsOnly')}
          </Text>
        </Group>
      </Stack>
    </>
  );
}

function StatusPanel({ status }: { status: BotStatus }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      component="section"
      aria-labelledby="bot-status"
      data-testid="bot-status"
    >
      <Group justify="space-between" align="flex-start" gap="sm">
        <Title order={2} size="h5" id="bot-status">
          {t('bot.status.title')}
        </Title>
        <Badge
          variant="light"
          color={status.configured ? 'teal' : 'orange'}
          radius="sm"
          data-testid="bot-configured"
          data-configured={status.configured}
        >
          {status.configured ? t('bot.status.configured') : t('bot.status.notConfigured')}
        </Badge>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt="xs">
        <Text size="sm">
          {t('bot.status.defaultRate')}:{' '}
          <strong data-testid="bot-default-rate">
            {t('bot.perSecond', { rate: format.number(status.defaultRate) })}
          </strong>
        </Text>
        <Text size="sm">
          {t('bot.status.paidBroadcasts')}:{' '}
          <strong data-testid="bot-paid">
            {status.paidBroadcasts ? t('bot.status.paidOn') : t('bot.status.paidOff')}
          </strong>
        </Text>
      </SimpleGrid>
      {status.configured ? null : (
        <Alert
          mt="sm"
          color="orange"
          variant="light"
          icon={<IconInfoCircle size={16} aria-hidden />}
          data-testid="bot-not-configured"
        >
          {t('bot.status.notConfiguredHint')}
        </Alert>
      )}
    </Paper>
  );
}

function CountTable({
  title,
  rows,
  total,
  testId,
  empty,
}: {
  title: string;
  rows: Array<{ key: string; label: string; count: number }>;
  total: number;
  testId: string;
  empty: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Paper withBorder p="sm" radius="sm" component="section">
      <Title order={2} size="h5" mb="xs">
        {title}
      </Title>
      <Table fz="sm" verticalSpacing={4} striped data-testid={testId} aria-label={title}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('bot.overview.group')}</Table.Th>
            <Table.Th ta="right">{t('bot.overview.count')}</Table.Th>
            <Table.Th ta="right">{t('bot.overview.share')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.key} data-code={row.key}>
              <Table.Td>{row.label}</Table.Td>
              <Table.Td ta="right" ff="monospace">
                {format.number(row.count)}
              </Table.Td>
              <Table.Td ta="right" c="dimmed">
                {total > 0 ? `${format.number(Math.round((row.count / total) * 1000) / 10)} %` : '—'}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {total === 0 ? (
        <Text size="xs" c="dimmed" mt="xs">
          {empty}
        </Text>
      ) : null}
    </Paper>
  );
}

function Counts({ stats }: { stats: BotStats }) {
  const { t } = useTranslation();
  const format = useFormat();
  const localized = useLocalized();
  const segments = stats.segments.filter((segment) => !segment.region);
  const regions = stats.segments.filter((segment) => segment.region);
  const segmentRows = segments.map((segment) => ({
    key: segment.code,
    label: localized(segment.label),
    count: stats.bySegment[segment.code] ?? 0,
  }));
  const regionRows = [
    ...regions.map((segment) => ({
      key: segment.code,
      label: localized(segment.label),
      count: stats.byRegion[segment.code] ?? 0,
    })),
    { key: 'undisclosed', label: t('bot.overview.undisclosed'), count: stats.byRegion.undisclosed ?? 0 },
  ];
  // Segments of older questionnaire versions still counted under their code.
  for (const [code, count] of Object.entries(stats.bySegment))
    if (!segments.some((segment) => segment.code === code))
      segmentRows.push({ key: code, label: code, count });
  const languageRows = botLanguageValues.map((language) => ({
    key: language,
    label: t(`languages.${language}`),
    count: stats.byLanguage[language] ?? 0,
  }));
  const empty = t('bot.overview.noSubscribers');
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <Paper withBorder p="sm" radius="sm">
          <Text size="xs" c="dimmed">
            {t('bot.overview.confirmed')}
          </Text>
          <Text fw={700} size="xl" data-testid="subscribers-confirmed">
            {format.number(stats.confirmed)}
          </Text>
        </Paper>
        <Paper withBorder p="sm" radius="sm">
          <Text size="xs" c="dimmed">
            {t('bot.overview.unfinished')}
          </Text>
          <Text fw={700} size="xl" data-testid="subscribers-unfinished">
            {format.number(Math.max(0, stats.total - stats.confirmed))}
          </Text>
        </Paper>
        <Paper withBorder p="sm" radius="sm">
          <Text size="xs" c="dimmed">
            {t('bot.overview.total')}
          </Text>
          <Text fw={700} size="xl" data-testid="subscribers-total">
            {format.number(stats.total)}
          </Text>
        </Paper>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
        <CountTable
          title={t('bot.overview.bySegment')}
          rows={segmentRows}
          total={stats.confirmed}
          testId="stats-segments"
          empty={empty}
        />
        <CountTable
          title={t('bot.overview.byRegion')}
          rows={regionRows}
          total={stats.confirmed}
          testId="stats-regions"
          empty={empty}
        />
        <CountTable
          title={t('bot.overview.byLanguage')}
          rows={languageRows}
          total={stats.confirmed}
          testId="stats-languages"
          empty={empty}
        />
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t('bot.overview.segmentNote')}
      </Text>
    </>
  );
}
