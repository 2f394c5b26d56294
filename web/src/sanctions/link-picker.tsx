/**
 * The evidence picker of one reason: find an evidence item (by file name or source), an incident or a
 * registry record, and link it. Only what the reader may see is offered; the server resolves each link
 * again on save (an evidence item to its SHA-256) and refuses one that does not exist.
 */
import {
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../components/error-alert.js';
import { evidenceApi } from '../evidence/api.js';
import { useFormat } from '../i18n/format.js';
import { registryApi } from '../registry/api.js';
import type { ReasonLink } from './types.js';

type Kind = ReasonLink['kind'];

interface Option {
  link: ReasonLink;
  title: string;
  detail: string;
}

function useOptions(kind: Kind, q: string) {
  const format = useFormat();
  return useQuery({
    queryKey: ['sanctions', 'link-options', kind, q],
    enabled: kind !== 'source' || q.trim().length >= 2,
    queryFn: async (): Promise<Option[]> => {
      const text = q.trim();
      if (kind === 'evidence') {
        const { items } = await evidenceApi.items({ ...(text ? { q: text } : {}), limit: 10 });
        return items.map((item) => ({
          link: { kind, ref: item.id, sha256: item.sha256, label: item.fileName ?? item.sha256.slice(0, 12) },
          title: item.fileName ?? item.id,
          detail: `${item.sha256.slice(0, 16)}… · ${item.collectionName} · ${format.date(item.receivedAt)}`,
        }));
      }
      if (kind === 'incident') {
        const { items } = await evidenceApi.incidents({ ...(text ? { q: text } : {}), limit: 10 });
        return items.map((incident) => ({
          link: { kind, ref: incident.id, label: incident.title },
          title: incident.title,
          detail: incident.occurredFrom ? format.date(incident.occurredFrom) : '',
        }));
      }
      const { items } = await registryApi.entities({ q: text, limit: 10 });
      return items.map((entity) => ({
        link: { kind, ref: entity.id, label: entity.caption },
        title: entity.caption,
        detail: `${entity.schema} · ${entity.id}`,
      }));
    },
  });
}

export function LinkPicker({
  opened,
  onClose,
  onPick,
  taken,
  reasonNumber,
}: {
  opened: boolean;
  onClose: () => void;
  onPick: (link: ReasonLink) => void;
  taken: ReasonLink[];
  reasonNumber: number;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>('evidence');
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 250);
  const options = useOptions(kind, debounced);
  const isTaken = (link: ReasonLink) => taken.some((l) => l.kind === link.kind && l.ref === link.ref);
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('sanctions.pickTitle', { n: reasonNumber })}
      size="xl"
      data-testid="link-picker"
    >
      <Stack gap="sm">
        <SegmentedControl
          value={kind}
          onChange={(value) => setKind(value as Kind)}
          data={(['evidence', 'incident', 'source'] as const).map((value) => ({
            value,
            label: t(`sanctions.linkKind.${value}`),
          }))}
        />
        <TextInput
          label={t(`sanctions.search.${kind}`)}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          data-autofocus
          name="link-search"
        />
        <ErrorAlert error={options.error} />
        <Table verticalSpacing={4} fz="sm">
          <Table.Tbody>
            {(options.data ?? []).map((option) => (
              <Table.Tr key={option.link.ref} data-testid="link-option">
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {option.title}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {option.detail}
                  </Text>
                </Table.Td>
                <Table.Td w={120} ta="right">
                  {isTaken(option.link) ? (
                    <Badge variant="light" color="gray">
                      {t('sanctions.linked')}
                    </Badge>
                  ) : (
                    <Button size="compact-sm" variant="light" onClick={() => onPick(option.link)}>
                      {t('sanctions.link')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {options.data && options.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('sanctions.nothingFound')}
          </Text>
        ) : null}
      </Stack>
    </Modal>
  );
}

/** One link as the proposal shows it: kind, label, and for evidence its SHA-256. */
export function LinkLabel({ link }: { link: ReasonLink }) {
  const { t } = useTranslation();
  const href =
    link.kind === 'evidence'
      ? `/evidence/${link.ref}`
      : link.kind === 'incident'
        ? `/incidents/${link.ref}`
        : `/registry/entities/${encodeURIComponent(link.ref)}`;
  return (
    <Group gap={6} wrap="nowrap" data-testid="reason-link">
      <Badge size="xs" variant="light" radius="sm">
        {t(`sanctions.linkKind.${link.kind}`)}
      </Badge>
      <Anchor component={Link} to={href} size="sm">
        {link.label ?? link.ref}
      </Anchor>
      {link.kind === 'evidence' && link.sha256 ? (
        <Code title={link.sha256}>{link.sha256.slice(0, 16)}…</Code>
      ) : null}
    </Group>
  );
}
