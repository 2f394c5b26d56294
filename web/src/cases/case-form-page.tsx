/** Intake of a verification request by staff: requester, purpose, legal basis, due date, retention, subject. */
import { Button, Group, Paper, Select, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { casesApi } from './api.js';

export function CaseFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [requesterOrg, setRequesterOrg] = useState('');
  const [requesterContact, setRequesterContact] = useState('');
  const [purpose, setPurpose] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [retentionClass, setRetentionClass] = useState<'short' | 'standard' | 'long'>('standard');
  const [names, setNames] = useState<string[]>([]);
  const [birthDate, setBirthDate] = useState('');
  const [birthPlace, setBirthPlace] = useState('');
  const [nationality, setNationality] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () =>
      casesApi.create({
        requesterOrg: requesterOrg.trim(),
        ...(requesterContact.trim() ? { requesterContact: requesterContact.trim() } : {}),
        purpose: purpose.trim(),
        ...(legalBasis.trim() ? { legalBasis: legalBasis.trim() } : {}),
        ...(dueDate ? { dueDate } : {}),
        retentionClass,
        subject: {
          names,
          ...(birthDate.trim() ? { birthDate: birthDate.trim() } : {}),
          ...(birthPlace.trim() ? { birthPlace: birthPlace.trim() } : {}),
          ...(nationality.length ? { nationality } : {}),
        },
      }),
    onSuccess: (created) => {
      notifySuccess(t('cases.created', { number: created.number }));
      void navigate(`/cases/${created.id}`);
    },
  });
  return (
    <>
      <PageHeader title={t('cases.new')} description={t('cases.intakeDescription')} />
      <Paper withBorder p="md" radius="sm" maw={760}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <Stack gap="sm">
            <TextInput
              label={t('cases.requester')}
              required
              value={requesterOrg}
              onChange={(e) => setRequesterOrg(e.currentTarget.value)}
              name="requesterOrg"
            />
            <TextInput
              label={t('cases.contact')}
              value={requesterContact}
              onChange={(e) => setRequesterContact(e.currentTarget.value)}
              name="requesterContact"
            />
            <Textarea
              label={t('cases.purpose')}
              required
              autosize
              minRows={2}
              value={purpose}
              onChange={(e) => setPurpose(e.currentTarget.value)}
              name="purpose"
            />
            <TextInput
              label={t('cases.legalBasis')}
              value={legalBasis}
              onChange={(e) => setLegalBasis(e.currentTarget.value)}
              name="legalBasis"
            />
            <Group grow>
              <TextInput
                type="date"
                label={t('cases.due')}
                value={dueDate}
                onChange={(e) => setDueDate(e.currentTarget.value)}
                name="dueDate"
              />
              <Select
                label={t('cases.retention')}
                data={(['short', 'standard', 'long'] as const).map((value) => ({
                  value,
                  label: t(`cases.retentionClass.${value}`),
                }))}
                value={retentionClass}
                onChange={(value) => setRetentionClass((value as typeof retentionClass) ?? 'standard')}
                allowDeselect={false}
              />
            </Group>
            <TagsInput
              label={t('cases.names')}
              description={t('cases.namesHint')}
              required
              value={names}
              onChange={setNames}
              name="names"
              splitChars={[';']}
            />
            <Group grow>
              <TextInput
                label={t('cases.birthDate')}
                description={t('cases.birthDateHint')}
                value={birthDate}
                onChange={(e) => setBirthDate(e.currentTarget.value)}
                name="birthDate"
              />
              <TextInput
                label={t('cases.birthPlace')}
                value={birthPlace}
                onChange={(e) => setBirthPlace(e.currentTarget.value)}
                name="birthPlace"
              />
            </Group>
            <TagsInput label={t('cases.nationality')} value={nationality} onChange={setNationality} />
            <ErrorAlert error={create.error} />
            <Group justify="flex-end">
              <Button
                type="submit"
                loading={create.isPending}
                disabled={!requesterOrg.trim() || !purpose.trim() || names.length === 0}
              >
                {t('cases.file')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </>
  );
}
