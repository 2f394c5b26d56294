/**
 * One incident: what, when, where and who was responsible; its classification; the evidence linked with
 * its role; the persons linked (a registry entity when known, else a name to link later); the export.
 */
import {
  Anchor,
  Button,
  Code,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconFileZip, IconLink, IconPencil, IconUserPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { evidenceApi, itemFiles } from '../evidence/api.js';
import { ExportDialog } from '../evidence/export-dialog.js';
import { shortHash } from '../evidence/filters.js';
import { Coordinates } from '../evidence/item-page.js';
import {
  HashValue,
  SensitiveImage,
  TaxonomyPicker,
  useAxisOptions,
  useCodeLabel,
  VerificationBadge,
} from '../evidence/parts.js';
import { type Incident, type PersonRole, personRoles } from '../evidence/types.js';
import { useFormat } from '../i18n/format.js';
import { OccurredAt } from './occurred-at.js';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w={220} fw={500} c="dimmed">
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

export function IncidentPage() {
  const { t } = useTranslation();
  const { incidentId = '' } = useParams();
  const codeLabel = useCodeLabel();
  const [exporting, setExporting] = useState(false);
  const incident = useQuery({
    queryKey: ['evidence', 'incident', incidentId],
    queryFn: () => evidenceApi.incident(incidentId),
  });
  if (incident.error) {
    return (
      <>
        <PageHeader title={t('incidents.title')} />
        <ErrorAlert error={incident.error} />
      </>
    );
  }
  const data = incident.data;
  if (!data) return <PageHeader title={t('common.loading')} />;
  return (
    <>
      <PageHeader
        title={data.title}
        actions={
          <>
            <Button
              variant="default"
              component={Link}
              to={`/incidents/${data.id}/edit`}
              leftSection={<IconPencil size={16} aria-hidden />}
            >
              {t('incidents.edit')}
            </Button>
            <Button
              leftSection={<IconFileZip size={16} aria-hidden />}
              onClick={() => setExporting(true)}
              disabled={data.items.length === 0}
              data-testid="incident-export"
            >
              {t('evidence.export.button')}
            </Button>
          </>
        }
      />
      <Stack gap="md">
        <Paper withBorder p="sm" radius="sm">
          <Table fz="sm" verticalSpacing={4} data-testid="incident-details">
            <Table.Tbody>
              <Row label={t('incidents.what')}>
                <Text size="sm" className="pre-wrap">
                  {data.description || '—'}
                </Text>
              </Row>
              <Row label={t('incidents.when')}>
                <OccurredAt from={data.occurredFrom} to={data.occurredTo} />
              </Row>
              <Row label={t('incidents.where')}>
                <Stack gap={2}>
                  <Text size="sm">
                    {[data.place, data.placeType ? codeLabel(data.placeType) : null]
                      .filter(Boolean)
                      .join(' · ') || '—'}
                  </Text>
                  {data.latitude !== null && data.longitude !== null ? (
                    <Coordinates latitude={data.latitude} longitude={data.longitude} />
                  ) : null}
                </Stack>
              </Row>
              <Row label={t('incidents.responsible')}>
                {[
                  data.responsibleInstitution ? codeLabel(data.responsibleInstitution) : null,
                  data.responsibleUnit,
                ]
                  .filter(Boolean)
                  .join(' · ') || '—'}
              </Row>
            </Table.Tbody>
          </Table>
        </Paper>
        <IncidentClassification incident={data} />
        <LinkedEvidence incident={data} />
        <Persons incident={data} />
      </Stack>
      {exporting ? (
        <ExportDialog
          target={{ incidentId: data.id, title: data.title }}
          onClose={() => setExporting(false)}
        />
      ) : null}
    </>
  );
}

function IncidentClassification({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [codes, setCodes] = useState(incident.codes);
  const added = codes.filter((code) => !incident.codes.includes(code));
  const removed = incident.codes.filter((code) => !codes.includes(code));
  const save = useMutation({
    mutationFn: () => evidenceApi.classifyIncident(incident.id, added, removed),
    onSuccess: ({ codes: next }) => {
      queryClient.setQueryData<Incident>(['evidence', 'incident', incident.id], (old) =>
        old ? { ...old, codes: next } : old,
      );
      setCodes(next);
      void queryClient.invalidateQueries({ queryKey: ['evidence', 'incidents'] });
      notifySuccess(t('evidence.classified'));
    },
  });
  return (
    <Paper withBorder p="sm" radius="sm" component="section" aria-labelledby="incident-classification">
      <Title order={2} size="h5" mb="xs" id="incident-classification">
        {t('evidence.classification')}
      </Title>
      <Stack gap="sm">
        <ErrorAlert error={save.error} />
        <TaxonomyPicker value={codes} onChange={setCodes} />
        <Group>
          <Button
            size="xs"
            onClick={() => save.mutate()}
            loading={save.isPending}
            disabled={added.length === 0 && removed.length === 0}
          >
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function LinkedEvidence({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const roleOptions = useAxisOptions()('role');
  const roleLabel = new Map(roleOptions.map((option) => [option.value, option.label]));
  const linked = useQuery({
    queryKey: ['evidence', 'items', { incidentId: incident.id, limit: 500 }],
    queryFn: () => evidenceApi.items({ incidentId: incident.id, limit: 500 }),
  });
  const recent = useQuery({
    queryKey: ['evidence', 'items', { limit: 200 }],
    queryFn: () => evidenceApi.items({ limit: 200 }),
  });
  const [itemId, setItemId] = useState<string | null>(null);
  const [role, setRole] = useState<string | null>(null);
  const link = useMutation({
    mutationFn: () => evidenceApi.linkItem(incident.id, itemId ?? '', role ?? undefined),
    onSuccess: (updated) => {
      queryClient.setQueryData(['evidence', 'incident', incident.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['evidence', 'items'] });
      void queryClient.invalidateQueries({ queryKey: ['evidence', 'incidents'] });
      void queryClient.invalidateQueries({ queryKey: ['evidence', 'item', itemId] });
      setItemId(null);
      notifySuccess(t('incidents.itemLinked'));
    },
  });
  const changed = (updated: Incident, changedItem: string) => {
    queryClient.setQueryData(['evidence', 'incident', incident.id], updated);
    void queryClient.invalidateQueries({ queryKey: ['evidence', 'items'] });
    void queryClient.invalidateQueries({ queryKey: ['evidence', 'incidents'] });
    void queryClient.invalidateQueries({ queryKey: ['evidence', 'item', changedItem] });
  };
  const unlink = useMutation({
    mutationFn: (target: string) => evidenceApi.unlinkItem(incident.id, target),
    onSuccess: (updated, target) => {
      changed(updated, target);
      notifySuccess(t('evidenceTools.unlinked'));
    },
  });
  const changeRole = useMutation({
    mutationFn: (change: { itemId: string; role: string | null }) =>
      evidenceApi.setLinkRole(incident.id, change.itemId, change.role),
    onSuccess: (updated, change) => changed(updated, change.itemId),
  });
  const summaries = new Map((linked.data?.items ?? []).map((item) => [item.id, item]));
  const linkedIds = new Set(incident.items.map((item) => item.itemId));
  return (
    <Paper withBorder p="sm" radius="sm" component="section" aria-labelledby="incident-evidence">
      <Title order={2} size="h5" mb="xs" id="incident-evidence">
        {t('incidents.linkedEvidence')}
      </Title>
      <ErrorAlert error={linked.error ?? unlink.error ?? changeRole.error} />
      {incident.items.length === 0 ? (
        <Text size="sm" c="dimmed" mb="sm">
          {t('incidents.noEvidence')}
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={6} striped mb="sm" data-testid="incident-items">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('evidence.preview')}</Table.Th>
              <Table.Th>{t('evidence.fileName')}</Table.Th>
              <Table.Th>{t('evidence.role')}</Table.Th>
              <Table.Th>SHA-256</Table.Th>
              <Table.Th>{t('evidence.received')}</Table.Th>
              <Table.Th>{t('evidence.verificationLabel')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('evidenceTools.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {incident.items.map((entry) => {
              const item = summaries.get(entry.itemId);
              return (
                <Table.Tr key={entry.itemId}>
                  <Table.Td>
                    {item?.hasThumbnail ? (
                      <SensitiveImage
                        src={itemFiles.thumbnail(entry.itemId)}
                        alt={t('evidence.thumbnailOf', { name: item.fileName ?? '' })}
                        className="thumb-cell"
                      />
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/evidence/${entry.itemId}`} size="sm">
                      {item?.fileName ?? entry.itemId.slice(0, 8)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      aria-label={t('evidenceTools.changeRole')}
                      placeholder={t('evidenceTools.noRole')}
                      clearable
                      data={
                        entry.role && !roleLabel.has(entry.role)
                          ? [...roleOptions, { value: entry.role, label: entry.role }]
                          : roleOptions
                      }
                      value={entry.role}
                      onChange={(value) => changeRole.mutate({ itemId: entry.itemId, role: value })}
                      disabled={changeRole.isPending}
                    />
                  </Table.Td>
                  <Table.Td>{item ? <HashValue hash={item.sha256} /> : null}</Table.Td>
                  <Table.Td className="nowrap">{item ? format.dateTime(item.receivedAt) : ''}</Table.Td>
                  <Table.Td>{item ? <VerificationBadge state={item.verificationState} /> : null}</Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      loading={unlink.isPending && unlink.variables === entry.itemId}
                      onClick={() => unlink.mutate(entry.itemId)}
                      data-testid="unlink-item"
                    >
                      {t('evidenceTools.unlink')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
        <Select
          size="xs"
          label={t('incidents.evidenceToLink')}
          searchable
          data={(recent.data?.items ?? [])
            .filter((item) => !linkedIds.has(item.id))
            .map((item) => ({
              value: item.id,
              label: `${item.fileName ?? t('evidence.unnamed')} · ${shortHash(item.sha256, 8)}`,
            }))}
          value={itemId}
          onChange={setItemId}
          nothingFoundMessage={t('incidents.nothingToLink')}
          data-testid="link-item-select"
        />
        <Select
          size="xs"
          label={t('evidence.role')}
          clearable
          data={roleOptions}
          value={role}
          onChange={setRole}
        />
        <Group align="flex-end">
          <Button
            size="xs"
            leftSection={<IconLink size={14} aria-hidden />}
            disabled={!itemId}
            loading={link.isPending}
            onClick={() => link.mutate()}
            data-testid="link-item-submit"
          >
            {t('evidence.link')}
          </Button>
        </Group>
      </SimpleGrid>
      <ErrorAlert error={link.error} />
    </Paper>
  );
}

function Persons({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<PersonRole>('victim');
  const [name, setName] = useState('');
  const [entityId, setEntityId] = useState('');
  const add = useMutation({
    mutationFn: () =>
      evidenceApi.addPerson(incident.id, {
        role,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(entityId.trim() ? { entityId: entityId.trim() } : {}),
      }),
    onSuccess: (updated) => {
      queryClient.setQueryData(['evidence', 'incident', incident.id], updated);
      setName('');
      setEntityId('');
    },
  });
  const remove = useMutation({
    mutationFn: (personId: string) => evidenceApi.removePerson(incident.id, personId),
    onSuccess: (updated) => {
      queryClient.setQueryData(['evidence', 'incident', incident.id], updated);
      notifySuccess(t('evidenceTools.personRemoved'));
    },
  });
  return (
    <Paper withBorder p="sm" radius="sm" component="section" aria-labelledby="incident-persons">
      <Title order={2} size="h5" mb="xs" id="incident-persons">
        {t('incidents.persons')}
      </Title>
      {incident.persons.length === 0 ? (
        <Text size="sm" c="dimmed" mb="sm">
          {t('incidents.noPersons')}
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={6} striped mb="sm" data-testid="incident-persons-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('incidents.personRole')}</Table.Th>
              <Table.Th>{t('incidents.person')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('evidenceTools.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {incident.persons.map((person) => (
              <Table.Tr key={person.id}>
                <Table.Td>{t(`incidents.roles.${person.role}`)}</Table.Td>
                <Table.Td>
                  {person.entityId ? (
                    <Group gap="xs">
                      <Anchor
                        component={Link}
                        to={`/registry/entities/${encodeURIComponent(person.entityId)}`}
                        size="sm"
                      >
                        {person.name ?? t('incidents.registryEntity')}
                      </Anchor>
                      <Code>{person.entityId.slice(0, 12)}</Code>
                    </Group>
                  ) : (
                    <Group gap="xs">
                      <Text size="sm">{person.name}</Text>
                      <Text size="xs" c="dimmed">
                        {t('incidents.notInRegistry')}
                      </Text>
                    </Group>
                  )}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    loading={remove.isPending && remove.variables === person.id}
                    onClick={() => remove.mutate(person.id)}
                  >
                    {t('evidenceTools.removePerson')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <SimpleGrid cols={{ base: 1, sm: 4 }} spacing="xs">
        <Select
          size="xs"
          label={t('incidents.personRole')}
          data={personRoles.map((value) => ({ value, label: t(`incidents.roles.${value}`) }))}
          value={role}
          onChange={(value) => value && setRole(value as PersonRole)}
          allowDeselect={false}
        />
        <TextInput
          size="xs"
          label={t('incidents.personName')}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
        />
        <TextInput
          size="xs"
          label={t('incidents.entityId')}
          description={t('incidents.entityIdHint')}
          value={entityId}
          onChange={(event) => setEntityId(event.currentTarget.value)}
          ff="monospace"
        />
        <Group align="flex-end">
          <Button
            size="xs"
            leftSection={<IconUserPlus size={14} aria-hidden />}
            disabled={!name.trim() && !entityId.trim()}
            loading={add.isPending}
            onClick={() => add.mutate()}
          >
            {t('incidents.addPerson')}
          </Button>
        </Group>
      </SimpleGrid>
      <ErrorAlert error={add.error} />
    </Paper>
  );
}
