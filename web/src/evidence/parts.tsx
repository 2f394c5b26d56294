/**
 * Small pieces the evidence and incident pages share: media blurred until clicked, the short SHA-256
 * with a copy button, taxonomy labels in the interface language, state badges and the taxonomy picker.
 */
import './evidence.css';
import {
  ActionIcon,
  Badge,
  Code,
  CopyButton,
  Group,
  MultiSelect,
  SimpleGrid,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { IconCheck, IconCopy, IconEyeOff } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguage } from '../i18n/index.js';
import { evidenceApi } from './api.js';
import { shortHash } from './filters.js';
import type { ProcessingState, TaxonomyAxis, TaxonomyCode, VerificationState } from './types.js';

/** An image blurred until clicked (and again on a second click): graphic evidence is sensitive by default. */
export function SensitiveImage({
  src,
  alt,
  className,
  testId,
}: {
  src: string;
  alt: string;
  className?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [revealed, setRevealed] = useState(false);
  const [failed, setFailed] = useState(false);
  if (failed) {
    return (
      <Text size="xs" c="dimmed" className={className}>
        {t('evidence.noPreview')}
      </Text>
    );
  }
  return (
    <UnstyledButton
      className={`sensitive ${className ?? ''}`}
      onClick={() => setRevealed((value) => !value)}
      aria-pressed={revealed}
      aria-label={revealed ? t('evidence.blurAgain') : t('evidence.reveal')}
      title={revealed ? t('evidence.blurAgain') : t('evidence.reveal')}
      data-testid={testId}
      data-revealed={revealed}
    >
      <img
        src={src}
        alt={alt}
        className={revealed ? undefined : 'sensitive-blur'}
        loading="lazy"
        onError={() => setFailed(true)}
      />
      {revealed ? null : (
        <span className="sensitive-hint" aria-hidden>
          <IconEyeOff size={16} />
        </span>
      )}
    </UnstyledButton>
  );
}

/** A SHA-256 in short form, the full value on hover and one click to copy it. */
export function HashValue({ hash, length = 12 }: { hash: string; length?: number }) {
  const { t } = useTranslation();
  return (
    <Group gap={2} wrap="nowrap">
      <Code title={hash} className="nowrap">
        {shortHash(hash, length)}
      </Code>
      <CopyButton value={hash}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('common.copied') : t('evidence.copyHash')} withArrow>
            <ActionIcon
              variant="subtle"
              color={copied ? 'teal' : 'gray'}
              size="sm"
              onClick={copy}
              aria-label={t('evidence.copyHash')}
            >
              {copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/** The taxonomy, cached for the session: it changes only when an administrator extends it. */
export function useTaxonomy() {
  return useQuery({ queryKey: ['evidence', 'taxonomy'], queryFn: evidenceApi.taxonomy, staleTime: 300_000 });
}

/** A function giving a code's label in the interface language (the code itself when unknown). */
export function useCodeLabel(): (code: string) => string {
  const { i18n } = useTranslation();
  const taxonomy = useTaxonomy();
  const byCode = useMemo(
    () => new Map((taxonomy.data?.codes ?? []).map((entry) => [entry.code, entry])),
    [taxonomy.data],
  );
  const language = isLanguage(i18n.language) ? i18n.language : 'be';
  return useCallback((code: string) => byCode.get(code)?.labels[language] ?? code, [byCode, language]);
}

/** Codes as badges: the label in the interface language, the code on hover (compact: the other way round). */
export function CodeBadges({ codes, max, compact }: { codes: string[]; max?: number; compact?: boolean }) {
  const label = useCodeLabel();
  const shown = max ? codes.slice(0, max) : codes;
  if (codes.length === 0) return null;
  return (
    <Group gap={4}>
      {shown.map((code) => (
        <Badge
          key={code}
          variant="light"
          color={axisColor(code)}
          radius="sm"
          tt="none"
          title={compact ? label(code) : code}
        >
          {compact ? code : label(code)}
        </Badge>
      ))}
      {max && codes.length > max ? (
        <Text size="xs" c="dimmed">
          +{codes.length - max}
        </Text>
      ) : null}
    </Group>
  );
}

function axisColor(code: string): string {
  if (code.startsWith('BY.V.')) return 'red';
  if (code.startsWith('CAH.') || code.startsWith('CTX.') || code.startsWith('WC.') || code.startsWith('JUR.'))
    return 'grape';
  if (code.startsWith('ROLE.')) return 'blue';
  if (code.startsWith('EVT.')) return 'gray';
  return 'cyan';
}

const verificationColors: Record<VerificationState, string> = {
  collected: 'gray',
  preserved: 'blue',
  under_verification: 'yellow',
  verified: 'teal',
  unverifiable: 'orange',
  disputed: 'red',
};

export function VerificationBadge({ state }: { state: VerificationState }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={verificationColors[state] ?? 'gray'} radius="sm">
      {t(`evidence.verification.${state}`)}
    </Badge>
  );
}

const processingColors: Record<ProcessingState, string> = { pending: 'yellow', done: 'teal', failed: 'red' };

export function ProcessingBadge({ state }: { state: ProcessingState }) {
  const { t } = useTranslation();
  return (
    <Badge variant="dot" color={processingColors[state] ?? 'gray'} radius="sm">
      {t(`evidence.processing.${state}`)}
    </Badge>
  );
}

/** The four classification axes of the taxonomy, in the order the picker shows them. */
export const classificationAxes: TaxonomyAxis[] = ['violation', 'legal', 'role', 'type'];

/** Options for a Select or MultiSelect of one axis: label in the interface language, code after it. */
export function useAxisOptions(): (
  axis: TaxonomyAxis,
  keep?: string[],
) => { value: string; label: string }[] {
  const { i18n } = useTranslation();
  const taxonomy = useTaxonomy();
  const language = isLanguage(i18n.language) ? i18n.language : 'be';
  return useCallback(
    (axis: TaxonomyAxis, keep: string[] = []) =>
      (taxonomy.data?.codes ?? [])
        .filter(
          (entry: TaxonomyCode) =>
            entry.axis === axis && (entry.deprecatedIn === null || keep.includes(entry.code)),
        )
        .map((entry) => ({ value: entry.code, label: `${entry.labels[language]} · ${entry.code}` })),
    [taxonomy.data, language],
  );
}

/**
 * A multi-label picker by category (violation, legal qualification, evidence role, evidence type): one
 * searchable multi-select per axis, labels in the interface language. Deprecated codes already chosen stay.
 */
export function TaxonomyPicker({
  value,
  onChange,
  disabled,
}: {
  value: string[];
  onChange: (codes: string[]) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const taxonomy = useTaxonomy();
  const options = useAxisOptions();
  const axisOf = useMemo(
    () => new Map((taxonomy.data?.codes ?? []).map((entry) => [entry.code, entry.axis])),
    [taxonomy.data],
  );
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm" verticalSpacing="sm">
      {classificationAxes.map((axis) => {
        const chosen = value.filter((code) => axisOf.get(code) === axis);
        return (
          <MultiSelect
            key={axis}
            label={t(`evidence.axes.${axis}`)}
            placeholder={chosen.length ? undefined : t('evidence.pickCodes')}
            data={options(axis, chosen)}
            value={chosen}
            searchable
            clearable
            hidePickedOptions
            maxDropdownHeight={320}
            disabled={disabled || taxonomy.isLoading}
            nothingFoundMessage={t('evidence.noCodes')}
            onChange={(next) => onChange([...value.filter((code) => axisOf.get(code) !== axis), ...next])}
            data-testid={`taxonomy-${axis}`}
          />
        );
      })}
    </SimpleGrid>
  );
}
