/**
 * One verification case: the request and its subject, screening hits reviewed one by one, the findings
 * editor, cited evidence, the history, reports (draft preview, released download) and the review panel
 * with a side-by-side of what changed since the last review decision. The server enforces every rule
 * (four eyes included); this page only offers the steps the case's state allows.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Grid,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { DetailRow } from '../components/detail-row.js';
import { ErrorAlert, notifySuccess } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { casesApi } from './api.js';
import { StatusBadge } from './cases-list-page.js';
import { type CaseDetail, conclusions, confidences, type FindingLink, type Findings } from './types.js';

function download(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function CasePage() {
  const { t, i18n } = useTranslation();
  const { caseId = '' } = useParams();
  const client = useQueryClient();
  const format = useFormat();
  const session = useSession();
  const detail = useQuery({ queryKey: ['cases', 'case', caseId], queryFn: () => casesApi.get(caseId) });
  const refresh = () => client.invalidateQueries({ queryKey: ['cases'] });
  const step = useMutation({
    mutationFn: (name: 'accept' | 'screen' | 'submit' | 'close') => casesApi.step(caseId, name),
    onSuccess: () => refresh(),
  });
  const [declineReason, setDeclineReason] = useState('');
  const decline = useMutation({
    mutationFn: () => casesApi.decline(caseId, declineReason),
    onSuccess: refresh,
  });
  const draft = useMutation({
    mutationFn: (isDraft: boolean) => casesApi.issueReport(caseId, isDraft, i18n.language.slice(0, 2)),
    onSuccess: (blob, isDraft) => {
      download(blob, `${c?.number ?? 'case'}${isDraft ? '-draft' : ''}.pdf`);
      void refresh();
    },
  });
  const c = detail.data;
  if (!c) return <ErrorAlert error={detail.error} />;
  const me = session.user?.id;
  return (
    <>
      <PageHeader
        title={`${t('cases.case')} ${c.number}`}
        description={`${c.requesterOrg} · ${c.purpose}`}
        actions={
          <Group gap="xs">
            <StatusBadge status={c.status} />
            {c.status === 'received' ? (
              <Button size="xs" onClick={() => step.mutate('accept')} loading={step.isPending}>
                {t('cases.accept')}
              </Button>
            ) : null}
            {['received', 'accepted', 'in_progress'].includes(c.status) && !c.erased ? (
              <Button
                size="xs"
                variant="light"
                onClick={() => step.mutate('screen')}
                loading={step.isPending}
              >
                {t('cases.screen')}
              </Button>
            ) : null}
            {c.status === 'in_progress' ? (
              <Button size="xs" onClick={() => step.mutate('submit')} loading={step.isPending}>
                {t('cases.submit')}
              </Button>
            ) : null}
            {c.status === 'released' ? (
              <Button size="xs" variant="light" onClick={() => step.mutate('close')}>
                {t('cases.close')}
              </Button>
            ) : null}
            {!c.erased ? (
              <Button
                size="xs"
                variant="default"
                onClick={() => draft.mutate(true)}
                loading={draft.isPending}
              >
                {t('cases.draftReport')}
              </Button>
            ) : null}
            {c.reports.some((r) => !r.draft) ? (
              <Button size="xs" variant="default" component="a" href={casesApi.releasedPdfUrl(caseId)}>
                {t('cases.releasedReport')}
              </Button>
            ) : null}
          </Group>
        }
      />
      <Stack gap="sm">
        <ErrorAlert error={step.error ?? decline.error ?? draft.error} />
        {c.erased ? (
          <Alert color="gray" title={t('cases.erasedTitle')}>
            {t('cases.erasedText', {
              date: c.tombstone?.erasedAt ? format.dateTime(String(c.tombstone.erasedAt)) : '',
            })}
            <Code block mt="xs">
              {JSON.stringify(c.tombstone, null, 2)}
            </Code>
          </Alert>
        ) : null}
        {c.status === 'received' || c.status === 'accepted' ? (
          <Group align="flex-end">
            <TextInput
              size="xs"
              label={t('cases.declineReason')}
              value={declineReason}
              onChange={(e) => setDeclineReason(e.currentTarget.value)}
              w={360}
            />
            <Button
              size="xs"
              color="red"
              variant="light"
              disabled={!declineReason.trim()}
              onClick={() => decline.mutate()}
            >
              {t('cases.decline')}
            </Button>
          </Group>
        ) : null}
        <Tabs defaultValue={c.status === 'in_review' ? 'review' : 'subject'} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="subject">{t('cases.tabs.subject')}</Tabs.Tab>
            <Tabs.Tab value="hits">
              {t('cases.tabs.hits')} ({c.hits.filter((h) => h.change !== 'gone').length})
            </Tabs.Tab>
            <Tabs.Tab value="findings">{t('cases.tabs.findings')}</Tabs.Tab>
            <Tabs.Tab value="evidence">{t('cases.tabs.evidence')}</Tabs.Tab>
            <Tabs.Tab value="review">{t('cases.tabs.review')}</Tabs.Tab>
            <Tabs.Tab value="reports">
              {t('cases.tabs.reports')} ({c.reports.length})
            </Tabs.Tab>
            <Tabs.Tab value="history">{t('cases.tabs.history')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="subject" pt="sm">
            <SubjectPanel c={c} />
          </Tabs.Panel>
          <Tabs.Panel value="hits" pt="sm">
            <HitsPanel c={c} onChange={refresh} />
          </Tabs.Panel>
          <Tabs.Panel value="findings" pt="sm">
            <FindingsEditor c={c} onSaved={refresh} />
          </Tabs.Panel>
          <Tabs.Panel value="evidence" pt="sm">
            <EvidencePanel caseId={c.id} findings={c.findings} />
          </Tabs.Panel>
          <Tabs.Panel value="review" pt="sm">
            <ReviewPanel c={c} me={me} onDone={refresh} />
          </Tabs.Panel>
          <Tabs.Panel value="reports" pt="sm">
            <Table aria-label={t('cases.tabs.reports')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('cases.version')}</Table.Th>
                  <Table.Th>{t('cases.kind')}</Table.Th>
                  <Table.Th>{t('cases.verificationCode')}</Table.Th>
                  <Table.Th>SHA-256</Table.Th>
                  <Table.Th>{t('cases.issued')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {c.reports.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>{r.version}</Table.Td>
                    <Table.Td>
                      {r.draft ? (
                        <Badge color="red">{t('cases.draft')}</Badge>
                      ) : (
                        <Badge color="green">{t('cases.released')}</Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Code>{r.verificationCode}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Code>{r.pdfSha256.slice(0, 16)}…</Code>
                    </Table.Td>
                    <Table.Td>{format.dateTime(r.issuedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Tabs.Panel>
          <Tabs.Panel value="history" pt="sm">
            <HistoryPanel caseId={caseId} />
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </>
  );
}

function SubjectPanel({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const format = useFormat();
  const s = c.subject;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Paper withBorder p="sm">
        <Table>
          <Table.Tbody>
            <DetailRow label={t('cases.names')}>{s ? s.names.join('; ') : t('cases.erased')}</DetailRow>
            <DetailRow label={t('cases.birthDate')}>{s?.birthDate ?? '—'}</DetailRow>
            <DetailRow label={t('cases.birthPlace')}>{s?.birthPlace ?? '—'}</DetailRow>
            <DetailRow label={t('cases.nationality')}>{s?.nationality?.join(', ') || '—'}</DetailRow>
            <DetailRow label={t('cases.identifiers')}>
              {s?.identifiers?.map((i) => `${i.type}: ${i.value}`).join('; ') || '—'}
            </DetailRow>
          </Table.Tbody>
        </Table>
      </Paper>
      <Paper withBorder p="sm">
        <Table>
          <Table.Tbody>
            <DetailRow label={t('cases.requester')}>{c.requesterOrg}</DetailRow>
            <DetailRow label={t('cases.contact')}>{c.requesterContact ?? '—'}</DetailRow>
            <DetailRow label={t('cases.purpose')}>{c.purpose}</DetailRow>
            <DetailRow label={t('cases.legalBasis')}>{c.legalBasis ?? '—'}</DetailRow>
            <DetailRow label={t('cases.due')}>{c.dueDate ? format.date(c.dueDate) : '—'}</DetailRow>
            <DetailRow label={t('cases.retention')}>
              {t(`cases.retentionClass.${c.retentionClass}`)}
              {c.legalHold ? ` · ${t('cases.legalHold')}` : ''}
            </DetailRow>
            {c.statusReason ? <DetailRow label={t('cases.declineReason')}>{c.statusReason}</DetailRow> : null}
          </Table.Tbody>
        </Table>
      </Paper>
    </SimpleGrid>
  );
}

function HitsPanel({ c, onChange }: { c: CaseDetail; onChange: () => void }) {
  const { t } = useTranslation();
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const review = useMutation({
    mutationFn: (input: { hitId: string; review: 'confirmed' | 'dismissed' | 'unsure' }) =>
      casesApi.reviewHit(c.id, input.hitId, input.review, reasons[input.hitId]),
    onSuccess: onChange,
  });
  const editable = c.status === 'in_progress';
  if (c.hits.length === 0) return <Text c="dimmed">{t('cases.noHits')}</Text>;
  return (
    <Stack gap="xs">
      <ErrorAlert error={review.error} />
      <Table aria-label={t('cases.tabs.hits')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('cases.hitRecord')}</Table.Th>
            <Table.Th>{t('cases.hitSources')}</Table.Th>
            <Table.Th>{t('cases.hitScore')}</Table.Th>
            <Table.Th>{t('cases.hitChange')}</Table.Th>
            <Table.Th>{t('cases.hitDecision')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {c.hits.map((hit) => (
            <Table.Tr key={hit.id} data-hit={hit.entityId} data-source={hit.source.kind}>
              <Table.Td>
                {hit.source.kind === 'incident' ? (
                  <Text size="sm">{hit.caption}</Text>
                ) : (
                  <Anchor href={`/registry/entities/${encodeURIComponent(hit.entityId)}`} size="sm">
                    {hit.caption}
                  </Anchor>
                )}
                <Text size="xs" c="dimmed">
                  {(hit.properties.birthDate ?? []).join(', ')}{' '}
                  {(hit.properties.position ?? []).slice(0, 2).join('; ')}
                </Text>
              </Table.Td>
              <Table.Td>
                {hit.source.kind === 'incident' ? (
                  <>
                    <Anchor href={`/incidents/${hit.source.incidentId}`} size="sm">
                      {t('cases.hitIncident', { title: hit.source.incidentTitle })}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {t(`incidents.roles.${hit.source.role}`)} · {t('cases.hitByName')}
                    </Text>
                  </>
                ) : (
                  hit.datasets.join(', ')
                )}
              </Table.Td>
              <Table.Td>{hit.score.toFixed(2)}</Table.Td>
              <Table.Td>
                <Badge
                  variant="light"
                  color={
                    hit.change === 'new'
                      ? 'blue'
                      : hit.change === 'gone'
                        ? 'gray'
                        : hit.change === 'changed'
                          ? 'orange'
                          : 'green'
                  }
                >
                  {t(`cases.change.${hit.change}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Stack gap={4}>
                  <Badge variant="outline">{t(`cases.hitReview.${hit.review}`)}</Badge>
                  {hit.reviewReason ? <Text size="xs">{hit.reviewReason}</Text> : null}
                  {editable ? (
                    <Group gap={4} wrap="nowrap">
                      <TextInput
                        size="xs"
                        placeholder={t('cases.reason')}
                        aria-label={t('cases.reason')}
                        value={reasons[hit.id] ?? ''}
                        onChange={(e) => setReasons({ ...reasons, [hit.id]: e.currentTarget.value })}
                      />
                      {(['confirmed', 'dismissed', 'unsure'] as const).map((value) => (
                        <Button
                          key={value}
                          size="compact-xs"
                          variant="light"
                          onClick={() => review.mutate({ hitId: hit.id, review: value })}
                        >
                          {t(`cases.hitReview.${value}`)}
                        </Button>
                      ))}
                    </Group>
                  ) : null}
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function linksToText(links: FindingLink[]): string {
  return links
    .map((link) =>
      link.kind === 'evidence'
        ? `evidence ${link.sha256}`
        : link.kind === 'record'
          ? `record ${link.dataset} ${link.id}`
          : `${link.kind} ${link.id}`,
    )
    .join('\n');
}

function textToLinks(text: string): FindingLink[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts.length >= 2)
    .map((parts): FindingLink | null => {
      const [kind, a, b] = parts;
      if (kind === 'evidence') return { kind, sha256: (a ?? '').toLowerCase() };
      if (kind === 'incident' || kind === 'entity') return { kind, id: a ?? '' };
      if (kind === 'record' && b) return { kind, dataset: a ?? '', id: b };
      return null;
    })
    .filter((link): link is FindingLink => link !== null);
}

function FindingsEditor({ c, onSaved }: { c: CaseDetail; onSaved: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Findings>(
    c.findings ?? { conclusion: null, confidence: null, narrative: '', exculpatory: '', items: [] },
  );
  const [linksText, setLinksText] = useState<string[]>(
    (c.findings?.items ?? []).map((i) => linksToText(i.links)),
  );
  useEffect(() => {
    if (c.findings) {
      setDraft(c.findings);
      setLinksText(c.findings.items.map((i) => linksToText(i.links)));
    }
  }, [c.findings]);
  const editable = c.status === 'accepted' || c.status === 'in_progress';
  const save = useMutation({
    mutationFn: () =>
      casesApi.saveFindings(c.id, {
        ...draft,
        items: draft.items.map((item, i) => ({ ...item, links: textToLinks(linksText[i] ?? '') })),
      }),
    onSuccess: () => {
      notifySuccess(t('cases.saved'));
      onSaved();
    },
  });
  return (
    <Stack gap="sm" maw={900}>
      <Group grow>
        <Select
          label={t('cases.conclusion')}
          data={conclusions.map((value) => ({ value, label: t(`cases.conclusions.${value}`) }))}
          value={draft.conclusion}
          onChange={(value) => setDraft({ ...draft, conclusion: value as Findings['conclusion'] })}
          disabled={!editable}
        />
        <Select
          label={t('cases.confidence')}
          data={confidences.map((value) => ({ value, label: t(`cases.confidences.${value}`) }))}
          value={draft.confidence}
          onChange={(value) => setDraft({ ...draft, confidence: value as Findings['confidence'] })}
          disabled={!editable}
        />
      </Group>
      <Textarea
        label={t('cases.narrative')}
        autosize
        minRows={4}
        value={draft.narrative}
        onChange={(e) => setDraft({ ...draft, narrative: e.currentTarget.value })}
        disabled={!editable}
        name="narrative"
      />
      <Title order={3} size="h5">
        {t('cases.findingItems')}
      </Title>
      {draft.items.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a finding's number is its identity while it is edited.
        <Paper key={index} withBorder p="xs">
          <Grid>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Textarea
                label={`${index + 1}.`}
                autosize
                minRows={2}
                value={item.text}
                disabled={!editable}
                onChange={(e) => {
                  const items = [...draft.items];
                  items[index] = { ...item, text: e.currentTarget.value };
                  setDraft({ ...draft, items });
                }}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Textarea
                label={t('cases.links')}
                description={t('cases.linksHint')}
                autosize
                minRows={2}
                value={linksText[index] ?? ''}
                disabled={!editable}
                onChange={(e) => {
                  const next = [...linksText];
                  next[index] = e.currentTarget.value;
                  setLinksText(next);
                }}
              />
            </Grid.Col>
          </Grid>
        </Paper>
      ))}
      {editable ? (
        <Group>
          <Button
            variant="default"
            size="xs"
            onClick={() => {
              setDraft({ ...draft, items: [...draft.items, { text: '', links: [] }] });
              setLinksText([...linksText, '']);
            }}
          >
            {t('cases.addFinding')}
          </Button>
        </Group>
      ) : null}
      <Textarea
        label={t('cases.exculpatory')}
        autosize
        minRows={3}
        value={draft.exculpatory}
        onChange={(e) => setDraft({ ...draft, exculpatory: e.currentTarget.value })}
        disabled={!editable}
        name="exculpatory"
      />
      <ErrorAlert error={save.error} />
      {editable ? (
        <Group justify="flex-end">
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {t('cases.saveFindings')}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

/** Cited evidence: the findings' links, and each SHA-256 looked up in the vault (item, type, custody). */
function EvidencePanel({ caseId, findings }: { caseId: string; findings: Findings | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  const vault = useQuery({
    queryKey: ['cases', 'evidence', caseId, findings],
    queryFn: () => casesApi.evidence(caseId),
  });
  const inVault = new Map((vault.data?.items ?? []).map((entry) => [entry.sha256, entry]));
  const links = (findings?.items ?? []).flatMap((item, index) => item.links.map((link) => ({ link, index })));
  if (links.length === 0) return <Text c="dimmed">{t('cases.noEvidence')}</Text>;
  return (
    <Stack gap="xs">
      <ErrorAlert error={vault.error} />
      <Table aria-label={t('cases.tabs.evidence')} data-testid="case-evidence">
        <Table.Tbody>
          {links.map(({ link, index }) => {
            const entry = link.kind === 'evidence' ? inVault.get(link.sha256) : undefined;
            return (
              <Table.Tr key={`${index}-${JSON.stringify(link)}`}>
                <Table.Td w={60}>{index + 1}.</Table.Td>
                <Table.Td>{t(`cases.linkKind.${link.kind}`)}</Table.Td>
                <Table.Td>
                  <Code>
                    {link.kind === 'evidence'
                      ? link.sha256
                      : link.kind === 'record'
                        ? `${link.dataset}: ${link.id}`
                        : link.id}
                  </Code>
                </Table.Td>
                <Table.Td>
                  {link.kind !== 'evidence' || !vault.data ? null : entry?.inVault && entry.itemId ? (
                    <Stack gap={0}>
                      <Anchor component={Link} to={`/evidence/${entry.itemId}`} size="sm">
                        {entry.mediaType} · {format.dateTime(entry.receivedAt ?? null)}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {t('cases.custodyEvents', { count: entry.custodyEvents ?? 0 })}
                      </Text>
                    </Stack>
                  ) : (
                    <Badge color="orange" variant="light">
                      {t('cases.notInVault')}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** Two columns: the content at the last review decision and now; changed parts marked. */
function ReviewPanel({ c, me, onDone }: { c: CaseDetail; me: string | undefined; onDone: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [comment, setComment] = useState('');
  const hash = c.findingsHash ?? '';
  const approve = useMutation({ mutationFn: () => casesApi.approve(c.id, hash, comment), onSuccess: onDone });
  const sendBack = useMutation({
    mutationFn: () => casesApi.returnForChanges(c.id, hash, comment),
    onSuccess: onDone,
  });
  const contributor = me ? (c.review?.contributors ?? []).includes(`user:${me}`) : false;
  const before = c.lastReviewed;
  const now = {
    findings: c.findings,
    hits: c.hits.map((h) => ({ key: h.clusterId ?? h.entityId, review: h.review, reason: h.reviewReason })),
  };
  const fields: Array<[string, (v: typeof before) => string]> = [
    [
      t('cases.conclusion'),
      (v) => (v?.findings?.conclusion ? t(`cases.conclusions.${v.findings.conclusion}`) : '—'),
    ],
    [
      t('cases.confidence'),
      (v) => (v?.findings?.confidence ? t(`cases.confidences.${v.findings.confidence}`) : '—'),
    ],
    [t('cases.narrative'), (v) => v?.findings?.narrative ?? ''],
    [
      t('cases.findingItems'),
      (v) =>
        (v?.findings?.items ?? []).map((i, n) => `${n + 1}. ${i.text}\n${linksToText(i.links)}`).join('\n'),
    ],
    [t('cases.exculpatory'), (v) => v?.findings?.exculpatory ?? ''],
    [
      t('cases.tabs.hits'),
      (v) =>
        (v?.hits ?? []).map((h) => `${h.key}: ${h.review}${h.reason ? ` (${h.reason})` : ''}`).join('\n'),
    ],
  ];
  return (
    <Stack gap="sm">
      <Text size="sm">
        {t('cases.contentHash')} <Code>{hash || '—'}</Code>
      </Text>
      {(c.review?.history ?? []).map((d) => (
        <Text size="xs" c="dimmed" key={d.id}>
          {format.dateTime(d.decidedAt)} · {d.reviewerLabel ?? d.reviewer} ·{' '}
          {t(`cases.decision.${d.decision}`)}
          {d.voidedAt ? ` · ${t('cases.voided')}: ${d.voidReason}` : ''}
          {d.comment ? ` — ${d.comment}` : ''}
        </Text>
      ))}
      <Table withColumnBorders aria-label={t('cases.sideBySide')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={180} />
            <Table.Th>{t('cases.atLastReview')}</Table.Th>
            <Table.Th>{t('cases.now')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fields.map(([label, get]) => {
            const a = before ? get(before) : '';
            const b = get(now as typeof before);
            const changed = !!before && a !== b;
            return (
              <Table.Tr key={label} bg={changed ? 'yellow.0' : undefined} data-changed={changed || undefined}>
                <Table.Th scope="row">
                  {label}
                  {changed ? (
                    <Badge ml={4} size="xs" color="orange">
                      {t('cases.changed')}
                    </Badge>
                  ) : null}
                </Table.Th>
                <Table.Td style={{ whiteSpace: 'pre-wrap' }}>
                  {before ? (
                    a
                  ) : (
                    <Text c="dimmed" size="sm">
                      {t('cases.noEarlierReview')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{b}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {c.status === 'in_review' ? (
        <Paper withBorder p="sm">
          {contributor ? (
            <Alert color="orange" mb="sm">
              {t('cases.youContributed')}
            </Alert>
          ) : null}
          <Textarea
            label={t('cases.reviewComment')}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            autosize
            minRows={2}
            name="reviewComment"
          />
          <ErrorAlert error={approve.error ?? sendBack.error} />
          <Group justify="flex-end" mt="sm">
            <Button
              variant="light"
              color="orange"
              onClick={() => sendBack.mutate()}
              loading={sendBack.isPending}
              disabled={!comment.trim()}
            >
              {t('cases.returnToAnalyst')}
            </Button>
            <Button color="green" onClick={() => approve.mutate()} loading={approve.isPending}>
              {t('cases.approveRelease')}
            </Button>
          </Group>
        </Paper>
      ) : null}
    </Stack>
  );
}

function HistoryPanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const history = useQuery({
    queryKey: ['cases', 'history', caseId],
    queryFn: () => casesApi.history(caseId),
  });
  if (!history.data) return <ErrorAlert error={history.error} />;
  return (
    <Stack gap="xs">
      <Badge color={history.data.intact ? 'green' : 'red'}>
        {history.data.intact ? t('cases.chainIntact') : t('cases.chainBroken')}
      </Badge>
      <Table aria-label={t('cases.tabs.history')}>
        <Table.Tbody>
          {history.data.events.map((e) => (
            <Table.Tr key={e.seq}>
              <Table.Td w={50}>{e.seq}</Table.Td>
              <Table.Td w={180}>{format.dateTime(e.at)}</Table.Td>
              <Table.Td>{e.action}</Table.Td>
              <Table.Td>{e.actorLabel ?? e.actor}</Table.Td>
              <Table.Td>
                <Code>{JSON.stringify(e.details)}</Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
