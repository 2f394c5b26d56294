/**
 * A cluster: the records judged to be one person (those you may see), the decisions between them and the
 * cluster's history. A member can be split out, with a reason; the rest stays together under a new id.
 * An id that was merged into another or split shows where its members are now.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { xrefApi } from './api.js';
import type { EntitySummary } from './types.js';

export function ClusterPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { id = '' } = useParams();
  const [splitting, setSplitting] = useState<EntitySummary | null>(null);
  const [reason, setReason] = useState('');
  const cluster = useQuery({ queryKey: ['xref', 'cluster', id], queryFn: () => xrefApi.cluster(id) });
  const split = useMutation({
    mutationFn: () => xrefApi.split(cluster.data!.cluster.current, splitting!.id, reason.trim()),
    onSuccess: async (result) => {
      notifySuccess(t('xref.cluster.splitDone'));
      setSplitting(null);
      setReason('');
      await queryClient.invalidateQueries({ queryKey: ['xref'] });
      if (result.cluster) await navigate(`/xref/clusters/${result.cluster}`);
    },
  });

  if (cluster.error) return <ErrorAlert error={cluster.error} />;
  const view = cluster.data?.cluster;
  if (!view) return null;
  const retired = view.current !== view.id;
  return (
    <>
      <PageHeader
        title={t('xref.cluster.title', { id: view.current })}
        description={t('xref.cluster.description', { count: view.members.length })}
      />
      {retired ? (
        <Alert color="yellow" mb="md" data-testid="cluster-retired">
          {t(`xref.cluster.retired.${view.retiredAs ?? 'merged'}`, { id: view.id })}{' '}
          <Anchor component={Link} to={`/xref/clusters/${view.current}`}>
            {view.current}
          </Anchor>
        </Alert>
      ) : null}
      <Card withBorder padding="md" mb="md">
        <Title order={2} size="h5" mb="sm">
          {t('xref.cluster.members')}
        </Title>
        <Table data-testid="cluster-members">
          <Table.Tbody>
            {view.members.map((member) => (
              <Table.Tr key={member.id} data-testid="cluster-member">
                <Table.Td>
                  <Anchor component={Link} to={`/registry/entities/${encodeURIComponent(member.id)}`}>
                    {member.caption}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {member.id}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="outline" radius="sm">
                    {member.dataset}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {!retired && view.members.length > 1 ? (
                    <Button
                      size="compact-sm"
                      variant="light"
                      color="red"
                      onClick={() => setSplitting(member)}
                    >
                      {t('xref.cluster.split')}
                    </Button>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder padding="md" mb="md">
        <Title order={2} size="h5" mb="sm">
          {t('xref.cluster.decisions')}
        </Title>
        <Stack gap={4}>
          {view.decisions.map((d) => (
            <Group key={d.id} gap="xs" wrap="nowrap">
              <Badge
                color={d.judgement === 'positive' ? 'teal' : d.judgement === 'negative' ? 'red' : 'yellow'}
              >
                {t(`xref.judgements.${d.judgement}`)}
              </Badge>
              <Text size="sm">
                {d.left.caption} ↔ {d.right.caption}
              </Text>
              <Text size="xs" c="dimmed">
                {`${t(`xref.methods.${d.method}`)} · ${d.user} · ${format.dateTime(d.createdAt)}${d.reason ? ` · ${d.reason}` : ''}`}
              </Text>
            </Group>
          ))}
        </Stack>
      </Card>
      {view.lineage.length > 0 ? (
        <Card withBorder padding="md">
          <Title order={2} size="h5" mb="sm">
            {t('xref.cluster.history')}
          </Title>
          <Stack gap={4}>
            {view.lineage.map((l) => (
              <Stack key={`${l.parent}:${l.child}`} gap={0} data-testid="cluster-lineage">
                <Text size="sm">
                  {format.dateTime(l.createdAt)} · {t(`xref.cluster.lineage.${l.kind}`)}:{' '}
                  <Anchor component={Link} to={`/xref/clusters/${l.parent}`}>
                    {l.parent}
                  </Anchor>{' '}
                  →{' '}
                  <Anchor component={Link} to={`/xref/clusters/${l.child}`}>
                    {l.child}
                  </Anchor>
                </Text>
                {l.decision ? (
                  <Text size="xs" c="dimmed">
                    {`${t(`xref.judgements.${l.decision.judgement}`)}: ${l.decision.left.caption} ↔ ${l.decision.right.caption} · ${l.decision.user}${l.decision.reason ? ` · ${l.decision.reason}` : ''}`}
                  </Text>
                ) : null}
              </Stack>
            ))}
          </Stack>
        </Card>
      ) : null}
      <Modal
        opened={splitting !== null}
        onClose={() => setSplitting(null)}
        title={t('xref.cluster.splitTitle')}
        centered
      >
        <Stack gap="sm">
          <Text size="sm">{t('xref.cluster.splitMessage', { name: splitting?.caption ?? '' })}</Text>
          <Textarea
            label={t('xref.cluster.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
            autosize
            minRows={2}
            data-testid="split-reason"
          />
          <ErrorAlert error={split.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setSplitting(null)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              disabled={reason.trim() === ''}
              loading={split.isPending}
              onClick={() => split.mutate()}
              data-testid="split-confirm"
            >
              {t('xref.cluster.split')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
