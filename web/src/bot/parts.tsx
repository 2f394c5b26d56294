/**
 * Pieces the bot pages share: the message preview (Telegram HTML turned into React elements, never into
 * markup), broadcast state badges and the progress block, audience descriptions, and labels of the
 * questionnaire in the interface language.
 */
import './bot.css';
import { Alert, Badge, Group, List, Paper, Progress, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconFile, IconPhoto } from '@tabler/icons-react';
import { Fragment, type ReactNode, useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session.js';
import { useFormat } from '../i18n/format.js';
import { isLanguage } from '../i18n/index.js';
import { formatDuration, progressShares, remaining } from './progress.js';
import {
  isSafeHref,
  messageLength,
  messageLimit,
  type ParsedMessage,
  parseTelegramHtml,
  type TelegramNode,
} from './telegram-html.js';
import type {
  Audience,
  BotLanguage,
  BroadcastProgress,
  BroadcastState,
  Localized,
  Media,
  ParseMode,
  Segment,
} from './types.js';

/** True for administrators: only they change the bot (the server enforces it; this hides the buttons). */
export function useIsBotAdmin(): boolean {
  return useSession().user?.role === 'admin';
}

/** The questionnaire's texts in the interface language (the bot speaks the same three). */
export function useLocalized(): (text: Localized) => string {
  const { i18n } = useTranslation();
  const language: BotLanguage = isLanguage(i18n.language) ? i18n.language : 'be';
  return useCallback((text: Localized) => text[language] || text.be, [language]);
}

/** Time spans ("1 h 51 min") in the interface language. */
export function useDuration(): (seconds: number) => string {
  const { t } = useTranslation();
  const format = useFormat();
  return useCallback(
    (seconds: number) =>
      formatDuration(
        seconds,
        {
          hours: t('bot.duration.hours'),
          minutes: t('bot.duration.minutes'),
          seconds: t('bot.duration.seconds'),
        },
        format.number,
      ),
    [t, format],
  );
}

function renderNodes(nodes: readonly TelegramNode[], linkLabel: string): ReactNode[] {
  return nodes.map((node, index) => {
    const key = `${index}-${node.kind}`;
    if (node.kind === 'text') return <Fragment key={key}>{node.text}</Fragment>;
    const inner = renderNodes(node.children, linkLabel);
    switch (node.kind) {
      case 'bold':
        return <strong key={key}>{inner}</strong>;
      case 'italic':
        return <em key={key}>{inner}</em>;
      case 'underline':
        return <u key={key}>{inner}</u>;
      case 'strike':
        return <s key={key}>{inner}</s>;
      case 'spoiler':
        return (
          <span key={key} className="tg-spoiler">
            {inner}
          </span>
        );
      case 'code':
        return <code key={key}>{inner}</code>;
      case 'pre':
        return <pre key={key}>{inner}</pre>;
      case 'blockquote':
        return <blockquote key={key}>{inner}</blockquote>;
      case 'emoji':
        return <span key={key}>{inner}</span>;
      case 'link':
        // Shown, not followed: a preview makes no request and opens nothing.
        return (
          <Tooltip key={key} label={`${linkLabel}: ${node.href ?? ''}`} withArrow>
            <span className={isSafeHref(node.href) ? 'tg-link' : 'tg-link tg-link-unsafe'}>{inner}</span>
          </Tooltip>
        );
      default:
        return <Fragment key={key}>{inner}</Fragment>;
    }
  });
}

/** The problems Telegram would refuse the message for, in words. */
function ProblemList({ parsed }: { parsed: ParsedMessage }) {
  const { t } = useTranslation();
  if (parsed.problems.length === 0) return null;
  const seen = new Set<string>();
  const unique = parsed.problems.filter((problem) => {
    const key = `${problem.code}:${problem.tag ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconAlertTriangle size={16} aria-hidden />}
      title={t('bot.preview.problemsTitle')}
      data-testid="preview-problems"
    >
      <List size="xs">
        {unique.map((problem) => (
          <List.Item key={`${problem.code}:${problem.tag ?? ''}`}>
            {t(`bot.preview.problems.${problem.code}`, { tag: problem.tag ?? '' })}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

/**
 * A message as a subscriber would see it in Telegram: media placeholder (the file lives on Telegram's
 * servers, so it is not fetched), then the text. HTML is parsed into elements; MarkdownV2 and plain text are
 * shown as written.
 */
export function MessagePreview({
  text,
  parseMode,
  media,
  language,
  testId,
}: {
  text: string;
  parseMode: ParseMode;
  media: Media;
  language: BotLanguage;
  testId?: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const parsed = parseMode === 'HTML' ? parseTelegramHtml(text) : null;
  const length = messageLength(text);
  const limit = messageLimit(media !== null);
  return (
    <Stack gap={6}>
      <Paper className="tg-bubble" withBorder p="sm" radius="md" lang={language} data-testid={testId}>
        {media ? (
          <Group gap={6} className="tg-media" mb={text ? 6 : 0}>
            {media.type === 'photo' ? (
              <IconPhoto size={18} aria-hidden />
            ) : (
              <IconFile size={18} aria-hidden />
            )}
            <Text size="xs" c="dimmed" truncate="end" maw={260}>
              {t(media.type === 'photo' ? 'bot.preview.photo' : 'bot.preview.document')} · {media.fileId}
            </Text>
          </Group>
        ) : null}
        <div className="tg-text">
          {parsed ? renderNodes(parsed.nodes, t('bot.preview.link')) : text}
          {text ? null : (
            <Text span size="sm" c="dimmed">
              {t('bot.preview.empty')}
            </Text>
          )}
        </div>
      </Paper>
      <Group justify="space-between" gap="xs">
        <Text size="xs" c="dimmed">
          {parseMode === 'MarkdownV2'
            ? t('bot.preview.markdownAsText')
            : parseMode === null
              ? t('bot.preview.plainText')
              : t('bot.preview.html')}
        </Text>
        <Text
          size="xs"
          c={length > limit ? 'red' : 'dimmed'}
          data-testid={testId ? `${testId}-length` : undefined}
        >
          {t('bot.preview.length', { length: format.number(length), limit: format.number(limit) })}
        </Text>
      </Group>
      {parsed ? <ProblemList parsed={parsed} /> : null}
    </Stack>
  );
}

const stateColors: Record<BroadcastState, string> = {
  running: 'blue',
  paused: 'yellow',
  cancelled: 'gray',
  done: 'teal',
};

export function BroadcastStateBadge({ state }: { state: BroadcastState }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={stateColors[state]} radius="sm" data-testid="broadcast-state">
      {t(`bot.broadcasts.states.${state}`)}
    </Badge>
  );
}

/** "Street actions or Workplace actions · Brest region", or "Everyone who finished the questionnaire". */
export function useAudienceText(segments: readonly Segment[] | undefined): (audience: Audience) => string {
  const { t } = useTranslation();
  const localized = useLocalized();
  return useCallback(
    (audience: Audience) => {
      const label = (code: string) => {
        const segment = segments?.find((s) => s.code === code);
        return segment ? localized(segment.label) : code;
      };
      const names = audience.segments.map(label);
      const who =
        names.length === 0
          ? t('bot.audience.everyone')
          : names.length === 1
            ? names[0]!
            : t(audience.mode === 'all' ? 'bot.audience.allOf' : 'bot.audience.anyOf', {
                list: names.join(audience.mode === 'all' ? ' + ' : ' / '),
              });
      return audience.region ? `${who} · ${label(audience.region)}` : who;
    },
    [segments, localized, t],
  );
}

/** A compact bar for lists: sent, failed and unknown shares stacked. */
export function ProgressBar({ progress, size = 'md' }: { progress: BroadcastProgress; size?: string }) {
  const { t } = useTranslation();
  const shares = progressShares(progress);
  return (
    <Progress.Root size={size} aria-label={t('bot.broadcasts.progress')}>
      <Progress.Section value={shares.sent} color="teal" />
      <Progress.Section value={shares.failed} color="red" />
      <Progress.Section value={shares.unknown} color="orange" />
      <Progress.Section value={shares.cancelled} color="gray" />
    </Progress.Root>
  );
}

/** The counts of a broadcast, its rate and the time left. */
export function ProgressBlock({ progress }: { progress: BroadcastProgress }) {
  const { t } = useTranslation();
  const format = useFormat();
  const duration = useDuration();
  const shares = progressShares(progress);
  const cell = (label: string, value: string, testId: string, color?: string) => (
    <Paper withBorder p="xs" radius="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="lg" c={color} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
  return (
    <Stack gap="sm" data-testid="broadcast-progress">
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500}>
          {t('bot.broadcasts.settledOf', {
            settled: format.number(progress.total - remaining(progress)),
            total: format.number(progress.total),
            percent: format.number(Math.floor(shares.settled)),
          })}
        </Text>
        <BroadcastStateBadge state={progress.state} />
      </Group>
      <ProgressBar progress={progress} size="xl" />
      <SimpleGrid cols={{ base: 2, sm: 4, lg: 8 }} spacing="xs">
        {cell(t('bot.broadcasts.sent'), format.number(progress.sent), 'count-sent', 'teal')}
        {cell(t('bot.broadcasts.failed'), format.number(progress.failed), 'count-failed', 'red')}
        {cell(t('bot.broadcasts.unknown'), format.number(progress.unknown), 'count-unknown', 'orange')}
        {cell(t('bot.broadcasts.pending'), format.number(remaining(progress)), 'count-pending')}
        {cell(t('bot.broadcasts.cancelledCount'), format.number(progress.cancelled), 'count-cancelled')}
        {cell(t('bot.broadcasts.removed'), format.number(progress.removed), 'count-removed')}
        {cell(
          t('bot.broadcasts.rate'),
          t('bot.perSecond', { rate: format.number(progress.achievedRate) }),
          'achieved-rate',
        )}
        {cell(
          t('bot.broadcasts.eta'),
          progress.etaSeconds === null ? '—' : duration(progress.etaSeconds),
          'eta',
        )}
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t('bot.broadcasts.rateLimit', { rate: format.number(progress.rate) })}
        {progress.paid ? ` · ${t('bot.broadcasts.paid')}` : ''}
        {progress.unknown > 0 ? ` · ${t('bot.broadcasts.unknownHint')}` : ''}
      </Text>
    </Stack>
  );
}
