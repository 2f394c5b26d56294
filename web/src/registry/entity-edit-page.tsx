/**
 * Editing an entity (analysts and administrators): one text area per property, one value per line.
 * Only changed properties are sent, with the change number the editor saw, so a concurrent edit is
 * reported instead of silently overwritten. The server validates (dates, countries, ids) and audits.
 */
import { Button, Group, Loader, Select, Stack, Text, Textarea } from '@mantine/core';
import { IconArrowLeft, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { FTM_SCHEMATA } from '../../../src/registry/ftm-schema.js';
import { ErrorAlert, notifyError, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { registryApi } from './api.js';

const toText = (values: string[] | undefined) => (values ?? []).join('\n');
const toValues = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

export function EntityEditPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: ['registry', 'entity', id], queryFn: () => registryApi.entity(id) });
  const entity = detail.data?.entity;
  const [values, setValues] = useState<Record<string, string>>({});
  const [adding, setAdding] = useState<string | null>(null);

  useEffect(() => {
    if (!entity) return;
    setValues(
      Object.fromEntries(Object.entries(entity.properties).map(([key, list]) => [key, toText(list)])),
    );
  }, [entity]);

  const schema = entity ? FTM_SCHEMATA.get(entity.schema) : undefined;
  const addable = useMemo(
    () =>
      schema
        ? Object.keys(schema.properties)
            .filter((key) => !(key in values))
            .sort()
        : [],
    [schema, values],
  );

  const save = useMutation({
    mutationFn: async () => {
      if (!entity) return null;
      const changed: Record<string, string[]> = {};
      for (const [key, text] of Object.entries(values)) {
        const next = toValues(text);
        if (JSON.stringify(next) !== JSON.stringify(entity.properties[key] ?? [])) changed[key] = next;
      }
      if (Object.keys(changed).length === 0) return null;
      return registryApi.updateEntity(entity.id, {
        properties: changed,
        expectedChangeSeq: entity.changeSeq,
      });
    },
    onSuccess: async (result) => {
      if (!result) {
        notifySuccess(t('registry.edit.nothingChanged'));
        return;
      }
      notifySuccess(t('registry.edit.saved'));
      await queryClient.invalidateQueries({ queryKey: ['registry'] });
      await navigate(`/registry/entities/${encodeURIComponent(id)}`);
    },
    onError: notifyError,
  });

  if (detail.isLoading) return <Loader aria-label={t('common.loading')} />;
  if (!entity || !schema) return <ErrorAlert error={detail.error} />;

  return (
    <>
      <PageHeader
        title={t('registry.edit.title', { name: entity.caption })}
        description={t('registry.edit.description')}
        actions={
          <Button
            component={Link}
            to={`/registry/entities/${encodeURIComponent(id)}`}
            variant="default"
            leftSection={<IconArrowLeft size={16} aria-hidden />}
          >
            {t('registry.edit.back')}
          </Button>
        }
      />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm" maw={720}>
          {Object.keys(values).map((key) => (
            <Textarea
              key={key}
              label={key}
              description={schema.properties[key]?.type}
              autosize
              minRows={1}
              value={values[key]}
              onChange={(event) => {
                const text = event.currentTarget.value;
                setValues((current) => ({ ...current, [key]: text }));
              }}
              styles={{ label: { fontFamily: 'monospace' } }}
            />
          ))}
          <Group align="flex-end">
            <Select
              label={t('registry.edit.addProperty')}
              data={addable}
              value={adding}
              onChange={setAdding}
              searchable
              w={260}
            />
            <Button
              variant="default"
              leftSection={<IconPlus size={16} aria-hidden />}
              disabled={!adding}
              onClick={() => {
                if (!adding) return;
                setValues((current) => ({ ...current, [adding]: '' }));
                setAdding(null);
              }}
            >
              {t('registry.edit.addProperty')}
            </Button>
          </Group>
          <ErrorAlert error={save.error} />
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
            <Text size="xs" c="dimmed">
              {entity.id}
            </Text>
          </Group>
        </Stack>
      </form>
    </>
  );
}
