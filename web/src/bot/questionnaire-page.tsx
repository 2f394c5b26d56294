/**
 * The questionnaire the bot asks new subscribers, as data: questions in be/ru/en, single or multiple choice,
 * answers and the segment each one adds. Administrators edit a draft and publish it as a new version
 * (answers already given keep theirs); everyone else reads it.
 */
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconArrowDown,
  IconArrowUp,
  IconPlus,
  IconRestore,
  IconTrash,
  IconUpload,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { botApi, botKeys } from './api.js';
import { useIsBotAdmin } from './parts.js';
import {
  type Draft,
  type DraftOption,
  type DraftQuestion,
  type FieldProblems,
  MAX_OPTIONS,
  MAX_QUESTIONS,
  move,
  newOption,
  newQuestion,
  serverFieldErrors,
  toDraft,
  toPublishable,
  validateQuestionnaire,
} from './questionnaire-form.js';
import { botLanguageValues, type Questionnaire } from './types.js';

type ErrorAt = (path: string) => string | undefined;

export function QuestionnairePage() {
  const { t } = useTranslation();
  const format = useFormat();
  const isAdmin = useIsBotAdmin();
  const queryClient = useQueryClient();
  const current = useQuery({ queryKey: botKeys.questionnaire, queryFn: botApi.questionnaire });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [showProblems, setShowProblems] = useState(false);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    if (current.data && draft === null) setDraft(toDraft(current.data.definition));
  }, [current.data, draft]);

  const publish = useMutation({
    mutationFn: (definition: Questionnaire) => botApi.publishQuestionnaire(definition),
    onSuccess: (published) => {
      queryClient.setQueryData(botKeys.questionnaire, published);
      void queryClient.invalidateQueries({ queryKey: botKeys.stats });
      setDraft(toDraft(published.definition));
      setShowProblems(false);
      setConfirming(false);
      notifySuccess(t('bot.questionnaire.published', { version: published.version }));
    },
  });

  const problems: FieldProblems = useMemo(() => (draft ? validateQuestionnaire(draft) : {}), [draft]);
  const serverErrors = serverFieldErrors(publish.error);
  const errorAt: ErrorAt = (path) => {
    // A missing opt-out is shown at once: it is a warning about the people asked, not a typo.
    const problem = showProblems || problems[path] === 'noOptOut' ? problems[path] : undefined;
    if (problem) return t(`bot.questionnaire.problems.${problem}`);
    return serverErrors[path];
  };
  const dirty =
    draft !== null &&
    current.data !== undefined &&
    JSON.stringify(toPublishable(draft)) !== JSON.stringify(toPublishable(current.data.definition));
  const problemCount = Object.keys(problems).length;

  const update = (change: (questionnaire: Draft) => Draft) =>
    setDraft((value) => (value ? change(value) : value));
  const updateQuestion = (index: number, change: (question: DraftQuestion) => DraftQuestion) =>
    update((value) => ({
      questions: value.questions.map((question, i) => (i === index ? change(question) : question)),
    }));

  return (
    <>
      <PageHeader
        title={t('bot.questionnaire.title')}
        description={isAdmin ? t('bot.questionnaire.description') : t('bot.questionnaire.readOnly')}
        actions={
          current.data ? (
            <Badge variant="light" size="lg" radius="sm" data-testid="questionnaire-version">
              {t('bot.questionnaire.version', { version: current.data.version })}
            </Badge>
          ) : null
        }
      />
      <Stack gap="sm" maw={1200}>
        <ErrorAlert error={current.error} />
        {current.data ? (
          <Text size="xs" c="dimmed">
            {t('bot.questionnaire.publishedAt', { at: format.dateTime(current.data.createdAt) })}
          </Text>
        ) : null}
        {draft?.questions.map((question, index) => (
          <QuestionEditor
            key={question.key}
            question={question}
            index={index}
            count={draft.questions.length}
            readOnly={!isAdmin}
            errorAt={errorAt}
            onChange={(change) => updateQuestion(index, change)}
            onMove={(by) => update((value) => ({ questions: move(value.questions, index, by) }))}
            onRemove={() => update((value) => ({ questions: value.questions.filter((_, i) => i !== index) }))}
          />
        ))}
        {showProblems && problems[''] ? (
          <Alert color="red" variant="light" role="alert">
            {t(`bot.questionnaire.problems.${problems['']}`)}
          </Alert>
        ) : null}
        {isAdmin && draft ? (
          <>
            <Group gap="xs">
              <Button
                size="xs"
                variant="default"
                leftSection={<IconPlus size={14} aria-hidden />}
                disabled={draft.questions.length >= MAX_QUESTIONS}
                onClick={() => update((value) => ({ questions: [...value.questions, newQuestion(value)] }))}
                data-testid="add-question"
              >
                {t('bot.questionnaire.addQuestion')}
              </Button>
            </Group>
            <Paper withBorder p="sm" radius="sm">
              <Group justify="space-between" gap="sm">
                <Text size="sm" c={showProblems && problemCount > 0 ? 'red' : 'dimmed'}>
                  {showProblems && problemCount > 0
                    ? t('bot.questionnaire.hasProblems', { n: problemCount })
                    : dirty
                      ? t('bot.questionnaire.unpublished')
                      : t('bot.questionnaire.noChanges')}
                </Text>
                <Group gap="xs">
                  <Button
                    size="xs"
                    variant="default"
                    leftSection={<IconRestore size={14} aria-hidden />}
                    disabled={!dirty}
                    onClick={() => {
                      if (current.data) setDraft(toDraft(current.data.definition));
                      setShowProblems(false);
                      publish.reset();
                    }}
                  >
                    {t('bot.questionnaire.discard')}
                  </Button>
                  <Button
                    size="xs"
                    leftSection={<IconUpload size={14} aria-hidden />}
                    disabled={!dirty}
                    onClick={() => {
                      setShowProblems(true);
                      if (problemCount === 0) setConfirming(true);
                    }}
                    data-testid="questionnaire-publish"
                  >
                    {t('bot.questionnaire.publish')}
                  </Button>
                </Group>
              </Group>
              {confirming ? null : <ErrorAlert error={publish.error} />}
            </Paper>
          </>
        ) : null}
      </Stack>
      <ConfirmDialog
        opened={confirming}
        title={t('bot.questionnaire.confirmTitle', { version: (current.data?.version ?? 0) + 1 })}
        message={t('bot.questionnaire.confirmText')}
        confirmLabel={t('bot.questionnaire.publish')}
        loading={publish.isPending}
        error={publish.error}
        onConfirm={() => {
          if (draft) publish.mutate(toPublishable(draft));
        }}
        onClose={() => setConfirming(false)}
      />
    </>
  );
}

function QuestionEditor({
  question,
  index,
  count,
  readOnly,
  errorAt,
  onChange,
  onMove,
  onRemove,
}: {
  question: DraftQuestion;
  index: number;
  count: number;
  readOnly: boolean;
  errorAt: ErrorAt;
  onChange: (change: (question: DraftQuestion) => DraftQuestion) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const base = `questions.${index}`;
  const titleId = `question-${index}-title`;
  const setOption = (o: number, change: (option: DraftOption) => DraftOption) =>
    onChange((value) => ({
      ...value,
      options: value.options.map((option, i) => (i === o ? change(option) : option)),
    }));
  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      component="section"
      aria-labelledby={titleId}
      data-testid={`question-${index}`}
    >
      <Group justify="space-between" mb="xs" gap="xs">
        <Title order={2} size="h5" id={titleId}>
          {t('bot.questionnaire.question', { number: index + 1 })}
        </Title>
        {readOnly ? null : (
          <Group gap={4}>
            <Tooltip label={t('bot.questionnaire.moveUp')}>
              <ActionIcon
                variant="subtle"
                aria-label={t('bot.questionnaire.moveUp')}
                disabled={index === 0}
                onClick={() => onMove(-1)}
              >
                <IconArrowUp size={16} aria-hidden />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('bot.questionnaire.moveDown')}>
              <ActionIcon
                variant="subtle"
                aria-label={t('bot.questionnaire.moveDown')}
                disabled={index === count - 1}
                onClick={() => onMove(1)}
              >
                <IconArrowDown size={16} aria-hidden />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('bot.questionnaire.removeQuestion')}>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t('bot.questionnaire.removeQuestion')}
                disabled={count <= 1}
                onClick={onRemove}
              >
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Tooltip>
          </Group>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
        <TextInput
          size="xs"
          label={t('bot.questionnaire.questionId')}
          description={t('bot.questionnaire.codeHint')}
          name={`${base}.id`}
          value={question.id}
          readOnly={readOnly}
          error={errorAt(`${base}.id`)}
          onChange={(event) => {
            const id = event.currentTarget.value;
            onChange((value) => ({ ...value, id }));
          }}
        />
        <Select
          size="xs"
          label={t('bot.questionnaire.role')}
          description={t('bot.questionnaire.roleHint')}
          data={[
            { value: 'segment', label: t('bot.questionnaire.roleSegment') },
            { value: 'region', label: t('bot.questionnaire.roleRegion') },
          ]}
          value={question.role}
          readOnly={readOnly}
          allowDeselect={false}
          onChange={(role) => {
            if (role === 'region' || role === 'segment') onChange((value) => ({ ...value, role }));
          }}
          data-testid={`${base}.role`}
        />
        <Stack gap={4}>
          <Text size="xs" fw={500} id={`${base}-choice`}>
            {t('bot.questionnaire.choice')}
          </Text>
          <SegmentedControl
            size="xs"
            aria-labelledby={`${base}-choice`}
            readOnly={readOnly}
            value={question.multi ? 'multi' : 'single'}
            onChange={(choice) => onChange((value) => ({ ...value, multi: choice === 'multi' }))}
            data={[
              { value: 'single', label: t('bot.questionnaire.single') },
              { value: 'multi', label: t('bot.questionnaire.multi') },
            ]}
            data-testid={`${base}.multi`}
          />
        </Stack>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="xs" mt="xs">
        {botLanguageValues.map((language) => (
          <TextInput
            key={language}
            size="xs"
            lang={language}
            label={t('bot.questionnaire.textIn', { language: t(`languages.${language}`) })}
            name={`${base}.text.${language}`}
            value={question.text[language]}
            readOnly={readOnly}
            error={errorAt(`${base}.text.${language}`)}
            onChange={(event) => {
              const text = event.currentTarget.value;
              onChange((value) => ({ ...value, text: { ...value.text, [language]: text } }));
            }}
          />
        ))}
      </SimpleGrid>
      <Table fz="sm" verticalSpacing={4} mt="sm" aria-label={t('bot.questionnaire.options')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={130}>{t('bot.questionnaire.optionId')}</Table.Th>
            {botLanguageValues.map((language) => (
              <Table.Th key={language}>
                {t('bot.questionnaire.answerIn', { language: t(`languages.${language}`) })}
              </Table.Th>
            ))}
            <Table.Th w={150}>{t('bot.questionnaire.segment')}</Table.Th>
            {readOnly ? null : <Table.Th w={40} />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {question.options.map((option, o) => {
            const path = `${base}.options.${o}`;
            return (
              <Table.Tr key={option.key}>
                <Table.Td>
                  <TextInput
                    size="xs"
                    aria-label={t('bot.questionnaire.optionId')}
                    name={`${path}.id`}
                    value={option.id}
                    readOnly={readOnly}
                    error={errorAt(`${path}.id`)}
                    onChange={(event) => {
                      const id = event.currentTarget.value;
                      setOption(o, (value) => ({ ...value, id }));
                    }}
                  />
                </Table.Td>
                {botLanguageValues.map((language) => (
                  <Table.Td key={language}>
                    <TextInput
                      size="xs"
                      lang={language}
                      aria-label={t('bot.questionnaire.answerIn', { language: t(`languages.${language}`) })}
                      name={`${path}.label.${language}`}
                      value={option.label[language]}
                      readOnly={readOnly}
                      error={errorAt(`${path}.label.${language}`)}
                      onChange={(event) => {
                        const label = event.currentTarget.value;
                        setOption(o, (value) => ({ ...value, label: { ...value.label, [language]: label } }));
                      }}
                    />
                  </Table.Td>
                ))}
                <Table.Td>
                  <TextInput
                    size="xs"
                    aria-label={t('bot.questionnaire.segment')}
                    placeholder={t('bot.questionnaire.noSegment')}
                    name={`${path}.segment`}
                    value={option.segment ?? ''}
                    readOnly={readOnly}
                    error={errorAt(`${path}.segment`)}
                    onChange={(event) => {
                      const segment = event.currentTarget.value;
                      setOption(o, (value) => ({ ...value, segment: segment === '' ? null : segment }));
                    }}
                  />
                </Table.Td>
                {readOnly ? null : (
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('bot.questionnaire.removeOption')}
                      title={t('bot.questionnaire.removeOption')}
                      onClick={() =>
                        onChange((value) => ({ ...value, options: value.options.filter((_, i) => i !== o) }))
                      }
                    >
                      <IconTrash size={14} aria-hidden />
                    </ActionIcon>
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {errorAt(`${base}.options`) ? (
        <Text size="xs" c="red" mt={4} role="alert">
          {errorAt(`${base}.options`)}
        </Text>
      ) : null}
      <Group justify="space-between" mt="xs">
        <Text size="xs" c="dimmed">
          {t('bot.questionnaire.segmentHint')}
        </Text>
        {readOnly ? null : (
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<IconPlus size={12} aria-hidden />}
            disabled={question.options.length >= MAX_OPTIONS}
            onClick={() => onChange((value) => ({ ...value, options: [...value.options, newOption(value)] }))}
            data-testid={`${base}.add-option`}
          >
            {t('bot.questionnaire.addOption')}
          </Button>
        )}
      </Group>
    </Paper>
  );
}
