/**
 * The sanctions part of a person's page: our listing proposals for them (each with its state per
 * jurisdiction) and the official lists that already name them, with a button to start a proposal.
 */
import { Anchor, Button, Card, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { IconGavel } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { ErrorAlert } from '../components/error-alert.js';
import { sanctionsApi } from './api.js';
import { CompletenessMeter, ListingsTable, NewProposalDialog, StateChips } from './parts.js';

export function EntitySanctions({ entity }: { entity: { id: string; caption: string; schema: string } }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [creating, setCreating] = useState(false);
  const proposals = useQuery({
    queryKey: ['sanctions', 'proposals', 'entity', entity.id],
    queryFn: () => sanctionsApi.proposals({ entity: entity.id }),
  });
  const listings = useQuery({
    queryKey: ['sanctions', 'entity-listings', entity.id],
    queryFn: () => sanctionsApi.entityListings(entity.id),
  });
  const canPropose =
    (user?.role === 'admin' || user?.role === 'analyst') &&
    (entity.schema === 'Person' || entity.schema === 'Organization');
  const items = proposals.data?.items ?? [];
  return (
    <Card withBorder radius="md" padding="md" data-testid="entity-sanctions">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h5">
          {t('sanctions.entityTitle')}
        </Title>
        {canPropose ? (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconGavel size={14} aria-hidden />}
            onClick={() => setCreating(true)}
          >
            {t('sanctions.propose')}
          </Button>
        ) : null}
      </Group>
      {creating ? <NewProposalDialog opened entity={entity} onClose={() => setCreating(false)} /> : null}
      <Stack gap="sm">
        <Text size="sm" fw={500}>
          {t('sanctions.ourProposals')}
        </Text>
        <ErrorAlert error={proposals.error} />
        {proposals.isLoading ? <Loader size="sm" aria-label={t('common.loading')} /> : null}
        {proposals.data && items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('sanctions.noProposals')}
          </Text>
        ) : null}
        {items.length > 0 ? (
          <Table verticalSpacing={4} fz="sm" data-testid="entity-proposals">
            <Table.Tbody>
              {items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/sanctions/proposals/${p.id}`} size="sm">
                      {p.reference}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <StateChips proposal={p} />
                  </Table.Td>
                  <Table.Td>
                    <CompletenessMeter identity={p.content.identity} compact />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
        <Text size="sm" fw={500}>
          {t('sanctions.officialListings')}
        </Text>
        <ErrorAlert error={listings.error} />
        {listings.isLoading ? <Loader size="sm" aria-label={t('common.loading')} /> : null}
        {listings.data ? <ListingsTable items={listings.data.items} /> : null}
      </Stack>
    </Card>
  );
}
