/**
 * A new broadcast (administrators): the audience as a segment expression (any or all of the chosen
 * segments, optionally one region), a template or a text per language, and the rate. The number of
 * recipients is asked from the server while the audience changes, and the confirmation names it again
 * before anything is created. The recipients are fixed when the broadcast is created.
 */
import {
  Alert,
  Button,
  Grid,
  Group,
  List,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Tabs,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconInfoCircle, IconSend, IconUsers } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { botApi, botKeys } from './api.js';
import { MessagePreview, useAudienceText, useDuration, useLocalized } from './parts.js';
import { estimatedSeconds, FREE_RATE_LIMIT, initialRate, maxRate } from './progress.js';
import { segmentCatalogue } from './questionnaire-form.js';
import { messageLength, messageLimit } from './telegram-html.js';
import {
  type Audience,
  type BotLanguage,
  type BotStatus,
  botLanguageValues,
  type CreateBroadcastInput,
  type ParseMode,
} from './types.js';

type Source = 'template' | 'text';
const NO_PARSE_MODE = 'none';

export function ComposerPage() {
  const { t } = useTranslation();
  const status = useQuery({ queryKey: botKeys.status, queryFn: botApi.status });
  return (
    <>
      <PageHeader title={t('bot.composer.title')} description={t('bot.composer.description')} />
      <ErrorAlert error={status.error} />
      {status.data ? <Composer status={status.data} /> : null}
    </>
  );
}

function Composer({ status }: { status: BotStatus }) {
  const { t } = useTranslation();
  const format = useFormat();
  const duration = useDuration();
  const localized = useLocalized();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const questionnaire = useQuery({ queryKey: botKeys.questionnaire, queryFn: botApi.questionnaire });
  const templates = useQuery({ queryKey: botKeys.templates, queryFn: botApi.templates });
  const catalogue = useMemo(
    () => (questionnaire.data ? segmentCatalogue(questionnaire.data.definition) : []),
    [questionnaire.data],
  );
  const audienceText = useAudienceText(catalogue);

  const [segments, setSegments] = useState<string[]>([]);
  const [mode, setMode] = useState<Audience['mode']>('any');
  const [region, setRegion] = useState<string | null>(null);
  const [source, setSource] = useState<Source>('template');
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [parseMode, setParseMode] = useState<ParseMode>('HTML');
  const [texts, setTexts] = useState<Record<BotLanguage, string>>({ be: '', ru: '', en: '' });
  const [paid, setPaid] = useState(false);
  const [rate, setRate] = useState<number>(initialRate(status));
  const [reviewing, setReviewing] = useState(false);
  const [tab, setTab] = useState<string | null>('be');

  const audience: Audience = { segments, mode, region };
  const count = useQuery({
    queryKey: botKeys.audience(audience),
    queryFn: () => botApi.countAudience(audience),
    staleTime: 10_000,
  });
  const recipients = count.data?.count;
  const rateMax = maxRate(status, paid);
  const rateValid = Number.isInteger(rate) && rate >= 1 && rate <= rateMax;
  const template = templates.data?.items.find((item) => item.id === templateId);
  const textLimit = messageLimit(false);
  const textsValid = botLanguageValues.every(
    (language) => texts[language].trim() !== '' && messageLength(texts[language]) <= textLimit,
  );
  const contentValid = source === 'template' ? template !== undefined : textsValid;
  const ready = recipients !== undefined && recipients > 0 && rateValid && contentValid;

  const create = useMutation({
    mutationFn: () => {
      const input: CreateBroadcastInput = { audience, rate, paid };
      if (source === 'template') input.templateId = templateId ?? undefined;
      else
        input.content = {
          versions: {
            be: { text: texts.be, parseMode },
            ru: { text: texts.ru, parseMode },
            en: { text: texts.en, parseMode },
          },
          media: null,
        };
      return botApi.createBroadcast(input);
    },
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: botKeys.broadcasts });
      notifySuccess(t('bot.composer.created'));
      void navigate(`/bot/broadcasts/${created.id}`);
    },
  });

  const segmentData = catalogue
    .filter((segment) => !segment.region)
    .map((segment) => ({ value: segment.code, label: localized(segment.label) }));
  const regionData = catalogue
    .filter((segment) => segment.region)
    .map((segment) => ({ value: segment.code, label: localized(segment.label) }));

  return (
    <Grid gap="md" maw={1300}>
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <Stack gap="sm">
          <Paper withBorder p="sm" radius="sm" component="section" aria-labelledby="composer-audience">
            <Title order={2} size="h5" mb="xs" id="composer-audience">
              {t('bot.composer.audience')}
            </Title>
            <SimpleGrid cols={{ base: 1, md: 3 }} spacing="xs">
              <MultiSelect
                size="xs"
                label={t('bot.composer.segments')}
                description={t('bot.composer.segmentsHint')}
                placeholder={segments.length ? undefined : t('bot.audience.everyone')}
                data={segmentData}
                value={segments}
                onChange={setSegments}
                clearable
                data-testid="composer-segments"
              />
              <Stack gap={4}>
                <Text size="xs" fw={500} id="composer-mode">
                  {t('bot.composer.mode')}
                </Text>
                <SegmentedControl
                  size="xs"
                  aria-labelledby="composer-mode"
                  value={mode}
                  onChange={(value) => setMode(value === 'all' ? 'all' : 'any')}
                  data={[
                    { value: 'any', label: t('bot.composer.modeAny') },
                    { value: 'all', label: t('bot.composer.modeAll') },
                  ]}
                  data-testid="composer-mode"
                />
              </Stack>
              <Select
                size="xs"
                label={t('bot.composer.region')}
                placeholder={t('bot.composer.anyRegion')}
                data={regionData}
                value={region}
                onChange={setRegion}
                clearable
                data-testid="composer-region"
              />
            </SimpleGrid>
          </Paper>

          <Paper withBorder p="sm" radius="sm" component="section" aria-labelledby="composer-content">
            <Group justify="space-between" mb="xs">
              <Title order={2} size="h5" id="composer-content">
                {t('bot.composer.content')}
              </Title>
              <SegmentedControl
                size="xs"
                aria-label={t('bot.composer.content')}
                value={source}
                onChange={(value) => setSource(value === 'text' ? 'text' : 'template')}
                data={[
                  { value: 'template', label: t('bot.composer.useTemplate') },
                  { value: 'text', label: t('bot.composer.useText') },
                ]}
                data-testid="composer-source"
              />
            </Group>
            {source === 'template' ? (
              <Stack gap="xs">
                <Select
                  size="xs"
                  label={t('bot.composer.template')}
                  placeholder={t('bot.composer.chooseTemplate')}
                  data={(templates.data?.items ?? []).map((item) => ({ value: item.id, label: item.name }))}
                  value={templateId}
                  onChange={setTemplateId}
                  searchable
                  nothingFoundMessage={t('bot.composer.noTemplates')}
                  data-testid="composer-template"
                />
                {templates.data && templates.data.items.length === 0 ? (
                  <Text size="xs" c="dimmed">
                    {t('bot.composer.noTemplates')}
                  </Text>
                ) : null}
                {template ? (
                  <SimpleGrid cols={{ base: 1, md: 3 }} spacing="xs">
                    {botLanguageValues.map((language) => (
                      <Stack key={language} gap={4}>
                        <Text size="xs" fw={500}>
                          {t(`languages.${language}`)}
                        </Text>
                        <MessagePreview
                          text={template.versions[language].text}
                          parseMode={template.versions[language].parseMode}
                          media={template.media}
                          language={language}
                          testId={`composer-preview-${language}`}
                        />
                      </Stack>
                    ))}
                  </SimpleGrid>
                ) : null}
              </Stack>
            ) : (
              <Stack gap="xs">
                <Select
                  size="xs"
                  maw={260}
                  label={t('bot.templates.parseMode')}
                  data={[
                    { value: 'HTML', label: 'HTML' },
                    { value: 'MarkdownV2', label: 'MarkdownV2' },
                    { value: NO_PARSE_MODE, label: t('bot.templates.parseModeNone') },
                  ]}
                  value={parseMode ?? NO_PARSE_MODE}
                  allowDeselect={false}
                  onChange={(value) =>
                    setParseMode(value === 'HTML' || value === 'MarkdownV2' ? value : null)
                  }
                />
                <Tabs value={tab} onChange={setTab} keepMounted={false}>
                  <Tabs.List>
                    {botLanguageValues.map((language) => (
                      <Tabs.Tab key={language} value={language}>
                        {t(`languages.${language}`)}
                      </Tabs.Tab>
                    ))}
                  </Tabs.List>
                  {botLanguageValues.map((language) => (
                    <Tabs.Panel key={language} value={language} pt="xs">
                      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
                        <Textarea
                          lang={language}
                          label={t('bot.templates.textIn', { language: t(`languages.${language}`) })}
                          name={`text.${language}`}
                          autosize
                          minRows={5}
                          maxRows={14}
                          value={texts[language]}
                          onChange={(event) => {
                            const text = event.currentTarget.value;
                            setTexts((value) => ({ ...value, [language]: text }));
                          }}
                        />
                        <MessagePreview
                          text={texts[language]}
                          parseMode={parseMode}
                          media={null}
                          language={language}
                        />
                      </SimpleGrid>
                    </Tabs.Panel>
                  ))}
                </Tabs>
                <Text size="xs" c="dimmed">
                  {t('bot.composer.textEveryLanguage')}
                </Text>
              </Stack>
            )}
          </Paper>

          <Paper withBorder p="sm" radius="sm" component="section" aria-labelledby="composer-rate">
            <Title order={2} size="h5" mb="xs" id="composer-rate">
              {t('bot.composer.rate')}
            </Title>
            <Group align="flex-end" gap="md">
              <NumberInput
                size="xs"
                w={200}
                label={t('bot.composer.rateLabel')}
                description={t('bot.composer.rateHint', { max: format.number(rateMax) })}
                min={1}
                max={rateMax}
                step={1}
                allowDecimal={false}
                clampBehavior="strict"
                value={rate}
                onChange={(value) =>
                  setRate(typeof value === 'number' ? value : Number.parseInt(value, 10) || 0)
                }
                error={rateValid ? undefined : t('bot.composer.rateInvalid', { max: format.number(rateMax) })}
                name="rate"
              />
              {status.paidBroadcasts ? (
                <Switch
                  label={t('bot.composer.paid')}
                  description={t('bot.composer.paidHint')}
                  checked={paid}
                  onChange={(event) => {
                    const on = event.currentTarget.checked;
                    setPaid(on);
                    if (!on) setRate((value) => Math.min(value, FREE_RATE_LIMIT));
                  }}
                  data-testid="composer-paid"
                />
              ) : (
                <Text size="xs" c="dimmed" maw={420}>
                  {t('bot.composer.paidDisabled')}
                </Text>
              )}
            </Group>
          </Paper>
        </Stack>
      </Grid.Col>

      <Grid.Col span={{ base: 12, lg: 4 }}>
        <Paper
          withBorder
          p="sm"
          radius="sm"
          component="section"
          aria-labelledby="composer-summary"
          pos="sticky"
          top={70}
        >
          <Title order={2} size="h5" mb="xs" id="composer-summary">
            {t('bot.composer.recipients')}
          </Title>
          <Group gap="xs" align="baseline">
            <IconUsers size={18} aria-hidden />
            <Text fw={700} size="xl" data-testid="recipient-count" aria-live="polite">
              {recipients === undefined ? '…' : format.number(recipients)}
            </Text>
          </Group>
          <Text size="xs" c="dimmed" mb="xs">
            {audienceText(audience)}
          </Text>
          <ErrorAlert error={count.error} />
          {recipients !== undefined && recipients > 0 && rateValid ? (
            <Text size="sm" data-testid="composer-duration">
              {t('bot.composer.duration', {
                duration: duration(estimatedSeconds(recipients, rate)),
                rate: format.number(rate),
              })}
            </Text>
          ) : null}
          {recipients === 0 ? (
            <Alert
              color="orange"
              variant="light"
              icon={<IconInfoCircle size={16} aria-hidden />}
              mt="xs"
              data-testid="no-recipients"
            >
              {t('bot.composer.noRecipients')}
              {status.configured ? null : ` ${t('bot.composer.noRecipientsNotConfigured')}`}
            </Alert>
          ) : null}
          {status.configured ? null : recipients ? (
            <Text size="xs" c="orange" mt="xs">
              {t('bot.composer.notConfigured')}
            </Text>
          ) : null}
          {contentValid ? null : (
            <Text size="xs" c="dimmed" mt="xs">
              {source === 'template' ? t('bot.composer.needTemplate') : t('bot.composer.needTexts')}
            </Text>
          )}
          <Button
            mt="sm"
            fullWidth
            leftSection={<IconSend size={16} aria-hidden />}
            disabled={!ready}
            onClick={() => setReviewing(true)}
            data-testid="composer-review"
          >
            {t('bot.composer.review')}
          </Button>
        </Paper>
      </Grid.Col>

      <Modal
        opened={reviewing}
        onClose={() => setReviewing(false)}
        title={t('bot.composer.confirmTitle')}
        centered
        size="md"
      >
        <Stack gap="sm">
          <Text size="sm" data-testid="confirm-count">
            {t('bot.composer.confirmText', { n: format.number(recipients ?? 0) })}
          </Text>
          <List size="sm" spacing={2}>
            <List.Item>
              {t('bot.composer.confirmAudience')}: {audienceText(audience)}
            </List.Item>
            <List.Item>
              {t('bot.composer.confirmContent')}:{' '}
              {source === 'template' ? (template?.name ?? '') : t('bot.composer.ownText')}
            </List.Item>
            <List.Item>
              {t('bot.composer.confirmRate')}: {t('bot.perSecond', { rate: format.number(rate) })}
              {recipients ? ` · ${duration(estimatedSeconds(recipients, rate))}` : ''}
            </List.Item>
          </List>
          <Text size="xs" c="dimmed">
            {t('bot.composer.confirmNote')}
          </Text>
          <ErrorAlert error={create.error} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setReviewing(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              loading={create.isPending}
              leftSection={<IconSend size={16} aria-hidden />}
              onClick={() => create.mutate()}
              data-testid="confirm"
            >
              {t('bot.composer.send', { n: format.number(recipients ?? 0) })}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Grid>
  );
}
