/**
 * The review of a proposal by a second officer: the content as it will be approved (identifying
 * information, reasons with their evidence, exculpatory information), the hash the decision binds to,
 * what is already on official lists, the decisions so far, and approve / return with a comment. Why
 * approving is not possible is said before trying (the author, an editor, an unlinked statement, a role
 * that does not approve); the server enforces the same rules.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Grid,
  Group,
  List,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { DetailRow } from '../components/detail-row.js';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { sanctionsApi } from './api.js';
import { LinkLabel } from './link-picker.js';
import { CompletenessMeter, ListingsTable, StateChips } from './parts.js';
import { checklist, type Proposal, type ReviewStatus } from './types.js';

/** Why this person cannot approve this version now, in the order a reviewer would fix them. */
function refusals(
  proposal: Proposal,
  review: ReviewStatus | undefined,
  user: { id: string; role: string } | null,
  t: (key: string, options?: Record<string, unknown>) => string,
): string[] {
  const out: string[] = [];
  if (!user || !['admin', 'reviewer'].includes(user.role)) out.push(t('sanctions.refusal.role'));
  if (user && review?.contributors.includes(`user:${user.id}`)) out.push(t('sanctions.refusal.author'));
  if (user && review?.approvals.some((a) => a.reviewer === `user:${user.id}`))
    out.push(t('sanctions.refusal.already'));
  const reasons = proposal.content.reasons;
  if (reasons.length === 0) out.push(t('sanctions.refusal.noReasons'));
  const unlinked = reasons.flatMap((reason, i) => (reason.links.length === 0 ? [i + 1] : []));
  if (unlinked.length > 0) out.push(t('sanctions.refusal.unlinked', { list: unlinked.join(', ') }));
  if (!proposal.targets.some((target) => target.state === 'in_review'))
    out.push(t('sanctions.refusal.state'));
  return out;
}

export function ProposalReviewPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { proposalId = '' } = useParams();
  const { user } = useSession();
  const client = useQueryClient();
  const [comment, setComment] = useState('');
  const detail = useQuery({
    queryKey: ['sanctions', 'proposal', proposalId],
    queryFn: () => sanctionsApi.proposal(proposalId),
  });
  const review = useQuery({
    queryKey: ['sanctions', 'review', proposalId],
    queryFn: () => sanctionsApi.review(proposalId),
  });
  const listings = useQuery({
    queryKey: ['sanctions', 'listings', proposalId],
    queryFn: () => sanctionsApi.listings(proposalId),
  });
  const done = (message: string) => {
    notifySuccess(message);
    setComment('');
    void client.invalidateQueries({ queryKey: ['sanctions'] });
  };
  const proposal = detail.data?.proposal;
  const hash = proposal?.contentHash ?? '';
  const approve = useMutation({
    mutationFn: () => sanctionsApi.approve(proposalId, hash, comment.trim() || undefined),
    onSuccess: () => done(t('sanctions.approved')),
  });
  const sendBack = useMutation({
    mutationFn: () => sanctionsApi.returnForChanges(proposalId, hash, comment.trim()),
    onSuccess: () => done(t('sanctions.returned')),
  });
  if (!proposal) return <ErrorAlert error={detail.error} />;
  const status = review.data?.review;
  const why = refusals(proposal, status, user, t as never);
  const identity = proposal.content.identity;
  const inReview = proposal.targets.some((target) => target.state === 'in_review');
  const mayDecide = !!user && ['admin', 'reviewer'].includes(user.role);
  return (
    <>
      <PageHeader
        title={t('sanctions.reviewTitle', { reference: proposal.reference })}
        description={proposal.caption}
        actions={
          <Group gap="xs">
            <StateChips proposal={proposal} />
            <Button size="xs" variant="default" component={Link} to={`/sanctions/proposals/${proposal.id}`}>
              {t('sanctions.toEditor')}
            </Button>
          </Group>
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <Paper withBorder p="sm">
              <CompletenessMeter identity={identity} />
            </Paper>
            <Paper withBorder p="sm">
              <Title order={2} size="h5" mb="xs">
                {t('sanctions.tabs.identity')}
              </Title>
              <Table verticalSpacing={4} fz="sm">
                <Table.Tbody>
                  {checklist.map((key) => (
                    <DetailRow key={key} label={t(`sanctions.fields.${key}`)}>
                      {key === 'positions'
                        ? identity.positions
                            .map(
                              (p) =>
                                `${p.title}${p.organization ? `, ${p.organization}` : ''} (${p.from || '?'} – ${p.to || '…'})`,
                            )
                            .join('; ') || '—'
                        : key === 'citizenship'
                          ? identity.citizenship.join(', ').toUpperCase() || '—'
                          : key === 'gender'
                            ? identity.gender
                              ? t(`sanctions.gender.${identity.gender}`)
                              : '—'
                            : identity[key] || '—'}
                    </DetailRow>
                  ))}
                  {identity.otherNames.length > 0 ? (
                    <DetailRow label={t('sanctions.fields.otherNames')}>
                      {identity.otherNames.join('; ')}
                    </DetailRow>
                  ) : null}
                </Table.Tbody>
              </Table>
            </Paper>
            <Paper withBorder p="sm" data-testid="review-reasons">
              <Title order={2} size="h5" mb="xs">
                {t('sanctions.tabs.reasons')}
              </Title>
              <Stack gap="sm">
                {proposal.content.reasons.map((reason, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: reasons are numbered in the document.
                  <Stack key={index} gap={4}>
                    <Group gap="xs">
                      <Text size="sm" fw={600}>
                        {index + 1}.
                      </Text>
                      {reason.confidential ? (
                        <Badge size="xs" color="grape" radius="sm">
                          {t('sanctions.confidentialShort')}
                        </Badge>
                      ) : null}
                    </Group>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {reason.text}
                    </Text>
                    {reason.links.length === 0 ? (
                      <Text size="xs" c="red">
                        {t('sanctions.noLinks')}
                      </Text>
                    ) : (
                      reason.links.map((link) => <LinkLabel key={`${link.kind}:${link.ref}`} link={link} />)
                    )}
                  </Stack>
                ))}
                {proposal.content.exculpatory ? (
                  <Stack gap={2}>
                    <Text size="sm" fw={600}>
                      {t('sanctions.exculpatory')}
                    </Text>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {proposal.content.exculpatory}
                    </Text>
                  </Stack>
                ) : null}
              </Stack>
            </Paper>
            <Paper withBorder p="sm">
              <Title order={2} size="h5" mb="xs">
                {t('sanctions.tabs.listed')}
              </Title>
              <ErrorAlert error={listings.error} />
              {listings.data ? <ListingsTable items={listings.data.items} /> : null}
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <Paper withBorder p="sm" data-testid="review-decision">
              <Stack gap="xs">
                <Text size="sm">
                  {t('sanctions.contentHash')} <Code data-testid="content-hash">{hash.slice(0, 16)}…</Code>
                </Text>
                {status?.approved ? (
                  <Alert color="green" data-testid="approved-version">
                    {t('sanctions.approvedVersion', {
                      who: status.approvals.map((a) => a.reviewerLabel ?? a.reviewer).join(', '),
                      hash: hash.slice(0, 16),
                    })}
                  </Alert>
                ) : null}
                {why.length > 0 ? (
                  <Alert color="orange" title={t('sanctions.whyNot')} data-testid="approve-refusals">
                    <List size="sm">
                      {why.map((line) => (
                        <List.Item key={line}>{line}</List.Item>
                      ))}
                    </List>
                  </Alert>
                ) : null}
                {mayDecide && inReview ? (
                  <>
                    <Textarea
                      label={t('sanctions.comment')}
                      description={t('sanctions.commentHint')}
                      value={comment}
                      onChange={(e) => setComment(e.currentTarget.value)}
                      autosize
                      minRows={2}
                      name="reviewComment"
                    />
                    <ErrorAlert error={approve.error ?? sendBack.error} />
                    <Group justify="flex-end">
                      <Button
                        variant="light"
                        color="orange"
                        onClick={() => sendBack.mutate()}
                        loading={sendBack.isPending}
                        disabled={!comment.trim()}
                      >
                        {t('sanctions.return')}
                      </Button>
                      <Button
                        color="green"
                        onClick={() => approve.mutate()}
                        loading={approve.isPending}
                        disabled={why.length > 0}
                      >
                        {t('sanctions.approve')}
                      </Button>
                    </Group>
                  </>
                ) : null}
              </Stack>
            </Paper>
            <Paper withBorder p="sm">
              <Title order={2} size="h5" mb="xs">
                {t('sanctions.decisions')}
              </Title>
              {(status?.history ?? []).length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('sanctions.noDecisions')}
                </Text>
              ) : null}
              <Stack gap={4}>
                {(status?.history ?? []).map((d) => (
                  <Text size="xs" key={d.id} c={d.voidedAt ? 'dimmed' : undefined}>
                    {format.dateTime(d.decidedAt)} · {d.reviewerLabel ?? d.reviewer} ·{' '}
                    {t(`sanctions.decision.${d.decision}`)} · <Code>{d.contentHash.slice(0, 8)}</Code>
                    {d.voidedAt ? ` · ${t('sanctions.voided')}` : ''}
                    {d.comment ? ` — ${d.comment}` : ''}
                  </Text>
                ))}
              </Stack>
              <Anchor component={Link} to={`/sanctions/proposals/${proposal.id}`} size="xs">
                {t('sanctions.tabs.log')}
              </Anchor>
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
