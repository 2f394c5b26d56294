/**
 * Pieces the sanctions pages share: the state chip of one jurisdiction, the completeness meter of the
 * identifying-information checklist, the table of official listings ("already listed?"), and the dialog
 * that starts a proposal for a registry entity.
 */
import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Progress,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { completeness } from '../../../src/sanctions/completeness.js';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { useFormat } from '../i18n/format.js';
import { registryApi } from '../registry/api.js';
import { sanctionsApi } from './api.js';
import {
  defaultProgrammes,
  type Identity,
  type Jurisdiction,
  jurisdictions,
  type OfficialListing,
  type Proposal,
  type ProposalState,
} from './types.js';

const stateColor: Record<ProposalState, string> = {
  draft: 'gray',
  in_review: 'orange',
  approved: 'green',
  submitted: 'blue',
  listed: 'teal',
  not_listed: 'red',
  partially_listed: 'yellow',
};

/** One jurisdiction and its state, e.g. "ЕС · на рэцэнзіі". */
export function StateChip({ jurisdiction, state }: { jurisdiction: string; state: ProposalState }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={stateColor[state]}
      variant="light"
      radius="sm"
      data-testid={`state-${jurisdiction}`}
      data-state={state}
    >
      {jurisdiction} · {t(`sanctions.states.${state}`)}
    </Badge>
  );
}

export function StateChips({ proposal }: { proposal: Proposal }) {
  return (
    <Group gap={4}>
      {proposal.targets.map((target) => (
        <StateChip key={target.jurisdiction} jurisdiction={target.jurisdiction} state={target.state} />
      ))}
    </Group>
  );
}

/** The share of the checklist filled, with the missing items named (the server scores by the same rule). */
export function CompletenessMeter({ identity, compact = false }: { identity: Identity; compact?: boolean }) {
  const { t } = useTranslation();
  const { score, items } = completeness(identity);
  const percent = Math.round(score * 100);
  const color = percent >= 80 ? 'green' : percent >= 50 ? 'yellow' : 'red';
  const missing = items.filter((item) => !item.present);
  if (compact)
    return (
      <Tooltip
        label={missing.map((m) => t(`sanctions.fields.${m.key}`)).join(', ') || t('sanctions.complete')}
      >
        <Group gap={6} wrap="nowrap" w={120}>
          <Progress value={percent} color={color} size="sm" style={{ flex: 1 }} aria-hidden />
          <Text size="xs">{percent}%</Text>
        </Group>
      </Tooltip>
    );
  return (
    <Stack gap={4} data-testid="completeness">
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          {t('sanctions.completeness')}
        </Text>
        <Text size="sm" fw={600} data-testid="completeness-score">
          {percent}%
        </Text>
      </Group>
      <Progress
        value={percent}
        color={color}
        aria-label={t('sanctions.completeness')}
        aria-valuetext={`${percent}%`}
      />
      {missing.length > 0 ? (
        <Group gap={4}>
          <Text size="xs" c="dimmed">
            {t('sanctions.missing')}
          </Text>
          {missing.map((item) => (
            <Badge key={item.key} size="xs" variant="outline" color="gray" radius="sm">
              {t(`sanctions.fields.${item.key}`)}
            </Badge>
          ))}
        </Group>
      ) : null}
    </Stack>
  );
}

/** Who lists the person already, since when, and which identifiers differ between us and them. */
export function ListingsTable({ items }: { items: OfficialListing[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (items.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('sanctions.noListings')}
      </Text>
    );
  return (
    <Table verticalSpacing={4} fz="sm" data-testid="official-listings">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('sanctions.listedBy')}</Table.Th>
          <Table.Th>{t('sanctions.listRecord')}</Table.Th>
          <Table.Th>{t('sanctions.since')}</Table.Th>
          <Table.Th>{t('sanctions.differences')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((listing) => (
          <Table.Tr key={`${listing.dataset}:${listing.listId}`}>
            <Table.Td>
              <Text size="sm" fw={500}>
                {t(`sanctions.authorities.${listing.authority}`, { defaultValue: listing.authority })}
              </Text>
              <Text size="xs" c="dimmed">
                {listing.dataset}
              </Text>
            </Table.Td>
            <Table.Td>
              <Anchor
                component={Link}
                to={`/registry/entities/${encodeURIComponent(listing.entityId)}`}
                size="sm"
              >
                {listing.caption}
              </Anchor>
              <Text size="xs" c="dimmed">
                {listing.listId} · {t('sanctions.score')}: {listing.score.toFixed(2)}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">
                {listing.listingDate ? format.date(listing.listingDate) : format.date(listing.firstSeen)}
              </Text>
              {listing.endedAt ? (
                <Badge size="xs" color="gray" radius="sm">
                  {t('sanctions.ended')} {format.date(listing.endedAt)}
                </Badge>
              ) : (
                <Badge size="xs" color="red" variant="light" radius="sm">
                  {t('sanctions.active')}
                </Badge>
              )}
            </Table.Td>
            <Table.Td>
              {listing.differences.length === 0 ? (
                <Text size="xs" c="dimmed">
                  —
                </Text>
              ) : (
                <Stack gap={2}>
                  {listing.differences.map((d) => (
                    <Text key={d.field} size="xs">
                      <b>{t(`sanctions.fields.${d.field}`)}</b>: {t('sanctions.ours')}{' '}
                      {d.ours.join(', ') || '—'}
                      {' · '}
                      {t('sanctions.theirs')} {d.theirs.join(', ') || '—'}
                    </Text>
                  ))}
                </Stack>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * Starts a proposal: the person (fixed when opened from their page, else searched in the registry), the
 * governments to propose to and the programme for each. The server fills the identifying information
 * from the registry record.
 */
export function NewProposalDialog({
  opened,
  onClose,
  entity,
}: {
  opened: boolean;
  onClose: () => void;
  entity?: { id: string; caption: string };
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [chosen, setChosen] = useState<{ id: string; caption: string } | null>(entity ?? null);
  const [targets, setTargets] = useState<Partial<Record<Jurisdiction, string>>>({ EU: defaultProgrammes.EU });
  const found = useQuery({
    queryKey: ['registry', 'entities', 'proposal-search', debounced],
    queryFn: () => registryApi.entities({ q: debounced, limit: 10 }),
    enabled: !entity && debounced.trim().length >= 2,
  });
  const create = useMutation({
    mutationFn: () =>
      sanctionsApi.create(
        chosen!.id,
        jurisdictions
          .filter((j) => targets[j] !== undefined)
          .map((j) => ({ jurisdiction: j, programme: targets[j]!.trim() })),
      ),
    onSuccess: ({ proposal }) => {
      notifySuccess(t('sanctions.created', { reference: proposal.reference }));
      onClose();
      void navigate(`/sanctions/proposals/${proposal.id}`);
    },
  });
  const chosenTargets = jurisdictions.filter((j) => targets[j] !== undefined);
  return (
    <Modal opened={opened} onClose={onClose} title={t('sanctions.new')} size="lg">
      <Stack gap="sm">
        {chosen ? (
          <Group justify="space-between">
            <Text size="sm">
              {t('sanctions.person')}: <b data-testid="proposal-entity">{chosen.caption}</b>
            </Text>
            {entity ? null : (
              <Button size="compact-xs" variant="subtle" onClick={() => setChosen(null)}>
                {t('sanctions.change')}
              </Button>
            )}
          </Group>
        ) : (
          <>
            <TextInput
              label={t('sanctions.entitySearch')}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              data-autofocus
            />
            <Stack gap={2}>
              {(found.data?.items ?? []).map((item) => (
                <Button
                  key={item.id}
                  variant="subtle"
                  justify="flex-start"
                  size="compact-sm"
                  onClick={() => setChosen({ id: item.id, caption: item.caption })}
                >
                  {item.caption} · {item.schema}
                </Button>
              ))}
            </Stack>
          </>
        )}
        <Text size="sm" fw={500}>
          {t('sanctions.targets')}
        </Text>
        {jurisdictions.map((j) => (
          <Group key={j} gap="sm" align="center">
            <Checkbox
              w={160}
              label={t(`sanctions.authorities.${j}`)}
              checked={targets[j] !== undefined}
              onChange={(e) => {
                const next = { ...targets };
                if (e.currentTarget.checked) next[j] = defaultProgrammes[j];
                else delete next[j];
                setTargets(next);
              }}
            />
            {targets[j] !== undefined ? (
              <TextInput
                size="xs"
                aria-label={`${t('sanctions.programme')} ${j}`}
                placeholder={t('sanctions.programme')}
                value={targets[j]}
                onChange={(e) => setTargets({ ...targets, [j]: e.currentTarget.value })}
              />
            ) : null}
          </Group>
        ))}
        <ErrorAlert error={create.error} />
        <Group justify="flex-end">
          <Button
            onClick={() => create.mutate()}
            loading={create.isPending}
            disabled={!chosen || chosenTargets.length === 0 || chosenTargets.some((j) => !targets[j]?.trim())}
          >
            {t('sanctions.create')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
