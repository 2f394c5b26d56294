/**
 * Broadcasts, newest first: state, audience, progress, rate and time left. The list asks the server again
 * while any broadcast is still sending, so it stays current and survives a reload (state lives on the
 * server, not in the page).
 */
import { Anchor, Button, Group, Stack, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { botApi, botKeys } from './api.js';
import { BroadcastStateBadge, ProgressBar, useAudienceText, useDuration, useIsBotAdmin } from './parts.js';
import { pollInterval, remaining } from './progress.js';
import { segmentCatalogue } from './questionnaire-form.js';

export function BroadcastsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const duration = useDuration();
  const isAdmin = useIsBotAdmin();
  const broadcasts = useQuery({
    queryKey: botKeys.broadcasts,
    queryFn: botApi.broadcasts,
    refetchInterval: (query) => {
      const states = query.state.data?.items.map((item) => pollInterval(item)) ?? [];
      const intervals = states.filter((value): value is number => value !== false);
      return intervals.length ? Math.min(...intervals) : false;
    },
  });
  const templates = useQuery({ queryKey: botKeys.templates, queryFn: botApi.templates });
  const questionnaire = useQuery({ queryKey: botKeys.questionnaire, queryFn: botApi.questionnaire });
  const catalogue = useMemo(
    () => (questionnaire.data ? segmentCatalogue(questionnaire.data.definition) : []),
    [questionnaire.data],
  );
  const audienceText = useAudienceText(catalogue);
  const templateName = new Map((templates.data?.items ?? []).map((item) => [item.id, item.name]));
  const items = broadcasts.data?.items ?? [];

  return (
    <>
      <PageHeader
        title={t('bot.broadcasts.title')}
        description={t('bot.broadcasts.description')}
        actions={
          isAdmin ? (
            <Button
              size="xs"
              component={Link}
              to="/bot/broadcasts/new"
              leftSection={<IconPlus size={14} aria-hidden />}
              data-testid="broadcast-new"
            >
              {t('bot.broadcasts.new')}
            </Button>
          ) : null
        }
      />
      <Stack gap="sm" maw={1300}>
        <ErrorAlert error={broadcasts.error} />
        <Table
          fz="sm"
          verticalSpacing={6}
          striped
          data-testid="broadcasts-table"
          aria-label={t('bot.broadcasts.title')}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('bot.broadcasts.created')}</Table.Th>
              <Table.Th>{t('bot.broadcasts.state')}</Table.Th>
              <Table.Th>{t('bot.broadcasts.audience')}</Table.Th>
              <Table.Th>{t('bot.broadcasts.message')}</Table.Th>
              <Table.Th w={220}>{t('bot.broadcasts.progress')}</Table.Th>
              <Table.Th ta="right">{t('bot.broadcasts.rate')}</Table.Th>
              <Table.Th ta="right" className="nowrap">
                {t('bot.broadcasts.eta')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => (
              <Table.Tr key={item.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/bot/broadcasts/${item.id}`} size="sm" fw={500}>
                    {format.dateTime(item.createdAt)}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <BroadcastStateBadge state={item.state} />
                </Table.Td>
                <Table.Td>{audienceText(item.audience)}</Table.Td>
                <Table.Td>
                  {item.templateId ? (templateName.get(item.templateId) ?? '—') : t('bot.broadcasts.ownText')}
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    <ProgressBar progress={item} size="sm" />
                    <Text size="xs" c="dimmed">
                      {t('bot.broadcasts.sentOf', {
                        sent: format.number(item.sent),
                        total: format.number(item.total),
                      })}
                      {item.failed + item.unknown > 0
                        ? ` · ${t('bot.broadcasts.problemsShort', {
                            failed: format.number(item.failed),
                            unknown: format.number(item.unknown),
                          })}`
                        : ''}
                    </Text>
                  </Stack>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" className="nowrap">
                    {t('bot.perSecond', { rate: format.number(item.achievedRate) })}
                  </Text>
                  <Text size="xs" c="dimmed" className="nowrap">
                    {t('bot.broadcasts.rateLimit', { rate: format.number(item.rate) })}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  {item.etaSeconds === null || remaining(item) === 0 ? '—' : duration(item.etaSeconds)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {broadcasts.data && items.length === 0 ? (
          <Group gap="xs">
            <Text size="sm" c="dimmed" data-testid="broadcasts-empty">
              {t('bot.broadcasts.empty')}
            </Text>
          </Group>
        ) : null}
      </Stack>
    </>
  );
}
