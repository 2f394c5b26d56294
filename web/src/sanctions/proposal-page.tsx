/**
 * The proposal editor: identifying information with the completeness meter, reasons each with its
 * evidence picker (a statement without a link is marked: it cannot be approved), exculpatory
 * information, the governments proposed to with each one's state and submission log, and whether the
 * person is already listed. Saving after a review decision voids the approval (the server does it and
 * the page says so before).
 */
import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Code,
  Grid,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconLink, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { ExportDialog } from '../evidence/export-dialog.js';
import { useFormat } from '../i18n/format.js';
import { sanctionsApi } from './api.js';
import { LinkLabel, LinkPicker } from './link-picker.js';
import { CompletenessMeter, ListingsTable, StateChip, StateChips } from './parts.js';
import {
  defaultProgrammes,
  type Identity,
  jurisdictions,
  nextStates,
  type Proposal,
  type ProposalContent,
} from './types.js';

type TextField = Exclude<keyof Identity, 'otherNames' | 'citizenship' | 'positions' | 'gender'>;

export function ProposalPage() {
  const { t } = useTranslation();
  const { proposalId = '' } = useParams();
  const client = useQueryClient();
  const { user } = useSession();
  const detail = useQuery({
    queryKey: ['sanctions', 'proposal', proposalId],
    queryFn: () => sanctionsApi.proposal(proposalId),
  });
  const proposal = detail.data?.proposal;
  const [draft, setDraft] = useState<ProposalContent | null>(null);
  // A saved or reloaded version replaces what is being edited.
  useEffect(() => {
    if (proposal) setDraft(proposal.content);
  }, [proposal]);
  const refresh = () => client.invalidateQueries({ queryKey: ['sanctions'] });
  const save = useMutation({
    mutationFn: () => sanctionsApi.update(proposalId, draft!, proposal!.contentHash),
    onSuccess: () => {
      notifySuccess(t('sanctions.saved'));
      void refresh();
    },
  });
  const requestReview = useMutation({
    mutationFn: () => sanctionsApi.requestReview(proposalId),
    onSuccess: () => {
      notifySuccess(t('sanctions.reviewRequested'));
      void refresh();
    },
  });
  const [exporting, setExporting] = useState(false);
  if (!proposal || !draft) return <ErrorAlert error={detail.error} />;
  const evidenceIds = [
    ...new Set(
      proposal.content.reasons.flatMap((reason) =>
        reason.links.flatMap((link) => (link.kind === 'evidence' ? [link.ref] : [])),
      ),
    ),
  ];
  const canEdit = user?.role === 'admin' || user?.role === 'analyst';
  const dirty = JSON.stringify(draft) !== JSON.stringify(proposal.content);
  const decided = proposal.targets.some((target) => ['in_review', 'approved'].includes(target.state));
  const unlinked = draft.reasons.flatMap((reason, i) => (reason.links.length === 0 ? [i + 1] : []));
  return (
    <>
      <PageHeader
        title={`${proposal.reference} · ${proposal.caption}`}
        description={t('sanctions.editorDescription')}
        actions={
          <Group gap="xs">
            <StateChips proposal={proposal} />
            <Button
              size="xs"
              variant="default"
              component={Link}
              to={`/sanctions/proposals/${proposal.id}/review`}
            >
              {t('sanctions.toReview')}
            </Button>
            <Button
              size="xs"
              variant="default"
              component="a"
              href={sanctionsApi.exportUrl('dossier-pdf', { proposal: proposal.id })}
              download
            >
              {t('sanctions.dossier')}
            </Button>
            <Button
              size="xs"
              variant="default"
              disabled={evidenceIds.length === 0}
              onClick={() => setExporting(true)}
            >
              {t('sanctions.evidencePackage')}
            </Button>
            {canEdit && proposal.targets.some((target) => target.state === 'draft') ? (
              <Button
                size="xs"
                onClick={() => requestReview.mutate()}
                loading={requestReview.isPending}
                disabled={dirty}
                title={dirty ? t('sanctions.saveFirst') : undefined}
              >
                {t('sanctions.requestReview')}
              </Button>
            ) : null}
          </Group>
        }
      />
      {exporting ? (
        <ExportDialog target={{ itemIds: evidenceIds }} onClose={() => setExporting(false)} />
      ) : null}
      <Stack gap="sm">
        <Text size="sm">
          {t('sanctions.person')}:{' '}
          <Anchor component={Link} to={`/registry/entities/${encodeURIComponent(proposal.entityId)}`}>
            {proposal.caption}
          </Anchor>{' '}
          · {t('sanctions.contentHash')} <Code>{proposal.contentHash.slice(0, 16)}…</Code>
        </Text>
        <Paper withBorder p="sm">
          <CompletenessMeter identity={draft.identity} />
        </Paper>
        {canEdit && decided && dirty ? (
          <Alert color="orange" data-testid="edit-voids">
            {t('sanctions.editVoids')}
          </Alert>
        ) : null}
        {unlinked.length > 0 ? (
          <Alert color="yellow" data-testid="unlinked-warning">
            {t('sanctions.refusal.unlinked', { list: unlinked.join(', ') })}
          </Alert>
        ) : null}
        <ErrorAlert error={save.error ?? requestReview.error} />
        <Tabs defaultValue="identity" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="identity">{t('sanctions.tabs.identity')}</Tabs.Tab>
            <Tabs.Tab value="reasons">
              {t('sanctions.tabs.reasons')} ({draft.reasons.length})
            </Tabs.Tab>
            <Tabs.Tab value="targets">{t('sanctions.tabs.targets')}</Tabs.Tab>
            <Tabs.Tab value="listed">{t('sanctions.tabs.listed')}</Tabs.Tab>
            <Tabs.Tab value="log">{t('sanctions.tabs.log')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="identity" pt="sm">
            <IdentityForm
              identity={draft.identity}
              disabled={!canEdit}
              onChange={(identity) => setDraft({ ...draft, identity })}
            />
          </Tabs.Panel>
          <Tabs.Panel value="reasons" pt="sm">
            <ReasonsEditor draft={draft} disabled={!canEdit} onChange={setDraft} />
          </Tabs.Panel>
          <Tabs.Panel value="targets" pt="sm">
            <TargetsPanel proposal={proposal} draft={draft} disabled={!canEdit} onChange={setDraft} />
          </Tabs.Panel>
          <Tabs.Panel value="listed" pt="sm">
            <ProposalListings proposalId={proposal.id} />
          </Tabs.Panel>
          <Tabs.Panel value="log" pt="sm">
            <EventLog proposalId={proposal.id} />
          </Tabs.Panel>
        </Tabs>
        {canEdit ? (
          <Group justify="flex-end">
            <Button
              variant="default"
              disabled={!dirty}
              onClick={() => setDraft(proposal.content)}
              data-testid="discard"
            >
              {t('sanctions.discard')}
            </Button>
            <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!dirty}>
              {t('sanctions.save')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </>
  );
}

/** The columns of one position: its field, label key and width on a wide screen (of 12). */
const POSITION_FIELDS = [
  ['title', 'positionTitle', 4],
  ['organization', 'positionOrganization', 3],
  ['from', 'positionFrom', 2],
  ['to', 'positionTo', 2],
] as const;

function IdentityForm({
  identity,
  disabled,
  onChange,
}: {
  identity: Identity;
  disabled: boolean;
  onChange: (identity: Identity) => void;
}) {
  const { t } = useTranslation();
  const field = (key: TextField, hint?: string) => (
    <TextInput
      key={key}
      name={key}
      label={t(`sanctions.fields.${key}`)}
      description={hint}
      value={identity[key]}
      disabled={disabled}
      onChange={(e) => onChange({ ...identity, [key]: e.currentTarget.value })}
    />
  );
  const positions = identity.positions;
  const setPosition = (index: number, patch: Partial<Identity['positions'][number]>) =>
    onChange({
      ...identity,
      positions: positions.map((p, i) => (i === index ? { ...p, ...patch } : p)),
    });
  return (
    <Stack gap="sm" maw={1000}>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        {field('nameLatin')}
        {field('nameBelarusian')}
        {field('nameRussian')}
        {field('givenName')}
        {field('patronymic')}
        {field('familyName')}
      </SimpleGrid>
      <TagsInput
        label={t('sanctions.fields.otherNames')}
        value={identity.otherNames}
        disabled={disabled}
        onChange={(otherNames) => onChange({ ...identity, otherNames })}
      />
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        {field('birthDate', t('sanctions.dateHint'))}
        {field('birthPlace')}
        <Select
          label={t('sanctions.fields.gender')}
          data={(['male', 'female'] as const).map((value) => ({
            value,
            label: t(`sanctions.gender.${value}`),
          }))}
          value={identity.gender || null}
          clearable
          disabled={disabled}
          onChange={(value) => onChange({ ...identity, gender: (value ?? '') as Identity['gender'] })}
        />
        <TagsInput
          label={t('sanctions.fields.citizenship')}
          description={t('sanctions.citizenshipHint')}
          value={identity.citizenship}
          disabled={disabled}
          onChange={(citizenship) =>
            onChange({ ...identity, citizenship: citizenship.map((c) => c.trim().toLowerCase()) })
          }
        />
        {field('personalNumber')}
        {field('passportNumber')}
        {field('unit')}
      </SimpleGrid>
      <Textarea
        label={t('sanctions.fields.address')}
        value={identity.address}
        disabled={disabled}
        autosize
        minRows={1}
        onChange={(e) => onChange({ ...identity, address: e.currentTarget.value })}
      />
      <Text size="sm" fw={500}>
        {t('sanctions.fields.positions')}
      </Text>
      {positions.map((position, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a position's place in the list is its identity while edited.
        <Grid key={index} align="flex-end">
          {POSITION_FIELDS.map(([key, label, span]) => (
            <Grid.Col key={key} span={{ base: span < 3 ? 6 : 12, md: span }}>
              <TextInput
                label={t(`sanctions.${label}`)}
                placeholder={key === 'from' || key === 'to' ? t('sanctions.dateHint') : undefined}
                value={position[key]}
                disabled={disabled}
                onChange={(e) => setPosition(index, { [key]: e.currentTarget.value })}
              />
            </Grid.Col>
          ))}
          <Grid.Col span={{ base: 12, md: 1 }}>
            {disabled ? null : (
              <Button
                variant="subtle"
                color="red"
                aria-label={t('sanctions.remove')}
                onClick={() => onChange({ ...identity, positions: positions.filter((_, i) => i !== index) })}
              >
                <IconTrash size={16} aria-hidden />
              </Button>
            )}
          </Grid.Col>
        </Grid>
      ))}
      {disabled ? null : (
        <Group>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() =>
              onChange({
                ...identity,
                positions: [...positions, { title: '', organization: '', from: '', to: '' }],
              })
            }
          >
            {t('sanctions.addPosition')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function ReasonsEditor({
  draft,
  disabled,
  onChange,
}: {
  draft: ProposalContent;
  disabled: boolean;
  onChange: (draft: ProposalContent) => void;
}) {
  const { t } = useTranslation();
  const [picking, setPicking] = useState<number | null>(null);
  const reasons = draft.reasons;
  const setReason = (index: number, patch: Partial<ProposalContent['reasons'][number]>) =>
    onChange({ ...draft, reasons: reasons.map((r, i) => (i === index ? { ...r, ...patch } : r)) });
  return (
    <Stack gap="sm" maw={1000}>
      {reasons.map((reason, index) => (
        <Paper
          // biome-ignore lint/suspicious/noArrayIndexKey: a reason's number is its identity while it is edited.
          key={index}
          withBorder
          p="sm"
          data-testid="reason"
          style={reason.links.length === 0 ? { borderColor: 'var(--mantine-color-yellow-6)' } : undefined}
        >
          <Stack gap="xs">
            <Textarea
              label={t('sanctions.reasonN', { n: index + 1 })}
              autosize
              minRows={2}
              value={reason.text}
              disabled={disabled}
              name={`reason-${index + 1}`}
              onChange={(e) => setReason(index, { text: e.currentTarget.value })}
            />
            <Stack gap={4}>
              {reason.links.map((link) => (
                <Group key={`${link.kind}:${link.ref}`} gap="xs" wrap="nowrap">
                  <LinkLabel link={link} />
                  {disabled ? null : (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      onClick={() => setReason(index, { links: reason.links.filter((l) => l !== link) })}
                    >
                      {t('sanctions.unlink')}
                    </Button>
                  )}
                </Group>
              ))}
              {reason.links.length === 0 ? (
                <Text size="xs" c="yellow.8">
                  {t('sanctions.noLinks')}
                </Text>
              ) : null}
            </Stack>
            <Group justify="space-between">
              <Checkbox
                label={t('sanctions.confidential')}
                checked={reason.confidential}
                disabled={disabled}
                onChange={(e) => setReason(index, { confidential: e.currentTarget.checked })}
              />
              {disabled ? null : (
                <Group gap="xs">
                  <Button
                    size="xs"
                    variant="light"
                    leftSection={<IconLink size={14} aria-hidden />}
                    onClick={() => setPicking(index)}
                  >
                    {t('sanctions.pickEvidence')}
                  </Button>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    onClick={() => onChange({ ...draft, reasons: reasons.filter((_, i) => i !== index) })}
                  >
                    {t('sanctions.removeReason')}
                  </Button>
                </Group>
              )}
            </Group>
          </Stack>
        </Paper>
      ))}
      {picking !== null ? (
        <LinkPicker
          opened
          reasonNumber={picking + 1}
          taken={reasons[picking]?.links ?? []}
          onClose={() => setPicking(null)}
          onPick={(link) => {
            setReason(picking, { links: [...(reasons[picking]?.links ?? []), link] });
            setPicking(null);
          }}
        />
      ) : null}
      {disabled ? null : (
        <Group>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() =>
              onChange({ ...draft, reasons: [...reasons, { text: '', links: [], confidential: false }] })
            }
          >
            {t('sanctions.addReason')}
          </Button>
        </Group>
      )}
      <Textarea
        label={t('sanctions.exculpatory')}
        description={t('sanctions.exculpatoryHint')}
        autosize
        minRows={3}
        value={draft.exculpatory}
        disabled={disabled}
        name="exculpatory"
        onChange={(e) => onChange({ ...draft, exculpatory: e.currentTarget.value })}
      />
      <Textarea
        label={t('sanctions.nationalInterest')}
        autosize
        minRows={2}
        value={draft.nationalInterest}
        disabled={disabled}
        name="nationalInterest"
        onChange={(e) => onChange({ ...draft, nationalInterest: e.currentTarget.value })}
      />
    </Stack>
  );
}

/** The governments proposed to: programme per jurisdiction (part of the content) and each one's state. */
function TargetsPanel({
  proposal,
  draft,
  disabled,
  onChange,
}: {
  proposal: Proposal;
  draft: ProposalContent;
  disabled: boolean;
  onChange: (draft: ProposalContent) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const [date, setDate] = useState('');
  const [note, setNote] = useState('');
  const move = useMutation({
    mutationFn: (input: { jurisdiction: (typeof jurisdictions)[number]; to: string }) =>
      sanctionsApi.transition(proposal.id, {
        ...input,
        ...(date.trim() ? { date: date.trim() } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: () => {
      setNote('');
      void client.invalidateQueries({ queryKey: ['sanctions'] });
    },
  });
  return (
    <Stack gap="sm" maw={1000}>
      <Table verticalSpacing={6} aria-label={t('sanctions.tabs.targets')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={200}>{t('sanctions.jurisdiction')}</Table.Th>
            <Table.Th>{t('sanctions.programme')}</Table.Th>
            <Table.Th>{t('sanctions.state')}</Table.Th>
            <Table.Th>{t('sanctions.nextStep')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {jurisdictions.map((j) => {
            const wanted = draft.targets.find((target) => target.jurisdiction === j);
            const live = proposal.targets.find((target) => target.jurisdiction === j);
            return (
              <Table.Tr key={j}>
                <Table.Td>
                  <Checkbox
                    label={t(`sanctions.authorities.${j}`)}
                    checked={!!wanted}
                    disabled={disabled}
                    onChange={(e) =>
                      onChange({
                        ...draft,
                        targets: e.currentTarget.checked
                          ? [...draft.targets, { jurisdiction: j, programme: defaultProgrammes[j] }]
                          : draft.targets.filter((target) => target.jurisdiction !== j),
                      })
                    }
                  />
                </Table.Td>
                <Table.Td>
                  {wanted ? (
                    <TextInput
                      size="xs"
                      aria-label={`${t('sanctions.programme')} ${j}`}
                      value={wanted.programme}
                      disabled={disabled}
                      onChange={(e) =>
                        onChange({
                          ...draft,
                          targets: draft.targets.map((target) =>
                            target.jurisdiction === j
                              ? { ...target, programme: e.currentTarget.value }
                              : target,
                          ),
                        })
                      }
                    />
                  ) : null}
                </Table.Td>
                <Table.Td>
                  {live ? (
                    <Stack gap={0}>
                      <StateChip jurisdiction={j} state={live.state} />
                      <Text size="xs" c="dimmed">
                        {format.dateTime(live.stateChangedAt)}
                      </Text>
                    </Stack>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {live && !disabled
                      ? nextStates[live.state].map((to) => (
                          <Button
                            key={to}
                            size="compact-xs"
                            variant="light"
                            onClick={() => move.mutate({ jurisdiction: j, to })}
                            loading={move.isPending}
                          >
                            {t(`sanctions.states.${to}`)}
                          </Button>
                        ))
                      : null}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {disabled ? null : (
        <Group align="flex-end">
          <TextInput
            size="xs"
            label={t('sanctions.eventDate')}
            placeholder={t('sanctions.dateHint')}
            value={date}
            onChange={(e) => setDate(e.currentTarget.value)}
          />
          <TextInput
            size="xs"
            w={400}
            label={t('sanctions.eventNote')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
        </Group>
      )}
      <ErrorAlert error={move.error} />
    </Stack>
  );
}

function ProposalListings({ proposalId }: { proposalId: string }) {
  const listings = useQuery({
    queryKey: ['sanctions', 'listings', proposalId],
    queryFn: () => sanctionsApi.listings(proposalId),
  });
  if (!listings.data) return <ErrorAlert error={listings.error} />;
  return <ListingsTable items={listings.data.items} />;
}

function EventLog({ proposalId }: { proposalId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const events = useQuery({
    queryKey: ['sanctions', 'events', proposalId],
    queryFn: () => sanctionsApi.events(proposalId),
  });
  if (!events.data) return <ErrorAlert error={events.error} />;
  return (
    <Table verticalSpacing={4} fz="sm" aria-label={t('sanctions.tabs.log')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('sanctions.at')}</Table.Th>
          <Table.Th>{t('sanctions.jurisdiction')}</Table.Th>
          <Table.Th>{t('sanctions.stateChange')}</Table.Th>
          <Table.Th>{t('sanctions.eventDate')}</Table.Th>
          <Table.Th>{t('sanctions.actor')}</Table.Th>
          <Table.Th>{t('sanctions.contentHash')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {events.data.items.map((e) => (
          <Table.Tr key={`${e.at}-${e.jurisdiction}-${e.toState}`}>
            <Table.Td>{format.dateTime(e.at)}</Table.Td>
            <Table.Td>{e.jurisdiction ?? '—'}</Table.Td>
            <Table.Td>
              {e.fromState ? t(`sanctions.states.${e.fromState}`) : '∅'} →{' '}
              {e.toState ? t(`sanctions.states.${e.toState}`) : '∅'}
              {e.note ? ` · ${e.note}` : ''}
            </Table.Td>
            <Table.Td>{e.date ?? ''}</Table.Td>
            <Table.Td>{e.actor}</Table.Td>
            <Table.Td>
              <Code>{e.contentHash.slice(0, 12)}</Code>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
