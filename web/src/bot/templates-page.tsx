/**
 * Instruction templates: prepared messages in be/ru/en (Telegram formatting, optional photo or document by
 * file_id) that broadcasts send. The list, and an editor with a live preview of each language; the open
 * template is in the URL (?template=ID or ?template=new). Administrators change them; staff read them.
 */
import {
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconDeviceFloppy, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { botApi, botKeys } from './api.js';
import { MessagePreview, useIsBotAdmin, useLocalized } from './parts.js';
import { segmentCatalogue } from './questionnaire-form.js';
import {
  draftOf,
  emptyTemplate,
  type TemplateDraft,
  templateProblems,
  toTemplateInput,
} from './template-form.js';
import { botLanguageValues, type Template } from './types.js';

const NO_PARSE_MODE = 'none';

export function TemplatesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const isAdmin = useIsBotAdmin();
  const [search, setSearch] = useSearchParams();
  const templates = useQuery({ queryKey: botKeys.templates, queryFn: botApi.templates });
  const open = search.get('template');
  const openTemplate = templates.data?.items.find((template) => template.id === open);
  const select = (value: string | null) =>
    setSearch(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set('template', value);
        else next.delete('template');
        return next;
      },
      { replace: false },
    );

  return (
    <>
      <PageHeader
        title={t('bot.templates.title')}
        description={t('bot.templates.description')}
        actions={
          isAdmin ? (
            <Button
              size="xs"
              leftSection={<IconPlus size={14} aria-hidden />}
              onClick={() => select('new')}
              data-testid="template-new"
            >
              {t('bot.templates.new')}
            </Button>
          ) : null
        }
      />
      <Stack gap="sm" maw={1300}>
        <ErrorAlert error={templates.error} />
        <Table
          fz="sm"
          verticalSpacing={6}
          striped
          highlightOnHover
          data-testid="templates-table"
          aria-label={t('bot.templates.title')}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('bot.templates.name')}</Table.Th>
              <Table.Th>{t('bot.templates.segment')}</Table.Th>
              <Table.Th>{t('bot.templates.media')}</Table.Th>
              <Table.Th>{t('bot.templates.updated')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(templates.data?.items ?? []).map((template) => (
              <Table.Tr
                key={template.id}
                bg={template.id === open ? 'var(--mantine-primary-color-light)' : undefined}
              >
                <Table.Td>
                  <Anchor
                    component="button"
                    type="button"
                    size="sm"
                    fw={500}
                    onClick={() => select(template.id)}
                  >
                    {template.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {template.segment ? (
                    <Badge variant="light" radius="sm">
                      {template.segment}
                    </Badge>
                  ) : (
                    <Text size="xs" c="dimmed">
                      {t('bot.templates.noSegment')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {template.media ? t(`bot.templates.mediaTypes.${template.media.type}`) : '—'}
                </Table.Td>
                <Table.Td c="dimmed">{format.dateTime(template.updatedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {templates.data && templates.data.items.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="templates-empty">
            {t('bot.templates.empty')}
          </Text>
        ) : null}
        {open === 'new' && isAdmin ? (
          <TemplateEditor key="new" template={null} readOnly={false} onDone={select} />
        ) : openTemplate ? (
          <TemplateEditor
            key={openTemplate.id + openTemplate.updatedAt}
            template={openTemplate}
            readOnly={!isAdmin}
            onDone={select}
          />
        ) : null}
      </Stack>
    </>
  );
}

function TemplateEditor({
  template,
  readOnly,
  onDone,
}: {
  template: Template | null;
  readOnly: boolean;
  onDone: (open: string | null) => void;
}) {
  const { t } = useTranslation();
  const localized = useLocalized();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<TemplateDraft>(() => (template ? draftOf(template) : emptyTemplate()));
  const [showProblems, setShowProblems] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [tab, setTab] = useState<string | null>('be');
  const questionnaire = useQuery({ queryKey: botKeys.questionnaire, queryFn: botApi.questionnaire });
  const segments = useMemo(
    () => (questionnaire.data ? segmentCatalogue(questionnaire.data.definition) : []),
    [questionnaire.data],
  );

  const save = useMutation({
    mutationFn: () =>
      template
        ? botApi.updateTemplate(template.id, toTemplateInput(draft))
        : botApi.createTemplate(toTemplateInput(draft)),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: botKeys.templates });
      notifySuccess(template ? t('bot.templates.saved') : t('bot.templates.created'));
      setShowProblems(false);
      onDone(saved.id);
    },
  });
  const remove = useMutation({
    mutationFn: () => botApi.deleteTemplate(template?.id ?? ''),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: botKeys.templates });
      notifySuccess(t('bot.templates.deleted'));
      setDeleting(false);
      onDone(null);
    },
  });

  const problems = templateProblems(draft);
  const problemAt = (path: string) => {
    const problem = showProblems ? problems[path] : undefined;
    return problem ? t(`bot.templates.problems.${problem}`) : undefined;
  };
  const segmentOptions = [
    { value: '', label: t('bot.templates.noSegment') },
    ...segments.map((segment) => ({
      value: segment.code,
      label: `${localized(segment.label)} (${segment.code})`,
    })),
  ];
  if (draft.segment && !segments.some((segment) => segment.code === draft.segment))
    segmentOptions.push({ value: draft.segment, label: draft.segment });

  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      component="section"
      aria-labelledby="template-editor"
      data-testid="template-editor"
    >
      <Title order={2} size="h5" mb="xs" id="template-editor">
        {template ? template.name : t('bot.templates.new')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="xs">
        <TextInput
          size="xs"
          label={t('bot.templates.name')}
          name="templateName"
          required
          readOnly={readOnly}
          value={draft.name}
          error={problemAt('name')}
          onChange={(event) => {
            const name = event.currentTarget.value;
            setDraft((value) => ({ ...value, name }));
          }}
        />
        <Select
          size="xs"
          label={t('bot.templates.segment')}
          description={t('bot.templates.segmentHint')}
          data={segmentOptions}
          value={draft.segment ?? ''}
          readOnly={readOnly}
          allowDeselect={false}
          onChange={(segment) => setDraft((value) => ({ ...value, segment: segment || null }))}
          data-testid="template-segment"
        />
        <Select
          size="xs"
          label={t('bot.templates.media')}
          data={[
            { value: 'none', label: t('bot.templates.mediaNone') },
            { value: 'photo', label: t('bot.templates.mediaTypes.photo') },
            { value: 'document', label: t('bot.templates.mediaTypes.document') },
          ]}
          value={draft.media?.type ?? 'none'}
          readOnly={readOnly}
          allowDeselect={false}
          onChange={(type) =>
            setDraft((value) => ({
              ...value,
              media:
                type === 'photo' || type === 'document' ? { type, fileId: value.media?.fileId ?? '' } : null,
            }))
          }
          data-testid="template-media"
        />
        {draft.media ? (
          <TextInput
            size="xs"
            label={t('bot.templates.fileId')}
            description={t('bot.templates.fileIdHint')}
            name="fileId"
            readOnly={readOnly}
            value={draft.media.fileId}
            error={problemAt('media.fileId')}
            onChange={(event) => {
              const fileId = event.currentTarget.value;
              setDraft((value) => ({ ...value, media: value.media ? { ...value.media, fileId } : null }));
            }}
          />
        ) : null}
      </SimpleGrid>
      <Tabs value={tab} onChange={setTab} mt="sm" keepMounted={false}>
        <Tabs.List>
          {botLanguageValues.map((language) => (
            <Tabs.Tab
              key={language}
              value={language}
              c={problemAt(`versions.${language}.text`) ? 'red' : undefined}
              data-testid={`template-tab-${language}`}
            >
              {t(`languages.${language}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {botLanguageValues.map((language) => {
          const version = draft.versions[language];
          return (
            <Tabs.Panel key={language} value={language} pt="xs">
              <Grid gap="sm">
                <Grid.Col span={{ base: 12, md: 6 }}>
                  <Stack gap="xs">
                    <Select
                      size="xs"
                      label={t('bot.templates.parseMode')}
                      description={t('bot.templates.parseModeHint')}
                      data={[
                        { value: 'HTML', label: 'HTML' },
                        { value: 'MarkdownV2', label: 'MarkdownV2' },
                        { value: NO_PARSE_MODE, label: t('bot.templates.parseModeNone') },
                      ]}
                      value={version.parseMode ?? NO_PARSE_MODE}
                      readOnly={readOnly}
                      allowDeselect={false}
                      onChange={(mode) => {
                        const parseMode = mode === 'HTML' || mode === 'MarkdownV2' ? mode : null;
                        setDraft((value) => ({
                          ...value,
                          versions: {
                            ...value.versions,
                            [language]: { ...value.versions[language], parseMode },
                          },
                        }));
                      }}
                      data-testid={`template-parse-mode-${language}`}
                    />
                    <Textarea
                      size="sm"
                      lang={language}
                      label={t('bot.templates.textIn', { language: t(`languages.${language}`) })}
                      name={`versions.${language}.text`}
                      autosize
                      minRows={6}
                      maxRows={18}
                      readOnly={readOnly}
                      value={version.text}
                      error={problemAt(`versions.${language}.text`)}
                      onChange={(event) => {
                        const text = event.currentTarget.value;
                        setDraft((value) => ({
                          ...value,
                          versions: { ...value.versions, [language]: { ...value.versions[language], text } },
                        }));
                      }}
                    />
                    <Text size="xs" c="dimmed">
                      {t('bot.templates.formattingHint')}
                    </Text>
                  </Stack>
                </Grid.Col>
                <Grid.Col span={{ base: 12, md: 6 }}>
                  <Text size="xs" fw={500} mb={4}>
                    {t('bot.templates.previewIn', { language: t(`languages.${language}`) })}
                  </Text>
                  <MessagePreview
                    text={version.text}
                    parseMode={version.parseMode}
                    media={draft.media}
                    language={language}
                    testId={`template-preview-${language}`}
                  />
                </Grid.Col>
              </Grid>
            </Tabs.Panel>
          );
        })}
      </Tabs>
      {readOnly ? null : (
        <Group justify="space-between" mt="sm">
          <Group gap="xs">
            <Button
              size="xs"
              leftSection={<IconDeviceFloppy size={14} aria-hidden />}
              loading={save.isPending}
              onClick={() => {
                setShowProblems(true);
                const first = Object.keys(problems)[0];
                const language = /^versions\.(be|ru|en)\./.exec(first ?? '')?.[1];
                if (language) setTab(language);
                if (!first) save.mutate();
              }}
              data-testid="template-save"
            >
              {template ? t('common.save') : t('bot.templates.create')}
            </Button>
            <Button size="xs" variant="default" onClick={() => onDone(null)}>
              {t('common.cancel')}
            </Button>
          </Group>
          {template ? (
            <Button
              size="xs"
              variant="subtle"
              color="red"
              leftSection={<IconTrash size={14} aria-hidden />}
              onClick={() => setDeleting(true)}
              data-testid="template-delete"
            >
              {t('bot.templates.delete')}
            </Button>
          ) : null}
        </Group>
      )}
      <ErrorAlert error={save.error} />
      <ConfirmDialog
        opened={deleting}
        title={t('bot.templates.deleteTitle')}
        message={t('bot.templates.deleteText', { name: template?.name ?? '' })}
        confirmLabel={t('bot.templates.delete')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
        onClose={() => setDeleting(false)}
      />
    </Paper>
  );
}
