/**
 * One broadcast: its audience and message, progress (sent, failed, unknown, pending), the rate achieved and
 * the time left, and for administrators pause, resume and cancel (cancel asks first). The page polls while
 * the broadcast runs; everything shown comes from the server, so a reload loses nothing.
 */
import { Alert, Anchor, Button, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/client.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { botApi, botKeys } from './api.js';
import { ProgressBlock, useAudienceText, useIsBotAdmin } from './parts.js';
import { pollInterval } from './progress.js';
import { segmentCatalogue } from './questionnaire-form.js';
import type { BroadcastProgress } from './types.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function BroadcastPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const isAdmin = useIsBotAdmin();
  const queryClient = useQueryClient();
  const { broadcastId = '' } = useParams();
  const [cancelling, setCancelling] = useState(false);
  const broadcast = useQuery({
    queryKey: botKeys.broadcast(broadcastId),
    // A malformed id (e.g. /bot/broadcasts/new for a non-administrator) is "not found", not a validation error.
    queryFn: () =>
      uuidPattern.test(broadcastId)
        ? botApi.broadcast(broadcastId)
        : Promise.reject(new ApiError('SVD_HTTP_NOT_FOUND', 'Not found', 404)),
    refetchInterval: (query) => pollInterval(query.state.data),
  });
  const status = useQuery({ queryKey: botKeys.status, queryFn: botApi.status });
  const templates = useQuery({ queryKey: botKeys.templates, queryFn: botApi.templates });
  const questionnaire = useQuery({ queryKey: botKeys.questionnaire, queryFn: botApi.questionnaire });
  const catalogue = useMemo(
    () => (questionnaire.data ? segmentCatalogue(questionnaire.data.definition) : []),
    [questionnaire.data],
  );
  const audienceText = useAudienceText(catalogue);

  const action = useMutation({
    mutationFn: (kind: 'pause' | 'resume' | 'cancel') => botApi.broadcastAction(broadcastId, kind),
    onSuccess: (updated: BroadcastProgress, kind) => {
      queryClient.setQueryData(botKeys.broadcast(broadcastId), updated);
      void queryClient.invalidateQueries({ queryKey: botKeys.broadcasts, exact: true });
      setCancelling(false);
      notifySuccess(t(`bot.broadcasts.done.${kind}`));
    },
  });

  const data = broadcast.data;
  const template = data?.templateId
    ? templates.data?.items.find((item) => item.id === data.templateId)
    : undefined;
  const title = data
    ? t('bot.broadcasts.titleOf', { at: format.dateTime(data.createdAt) })
    : t('bot.broadcasts.title');

  return (
    <>
      <PageHeader
        title={title}
        description={data ? audienceText(data.audience) : undefined}
        actions={
          isAdmin && data ? (
            <>
              {data.state === 'running' ? (
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<IconPlayerPause size={14} aria-hidden />}
                  loading={action.isPending && action.variables === 'pause'}
                  onClick={() => action.mutate('pause')}
                  data-testid="broadcast-pause"
                >
                  {t('bot.broadcasts.pause')}
                </Button>
              ) : null}
              {data.state === 'paused' ? (
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<IconPlayerPlay size={14} aria-hidden />}
                  loading={action.isPending && action.variables === 'resume'}
                  onClick={() => action.mutate('resume')}
                  data-testid="broadcast-resume"
                >
                  {t('bot.broadcasts.resume')}
                </Button>
              ) : null}
              {data.state === 'running' || data.state === 'paused' ? (
                <Button
                  size="xs"
                  color="red"
                  variant="light"
                  leftSection={<IconX size={14} aria-hidden />}
                  onClick={() => setCancelling(true)}
                  data-testid="broadcast-cancel"
                >
                  {t('bot.broadcasts.cancel')}
                </Button>
              ) : null}
            </>
          ) : null
        }
      />
      <Stack gap="sm" maw={1200}>
        <Anchor component={Link} to="/bot/broadcasts" size="sm">
          {t('bot.broadcasts.back')}
        </Anchor>
        <ErrorAlert error={broadcast.error} />
        {cancelling ? null : <ErrorAlert error={action.error} />}
        {data ? (
          <>
            {status.data && !status.data.configured && data.state === 'running' ? (
              <Alert color="orange" variant="light" data-testid="broadcast-waiting">
                {t('bot.broadcasts.waitingForBot')}
              </Alert>
            ) : null}
            <Paper withBorder p="sm" radius="sm">
              <ProgressBlock progress={data} />
            </Paper>
            <Paper withBorder p="sm" radius="sm">
              <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="xs">
                <Detail label={t('bot.broadcasts.audience')} value={audienceText(data.audience)} />
                <Detail
                  label={t('bot.broadcasts.message')}
                  value={data.templateId ? (template?.name ?? '—') : t('bot.broadcasts.ownText')}
                />
                <Detail label={t('bot.broadcasts.total')} value={format.number(data.total)} />
                <Detail label={t('bot.broadcasts.created')} value={format.dateTime(data.createdAt)} />
                <Detail
                  label={t('bot.broadcasts.startedAt')}
                  value={data.startedAt ? format.dateTime(data.startedAt) : t('bot.broadcasts.notStarted')}
                />
                <Detail
                  label={t('bot.broadcasts.finishedAt')}
                  value={data.finishedAt ? format.dateTime(data.finishedAt) : '—'}
                />
              </SimpleGrid>
              {data.pruned ? (
                <Text size="xs" c="dimmed" mt="xs">
                  {t('bot.broadcasts.pruned')}
                </Text>
              ) : null}
            </Paper>
          </>
        ) : null}
      </Stack>
      <ConfirmDialog
        opened={cancelling}
        title={t('bot.broadcasts.cancelTitle')}
        message={t('bot.broadcasts.cancelText', {
          n: data ? format.number(data.pending + data.sending) : '0',
        })}
        confirmLabel={t('bot.broadcasts.cancelConfirm')}
        danger
        loading={action.isPending}
        error={action.error}
        onConfirm={() => action.mutate('cancel')}
        onClose={() => setCancelling(false)}
      />
    </>
  );
}

function Detail({ label, value }: { label: string; value: string }) {
  return (
    <Group gap={6} wrap="nowrap" align="baseline">
      <Text size="xs" c="dimmed">
        {label}:
      </Text>
      <Text size="sm">{value}</Text>
    </Group>
  );
}
