/**
 * Creating or editing an incident: what happened, when (an exact moment or a range), where (place, place
 * type, optional coordinates) and the responsible institution and unit. What was typed stays on an error.
 */
import {
  Button,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { isoToLocalInput, localInputToIso } from '../admin/audit-filters.js';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { evidenceApi } from '../evidence/api.js';
import { useAxisOptions } from '../evidence/parts.js';
import type { Incident, IncidentInput, IncidentUpdate } from '../evidence/types.js';

interface Values {
  title: string;
  description: string;
  timing: 'exact' | 'range';
  occurredFrom: string;
  occurredTo: string;
  place: string;
  placeType: string;
  latitude: number | string;
  longitude: number | string;
  responsibleInstitution: string;
  responsibleUnit: string;
  collectionId: string;
}

function valuesOf(incident?: Incident): Values {
  return {
    title: incident?.title ?? '',
    description: incident?.description ?? '',
    timing:
      incident?.occurredFrom && incident.occurredTo && incident.occurredFrom !== incident.occurredTo
        ? 'range'
        : 'exact',
    occurredFrom: isoToLocalInput(incident?.occurredFrom ?? ''),
    occurredTo: isoToLocalInput(incident?.occurredTo ?? ''),
    place: incident?.place ?? '',
    placeType: incident?.placeType ?? '',
    latitude: incident?.latitude ?? '',
    longitude: incident?.longitude ?? '',
    responsibleInstitution: incident?.responsibleInstitution ?? '',
    responsibleUnit: incident?.responsibleUnit ?? '',
    collectionId: incident?.collectionId ?? '',
  };
}

/** The form's values for a new incident; empty fields are left out. */
function inputOf(values: Values): IncidentInput {
  const input: IncidentInput = { title: values.title.trim(), description: values.description.trim() };
  const from = localInputToIso(values.occurredFrom);
  const to = values.timing === 'range' ? localInputToIso(values.occurredTo) : from;
  if (from) input.occurredFrom = from;
  if (to) input.occurredTo = to;
  if (values.place.trim()) input.place = values.place.trim();
  if (values.placeType) input.placeType = values.placeType;
  if (typeof values.latitude === 'number') input.latitude = values.latitude;
  if (typeof values.longitude === 'number') input.longitude = values.longitude;
  if (values.responsibleInstitution) input.responsibleInstitution = values.responsibleInstitution;
  if (values.responsibleUnit.trim()) input.responsibleUnit = values.responsibleUnit.trim();
  if (values.collectionId) input.collectionId = values.collectionId;
  return input;
}

/** The form's values as a change: a field emptied in the form is cleared (null) on the server. */
function updateOf(values: Values): IncidentUpdate {
  const text = (value: string) => value.trim() || null;
  const from = localInputToIso(values.occurredFrom) || null;
  const to = values.timing === 'range' ? localInputToIso(values.occurredTo) || null : from;
  const coordinate = (value: number | string) => (typeof value === 'number' ? value : null);
  return {
    title: values.title.trim(),
    description: values.description.trim(),
    occurredFrom: from,
    occurredTo: to,
    place: text(values.place),
    placeType: values.placeType || null,
    latitude: coordinate(values.latitude),
    longitude: coordinate(values.longitude),
    responsibleInstitution: values.responsibleInstitution || null,
    responsibleUnit: text(values.responsibleUnit),
    collectionId: values.collectionId || null,
  };
}

export function IncidentFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { incidentId } = useParams();
  const options = useAxisOptions();
  const existing = useQuery({
    queryKey: ['evidence', 'incident', incidentId],
    queryFn: () => evidenceApi.incident(incidentId ?? ''),
    enabled: Boolean(incidentId),
  });
  const collections = useQuery({ queryKey: ['evidence', 'collections'], queryFn: evidenceApi.collections });
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(),
    validate: {
      title: (value) => (value.trim() ? null : t('common.required')),
      occurredTo: (value, values) =>
        values.timing === 'range' && value && values.occurredFrom && value < values.occurredFrom
          ? t('incidents.toBeforeFrom')
          : null,
      latitude: (value, values) =>
        (value === '') !== (values.longitude === '') ? t('incidents.bothCoordinates') : null,
    },
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form object is stable; the loaded incident drives this.
  useEffect(() => {
    if (existing.data) form.setValues(valuesOf(existing.data));
  }, [existing.data]);

  const save = useMutation({
    mutationFn: (values: Values) =>
      incidentId
        ? evidenceApi.updateIncident(incidentId, updateOf(values))
        : evidenceApi.createIncident(inputOf(values)),
    onSuccess: async (incident) => {
      queryClient.setQueryData(['evidence', 'incident', incident.id], incident);
      await queryClient.invalidateQueries({ queryKey: ['evidence', 'incidents'] });
      notifySuccess(t('incidents.saved'));
      void navigate(`/incidents/${incident.id}`);
    },
  });

  return (
    <>
      <PageHeader title={incidentId ? t('incidents.editTitle') : t('incidents.createTitle')} />
      <form onSubmit={form.onSubmit((values) => save.mutate(values))} noValidate>
        <Stack gap="sm" maw={960}>
          <ErrorAlert error={existing.error ?? save.error} />
          <Paper withBorder p="sm" radius="sm">
            <Stack gap="sm">
              <TextInput
                label={t('incidents.titleLabel')}
                required
                name="title"
                {...form.getInputProps('title')}
              />
              <Textarea
                label={t('incidents.descriptionLabel')}
                autosize
                minRows={3}
                maxRows={12}
                name="description"
                {...form.getInputProps('description')}
              />
            </Stack>
          </Paper>
          <Paper withBorder p="sm" radius="sm">
            <Stack gap="xs">
              <Text size="sm" fw={600}>
                {t('incidents.when')}
              </Text>
              <SegmentedControl
                size="xs"
                data={[
                  { value: 'exact', label: t('incidents.exact') },
                  { value: 'range', label: t('incidents.range') },
                ]}
                {...form.getInputProps('timing')}
                aria-label={t('incidents.when')}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
                <TextInput
                  type="datetime-local"
                  label={form.values.timing === 'range' ? t('incidents.from') : t('incidents.moment')}
                  name="occurredFrom"
                  {...form.getInputProps('occurredFrom')}
                />
                {form.values.timing === 'range' ? (
                  <TextInput
                    type="datetime-local"
                    label={t('incidents.to')}
                    name="occurredTo"
                    {...form.getInputProps('occurredTo')}
                  />
                ) : null}
              </SimpleGrid>
            </Stack>
          </Paper>
          <Paper withBorder p="sm" radius="sm">
            <Stack gap="xs">
              <Text size="sm" fw={600}>
                {t('incidents.where')}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="xs">
                <TextInput label={t('incidents.place')} name="place" {...form.getInputProps('place')} />
                <Select
                  label={t('incidents.placeType')}
                  data={options('place', form.values.placeType ? [form.values.placeType] : [])}
                  clearable
                  searchable
                  {...form.getInputProps('placeType')}
                  onChange={(value) => form.setFieldValue('placeType', value ?? '')}
                />
                <NumberInput
                  label={t('incidents.latitude')}
                  min={-90}
                  max={90}
                  decimalScale={6}
                  name="latitude"
                  {...form.getInputProps('latitude')}
                />
                <NumberInput
                  label={t('incidents.longitude')}
                  min={-180}
                  max={180}
                  decimalScale={6}
                  name="longitude"
                  {...form.getInputProps('longitude')}
                />
              </SimpleGrid>
            </Stack>
          </Paper>
          <Paper withBorder p="sm" radius="sm">
            <Stack gap="xs">
              <Text size="sm" fw={600}>
                {t('incidents.responsible')}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
                <Select
                  label={t('incidents.institution')}
                  data={options(
                    'institution',
                    form.values.responsibleInstitution ? [form.values.responsibleInstitution] : [],
                  )}
                  clearable
                  searchable
                  {...form.getInputProps('responsibleInstitution')}
                  onChange={(value) => form.setFieldValue('responsibleInstitution', value ?? '')}
                />
                <TextInput
                  label={t('incidents.unit')}
                  description={t('incidents.unitHint')}
                  name="responsibleUnit"
                  {...form.getInputProps('responsibleUnit')}
                />
                <Select
                  label={t('collections.incidentCollection')}
                  description={t('collections.incidentCollectionHint')}
                  placeholder={t('collections.none')}
                  clearable
                  data={(collections.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
                  name="collectionId"
                  {...form.getInputProps('collectionId')}
                  onChange={(value) => form.setFieldValue('collectionId', value ?? '')}
                />
              </SimpleGrid>
            </Stack>
          </Paper>
          <Group gap="xs">
            <Button type="submit" loading={save.isPending} data-testid="incident-submit">
              {t('common.save')}
            </Button>
            <Button
              variant="default"
              onClick={() => void navigate(incidentId ? `/incidents/${incidentId}` : '/incidents')}
            >
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
