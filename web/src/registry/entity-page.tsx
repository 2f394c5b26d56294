/**
 * One registry entity: its names grouped by script and language, key facts, positions over time,
 * memberships, sanctions, the incidents they appear in, identifiers, addresses, and where the record came
 * from. Opening a person's page is a personal-data read and is recorded in the audit log by the server.
 */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Grid,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { IconBriefcase, IconPencil } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { EntityProvenance } from '../datasets/provenance.js';
import { evidenceApi } from '../evidence/api.js';
import { useFormat } from '../i18n/format.js';
import { OccurredAt } from '../incidents/occurred-at.js';
import { EntitySanctions } from '../sanctions/entity-sanctions.js';
import { ClusterFacts } from '../xref/cluster-facts.js';
import { registryApi } from './api.js';
import { AccessBadge } from './datasets-page.js';
import { useSchemaLabel } from './entities-page.js';
import { useFtmLabels } from './ftm-labels.js';
import type { Entity, EntityDetail, NameGroup, Related } from './types.js';

const FACTS = [
  'birthDate',
  'birthPlace',
  'gender',
  'nationality',
  'citizenship',
  'position',
  'country',
  'idNumber',
  'passportNumber',
  'registrationNumber',
  'taxNumber',
  'incorporationDate',
  'deathDate',
] as const;

const entityLink = (entity: Entity) => `/registry/entities/${encodeURIComponent(entity.id)}`;
const first = (entity: Entity, key: string) => entity.properties[key]?.[0];

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Card withBorder radius="md" padding="md" data-testid={testId}>
      <Title order={2} size="h5" mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

function groupLabel(group: NameGroup): string {
  if (group.script === 'cyrillic') return `registry.nameGroups.${group.language ?? 'ambiguous'}`;
  return `registry.nameGroups.${group.script}`;
}

function Names({ groups }: { groups: NameGroup[] }) {
  const { t } = useTranslation();
  const ftm = useFtmLabels();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      {groups.map((group) => (
        <Stack
          key={`${group.script}:${group.language}`}
          gap={4}
          data-testid={`names-${group.script}-${group.language ?? 'none'}`}
        >
          <Text size="xs" fw={700} c="dimmed" tt="uppercase">
            {t(groupLabel(group) as never)}
          </Text>
          {group.names.map((name) => (
            <Group key={`${name.property}:${name.value}`} gap={6} wrap="nowrap">
              <Text
                size="sm"
                lang={group.language === 'be' ? 'be' : group.language === 'ru' ? 'ru' : undefined}
              >
                {name.value}
              </Text>
              {name.property !== 'name' ? (
                <Text size="xs" c="dimmed">
                  {ftm.label(name.property)}
                </Text>
              ) : null}
            </Group>
          ))}
        </Stack>
      ))}
    </SimpleGrid>
  );
}

function period(link: Entity, words: { present: string; unknownStart: string }): string {
  const start = first(link, 'startDate') ?? first(link, 'date');
  const end = first(link, 'endDate');
  return `${start ?? words.unknownStart} – ${end ?? (first(link, 'status') === 'ended' ? '?' : words.present)}`;
}

function usePeriodWords() {
  const { t } = useTranslation();
  return { present: t('registry.entity.present'), unknownStart: t('registry.entity.unknownStart') };
}

function Positions({ items }: { items: Related[] }) {
  const { t } = useTranslation();
  const words = usePeriodWords();
  if (items.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('registry.entity.noPositions')}
      </Text>
    );
  return (
    <Timeline active={items.length} bulletSize={22} lineWidth={2} data-testid="positions-timeline">
      {items.map(({ link, others }) => {
        const post = others.find((e) => e.schema === 'Position');
        const bodies = others.filter((e) => e.schema === 'PublicBody' || e.schema === 'Organization');
        return (
          <Timeline.Item
            key={link.id}
            bullet={<IconBriefcase size={12} aria-hidden />}
            title={post ? post.caption : link.caption}
          >
            {bodies.map((body) => (
              <Anchor key={body.id} component={Link} to={entityLink(body)} size="sm" display="block">
                {body.caption}
              </Anchor>
            ))}
            <Text size="xs" c="dimmed">
              {period(link, words)}
            </Text>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}

function Links({ items, empty }: { items: Related[]; empty?: string }) {
  const words = usePeriodWords();
  const ftm = useFtmLabels();
  if (items.length === 0)
    return empty ? (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    ) : null;
  return (
    <Stack gap="sm">
      {items.map(({ link, others }) => (
        <Stack key={link.id} gap={2}>
          <Text size="sm" fw={600}>
            {link.caption}
          </Text>
          {Object.entries(link.properties)
            .filter(([key]) => !['holder', 'entity', 'member', 'organization', 'post'].includes(key))
            .map(([key, values]) => (
              <Text key={key} size="sm">
                <Text span size="xs" c="dimmed">
                  {ftm.label(key)}:
                </Text>{' '}
                {values.map((value) => ftm.value(key, value)).join('; ')}
              </Text>
            ))}
          {others.map((other) => (
            <Anchor key={other.id} component={Link} to={entityLink(other)} size="sm">
              {other.caption}
            </Anchor>
          ))}
          <Text size="xs" c="dimmed">
            {period(link, words)}
          </Text>
        </Stack>
      ))}
    </Stack>
  );
}

/** Most incidents the page lists; a person in more than this is rare, and the rest are on the incidents page. */
const INCIDENT_LIMIT = 50;

/** Incidents where this entity is a victim, perpetrator or witness: only those the server lets the reader see. */
function Incidents({ entityId, alwaysShow }: { entityId: string; alwaysShow: boolean }) {
  const { t } = useTranslation();
  const incidents = useQuery({
    queryKey: ['evidence', 'incidents', { entityId }],
    queryFn: () => evidenceApi.incidents({ entityId, limit: INCIDENT_LIMIT }),
  });
  const items = incidents.data?.items ?? [];
  if (!alwaysShow && !incidents.error && items.length === 0) return null;
  return (
    <Section title={t('registry.entity.incidents')} testId="entity-incidents">
      <ErrorAlert error={incidents.error} />
      {incidents.isLoading ? <Loader size="sm" aria-label={t('common.loading')} /> : null}
      {incidents.data && items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('registry.entity.noIncidents')}
        </Text>
      ) : null}
      {items.length > 0 ? (
        <Table verticalSpacing={4} fz="sm" data-testid="entity-incidents-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('registry.entity.incidentTitle')}</Table.Th>
              <Table.Th>{t('registry.entity.incidentDate')}</Table.Th>
              <Table.Th>{t('registry.entity.incidentRole')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((incident) => (
              <Table.Tr key={incident.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/incidents/${encodeURIComponent(incident.id)}`} size="sm">
                    {incident.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <OccurredAt from={incident.occurredFrom} to={incident.occurredTo} />
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {(incident.entityRoles ?? []).map((role) => (
                      <Badge
                        key={role}
                        variant="light"
                        radius="sm"
                        color={role === 'perpetrator' ? 'red' : role === 'victim' ? 'blue' : 'gray'}
                      >
                        {t(`incidents.roles.${role}`)}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {incidents.data?.next ? (
        <Text size="xs" c="dimmed" mt="xs">
          {t('registry.entity.moreIncidents', { count: INCIDENT_LIMIT })}
        </Text>
      ) : null}
    </Section>
  );
}

function Provenance({ detail }: { detail: EntityDetail }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { entity, dataset } = detail;
  const rows: Array<[string, ReactNode]> = [
    [
      t('registry.entities.dataset'),
      <Group key="d" gap={6}>
        <Anchor component={Link} to={`/registry/entities?dataset=${dataset.id}`} size="sm">
          {dataset.title}
        </Anchor>
        <AccessBadge restricted={dataset.restricted} />
      </Group>,
    ],
    [t('registry.datasets.source'), [dataset.source, dataset.sourceDate].filter(Boolean).join(', ') || '—'],
    [t('registry.datasets.licence'), dataset.licence ?? '—'],
    [t('registry.entity.firstSeen'), format.dateTime(entity.firstSeen)],
    [t('registry.entity.lastChange'), format.dateTime(entity.lastChange)],
    [t('registry.entity.createdBy'), entity.createdBy],
    [t('registry.entity.updatedBy'), entity.updatedBy],
    [
      t('registry.entity.importId'),
      entity.importId ? <Code key="i">{entity.importId.slice(0, 8)}</Code> : '—',
    ],
  ];
  return (
    <Table withRowBorders={false} verticalSpacing={4} data-testid="provenance">
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w="40%" fw={500}>
              <Text size="xs" c="dimmed">
                {label}
              </Text>
            </Table.Th>
            <Table.Td>
              <Text size="sm" component="div">
                {value}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function EntityPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { user } = useSession();
  const schemaLabel = useSchemaLabel();
  const ftm = useFtmLabels();
  const detail = useQuery({ queryKey: ['registry', 'entity', id], queryFn: () => registryApi.entity(id) });
  const canEdit = user?.role === 'admin' || user?.role === 'analyst';

  if (detail.isLoading) return <Loader aria-label={t('common.loading')} />;
  if (!detail.data) return <ErrorAlert error={detail.error} />;
  const data = detail.data;
  const { entity } = data;
  const facts = FACTS.filter((key) => entity.properties[key]?.length);
  const identifiers = data.identifications;

  return (
    <>
      <PageHeader
        title={entity.caption}
        description={`${schemaLabel(entity.schema)} · ${data.dataset.title}`}
        actions={
          canEdit ? (
            <Button
              component={Link}
              to={`${entityLink(entity)}/edit`}
              variant="default"
              leftSection={<IconPencil size={16} aria-hidden />}
            >
              {t('registry.entity.edit')}
            </Button>
          ) : null
        }
      />
      <EntityProvenance entityId={entity.id} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <ClusterFacts entityId={entity.id} />
            {data.names.length > 0 ? (
              <Section title={t('registry.entity.names')} testId="names">
                <Names groups={data.names} />
              </Section>
            ) : null}
            {facts.length > 0 ? (
              <Section title={t('registry.entity.facts')}>
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
                  {facts.map((key) => (
                    <Stack key={key} gap={0}>
                      <Text size="xs" c="dimmed">
                        {ftm.label(key)}
                      </Text>
                      <Text size="sm">
                        {entity.properties[key]!.map((value) => ftm.value(key, value)).join('; ')}
                      </Text>
                    </Stack>
                  ))}
                </SimpleGrid>
              </Section>
            ) : null}
            {entity.schema === 'Person' || data.occupancies.length > 0 ? (
              <Section title={t('registry.entity.positions')} testId="positions">
                <Positions items={data.occupancies} />
              </Section>
            ) : null}
            {entity.schema === 'Person' || data.sanctions.length > 0 ? (
              <Section title={t('registry.entity.sanctions')} testId="sanctions">
                <Links items={data.sanctions} empty={t('registry.entity.noSanctions')} />
              </Section>
            ) : null}
            {entity.schema === 'Person' || entity.schema === 'Organization' ? (
              <EntitySanctions entity={entity} />
            ) : null}
            <Incidents entityId={entity.id} alwaysShow={entity.schema === 'Person'} />
            {identifiers.length > 0 ? (
              <Section title={t('registry.entity.identifiers')}>
                <Links items={identifiers} />
              </Section>
            ) : null}
            {data.memberships.length > 0 ? (
              <Section title={t('registry.entity.memberships')}>
                <Links items={data.memberships} />
              </Section>
            ) : null}
            {data.addresses.length > 0 ? (
              <Section title={t('registry.entity.addresses')}>
                {data.addresses.map((address) => (
                  <Text key={address.id} size="sm">
                    {address.caption}
                  </Text>
                ))}
              </Section>
            ) : null}
            {data.references.length + data.referencedBy.length > 0 ? (
              <Section title={t('registry.entity.related')}>
                <Stack gap={4}>
                  {[...data.references, ...data.referencedBy].map((other) => (
                    <Group key={other.id} gap={6}>
                      <Badge variant="light" color="gray" radius="sm">
                        {schemaLabel(other.schema)}
                      </Badge>
                      <Anchor component={Link} to={entityLink(other)} size="sm">
                        {other.caption}
                      </Anchor>
                    </Group>
                  ))}
                </Stack>
              </Section>
            ) : null}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <Section title={t('registry.entity.provenance')}>
              <Provenance detail={data} />
            </Section>
            <Section title={t('registry.entity.properties')}>
              <Table verticalSpacing={4} fz="sm">
                <Table.Tbody>
                  {Object.entries(entity.properties).map(([key, values]) => (
                    <Table.Tr key={key}>
                      <Table.Td>
                        <Text size="xs" c="dimmed" title={key}>
                          {ftm.label(key)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {values.map((value) => (
                          <Text
                            key={value}
                            size="sm"
                            title={ftm.value(key, value) !== value ? value : undefined}
                          >
                            {ftm.value(key, value)}
                          </Text>
                        ))}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
