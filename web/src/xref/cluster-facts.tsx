/**
 * On an entity's page: when records of other datasets were decided to be the same person, every fact of
 * every member (those the reader may see), each value with the dataset it came from, and a link to the
 * cluster. Nothing is shown for a record that stands alone.
 */
import { Anchor, Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useFtmLabels } from '../registry/ftm-labels.js';
import { xrefApi } from './api.js';

const SHOWN_FIRST = [
  'name',
  'alias',
  'birthDate',
  'gender',
  'nationality',
  'idNumber',
  'passportNumber',
  'position',
];

export function ClusterFacts({ entityId }: { entityId: string }) {
  const { t } = useTranslation();
  const ftm = useFtmLabels();
  const merged = useQuery({
    queryKey: ['xref', 'merged', entityId],
    queryFn: () => xrefApi.merged(entityId),
  });
  const data = merged.data;
  if (!data || data.cluster.members.length < 2) return null;
  const properties = [...data.properties].sort(
    (a, b) =>
      (SHOWN_FIRST.indexOf(a.property) + 1 || 99) - (SHOWN_FIRST.indexOf(b.property) + 1 || 99) ||
      a.property.localeCompare(b.property),
  );
  return (
    <Card withBorder radius="md" padding="md" data-testid="cluster-facts">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h5">
          {t('xref.merged.title', { count: data.cluster.members.length })}
        </Title>
        <Anchor
          component={Link}
          to={`/xref/clusters/${data.cluster.id}`}
          size="sm"
          data-testid="cluster-link"
        >
          {data.cluster.id}
        </Anchor>
      </Group>
      <Group gap={6} mb="sm">
        {data.cluster.members.map((m) => (
          <Badge
            key={m.id}
            component={Link}
            to={`/registry/entities/${encodeURIComponent(m.id)}`}
            variant={m.id === entityId ? 'filled' : 'outline'}
            radius="sm"
            style={{ cursor: 'pointer' }}
          >
            {m.dataset}
          </Badge>
        ))}
      </Group>
      <Table>
        <Table.Tbody>
          {properties.map((p) => (
            <Table.Tr key={p.property}>
              <Table.Td w={160}>
                <Text size="sm" c="dimmed">
                  {ftm.label(p.property)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  {p.values.map((v) => (
                    <Group key={v.value} gap={6} wrap="nowrap">
                      <Text size="sm">{ftm.value(p.property, v.value)}</Text>
                      {v.sources.map((s) => (
                        <Badge key={s.entityId} size="xs" variant="light" color="gray" radius="sm">
                          {s.dataset}
                        </Badge>
                      ))}
                    </Group>
                  ))}
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
