/**
 * One side of a pair under review: where the record came from, its names by script with their Belarusian,
 * Russian and Latin forms, facts, identifiers, positions and addresses. A value the other side agrees with
 * is marked green; one the other side contradicts (it has the same kind of value, none agreeing) is red.
 */
import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { AccessBadge } from '../registry/datasets-page.js';
import { useFtmLabels } from '../registry/ftm-labels.js';
import type { CompareSide } from './types.js';

type Tone = 'agree' | 'conflict' | 'plain';

function Value({ tone, children, testId }: { tone: Tone; children: ReactNode; testId?: string }) {
  const { t } = useTranslation();
  const color = tone === 'agree' ? 'teal' : tone === 'conflict' ? 'red' : undefined;
  return (
    <Group gap={6} wrap="nowrap" data-testid={testId} data-tone={tone}>
      <Text size="sm" c={color} fw={tone === 'plain' ? undefined : 600}>
        {children}
      </Text>
      {tone !== 'plain' ? (
        <Badge size="xs" variant="light" color={color} radius="sm">
          {tone === 'agree' ? t('xref.compare.agrees') : t('xref.compare.differs')}
        </Badge>
      ) : null}
    </Group>
  );
}

function Block({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={4}>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">
        {title}
      </Text>
      {children}
    </Stack>
  );
}

const tone = (agrees: boolean, otherHasKind: boolean): Tone =>
  agrees ? 'agree' : otherHasKind ? 'conflict' : 'plain';

export function CompareSideCard({
  side,
  other,
  testId,
}: {
  side: CompareSide;
  other: CompareSide;
  testId: string;
}) {
  const { t } = useTranslation();
  const ftm = useFtmLabels();
  const otherFacts = new Set(other.facts.map((f) => f.property));
  return (
    <Card withBorder radius="md" padding="md" data-testid={testId}>
      <Stack gap="sm">
        <Stack gap={2}>
          <Anchor component={Link} to={`/registry/entities/${encodeURIComponent(side.entity.id)}`} fw={700}>
            <Title order={2} size="h4">
              {side.entity.caption}
            </Title>
          </Anchor>
          <Group gap={6}>
            <Badge variant="outline" radius="sm">
              {side.dataset.name}
            </Badge>
            <AccessBadge restricted={side.dataset.restricted} />
          </Group>
          <Text size="xs" c="dimmed">
            {side.dataset.title}
            {side.dataset.source ? ` · ${side.dataset.source}` : ''}
          </Text>
        </Stack>

        <Block title={t('xref.compare.names')}>
          {side.names.map((group) => (
            <Stack key={`${group.script}:${group.language}`} gap={2}>
              <Text size="xs" c="dimmed">
                {t(
                  `xref.compare.scripts.${group.script === 'cyrillic' ? (group.language ?? 'ambiguous') : group.script}` as never,
                )}
              </Text>
              {group.names.map((name) => (
                <Stack key={`${name.property}:${name.value}`} gap={0}>
                  <Value tone={name.agrees ? 'agree' : 'plain'} testId="compare-name">
                    {name.value}
                  </Value>
                  {name.forms.length > 0 ? (
                    <Text size="xs" c="dimmed">
                      {name.forms
                        .map((f) => `${t(`xref.compare.forms.${f.kind}` as never)}: ${f.text}`)
                        .join(' · ')}
                    </Text>
                  ) : null}
                </Stack>
              ))}
            </Stack>
          ))}
        </Block>

        {side.facts.length > 0 ? (
          <Block title={t('xref.compare.facts')}>
            {side.facts.map((fact) => (
              <Group key={fact.property} gap="xs" align="flex-start" wrap="nowrap">
                <Text size="sm" c="dimmed" w={130} style={{ flexShrink: 0 }}>
                  {ftm.label(fact.property)}
                </Text>
                <Stack gap={0}>
                  {fact.values.map((v) => (
                    <Value
                      key={v.value}
                      tone={tone(v.agrees, otherFacts.has(fact.property))}
                      testId={`fact-${fact.property}`}
                    >
                      {ftm.value(fact.property, v.value)}
                    </Value>
                  ))}
                </Stack>
              </Group>
            ))}
          </Block>
        ) : null}

        {side.identifiers.length > 0 ? (
          <Block title={t('xref.compare.identifiers')}>
            {side.identifiers.map((id) => (
              <Value key={`${id.type}:${id.value}`} tone={tone(id.agrees, other.identifiers.length > 0)}>
                {`${ftm.label(id.type)}: ${id.value}`}
              </Value>
            ))}
          </Block>
        ) : null}

        {side.positions.length > 0 ? (
          <Block title={t('xref.compare.positions')}>
            {side.positions.map((p) => (
              <Stack key={`${p.title}:${p.start}`} gap={0}>
                <Value tone={p.agrees ? 'agree' : 'plain'}>{p.title}</Value>
                <Text size="xs" c="dimmed">
                  {[p.organization, `${p.start ?? '?'} – ${p.end ?? ''}`].filter(Boolean).join(' · ')}
                </Text>
              </Stack>
            ))}
          </Block>
        ) : null}

        {side.addresses.length > 0 ? (
          <Block title={t('xref.compare.addresses')}>
            {side.addresses.map((a) => (
              <Value key={a.value} tone={a.agrees ? 'agree' : 'plain'}>
                {a.value}
              </Value>
            ))}
          </Block>
        ) : null}

        {side.other.length > 0 ? (
          <Block title={t('xref.compare.other')}>
            {side.other.map((o) => (
              <Text key={o.property} size="sm">
                <Text span c="dimmed" size="sm">
                  {ftm.label(o.property)}:
                </Text>{' '}
                {o.values.join('; ')}
              </Text>
            ))}
          </Block>
        ) : null}
      </Stack>
    </Card>
  );
}
