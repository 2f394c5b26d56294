/**
 * Screening for analysts: a name in any script or spelling (and, optionally, a birth date) against the
 * registry. Results come ranked with the score, whether it is a match, the stored name with the matching
 * words marked, and the explanation: which query word matched which stored word, by which rule.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { registryApi } from '../registry/api.js';
import { type MatchResult, screeningApi } from './api.js';
import { HighlightedName } from './highlight.js';

const percent = (score: number) => `${Math.round(score * 100)}%`;

function ResultCard({ result, rank }: { result: MatchResult; rank: number }) {
  const { t } = useTranslation();
  const explanation = result.explanations[0];
  return (
    <Card withBorder radius="md" padding="md" data-testid="screening-result">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {rank}.
            </Text>
            <Anchor component={Link} to={`/registry/entities/${encodeURIComponent(result.id)}`} fw={600}>
              {result.caption}
            </Anchor>
          </Group>
          {explanation ? (
            <Text size="sm">
              {t('screening.matchedName')}:{' '}
              <HighlightedName
                name={explanation.matchedName}
                matched={explanation.tokens.map((tok) => tok.matched)}
              />
            </Text>
          ) : null}
          <Text size="xs" c="dimmed">
            {t('screening.datasets')}: {result.datasets.join(', ')}
          </Text>
        </Stack>
        <Stack gap={4} align="flex-end">
          <Badge size="lg" variant={result.match ? 'filled' : 'light'} color={result.match ? 'red' : 'gray'}>
            {result.match ? t('screening.match') : t('screening.possible')} · {percent(result.score)}
          </Badge>
        </Stack>
      </Group>
      {explanation ? (
        <Stack gap="xs" mt="sm">
          <Table withTableBorder withColumnBorders striped fz="sm" data-testid="screening-explanation">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('screening.queryWord')}</Table.Th>
                <Table.Th>{t('screening.storedWord')}</Table.Th>
                <Table.Th>{t('screening.part')}</Table.Th>
                <Table.Th>{t('screening.rule')}</Table.Th>
                <Table.Th>{t('screening.tokenScore')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {explanation.tokens.map((token) => (
                <Table.Tr key={`${token.query}-${token.matched ?? ''}`}>
                  <Table.Td>{token.query}</Table.Td>
                  <Table.Td>{token.matched ?? '—'}</Table.Td>
                  <Table.Td>{t(`screening.parts.${token.part}` as never)}</Table.Td>
                  <Table.Td>
                    <code>{token.rule}</code>
                  </Table.Td>
                  <Table.Td>{percent(token.score)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group gap="xs" wrap="wrap">
            {Object.entries(explanation.features).map(([feature, value]) => (
              <Badge key={feature} variant="outline" color={value < 0 ? 'orange' : 'blue'} radius="sm">
                {t(`screening.features.${feature}` as never, { defaultValue: feature })}:{' '}
                {feature === 'name' ? percent(value) : `${value > 0 ? '+' : ''}${value.toFixed(2)}`}
              </Badge>
            ))}
          </Group>
          {explanation.notes.length > 0 ? (
            <Text size="xs" c="dimmed">
              {explanation.notes.join(' · ')}
            </Text>
          ) : null}
        </Stack>
      ) : null}
    </Card>
  );
}

export function ScreeningPage() {
  const { t } = useTranslation();
  // `?name=` (the top bar's "see all") fills the name in and screens it at once.
  const [params] = useSearchParams();
  const named = params.get('name')?.trim() ?? '';
  const [name, setName] = useState(named);
  const [birthDate, setBirthDate] = useState('');
  const [dataset, setDataset] = useState<string | null>(null);
  const datasets = useQuery({ queryKey: ['registry', 'datasets'], queryFn: registryApi.datasets });
  const screen = useMutation({
    mutationFn: (given?: string) =>
      screeningApi.match({ name: given ?? name, birthDate, dataset: dataset ?? undefined }),
  });
  const screened = useRef('');
  useEffect(() => {
    if (!named || screened.current === named) return;
    screened.current = named;
    setName(named);
    screen.mutate(named);
  }, [named, screen.mutate]);
  const answer = screen.data;

  return (
    <>
      <PageHeader title={t('screening.title')} description={t('screening.description')} />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim()) screen.mutate(undefined);
        }}
      >
        <Group align="flex-end" wrap="wrap" mb="md">
          <TextInput
            label={t('screening.name')}
            description={t('screening.nameHint')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            w={360}
            required
            data-testid="screening-name"
          />
          <TextInput
            label={t('screening.birthDate')}
            description={t('screening.birthDateHint')}
            value={birthDate}
            onChange={(event) => setBirthDate(event.currentTarget.value)}
            w={200}
            data-testid="screening-birth-date"
          />
          <Select
            label={t('screening.dataset')}
            value={dataset}
            onChange={setDataset}
            clearable
            placeholder={t('screening.allDatasets')}
            data={(datasets.data?.items ?? []).map((d) => ({ value: d.name, label: d.title }))}
            w={260}
          />
          <Button
            type="submit"
            leftSection={<IconSearch size={16} aria-hidden />}
            loading={screen.isPending}
            data-testid="screening-submit"
          >
            {t('screening.screen')}
          </Button>
        </Group>
      </form>
      <ErrorAlert error={screen.error} />
      {answer?.error ? (
        <Alert color="orange" title={t('screening.queryError')} data-testid="screening-query-error">
          {t(`errors.${answer.error.code}` as never, { defaultValue: answer.error.message })} (
          {answer.error.code})
        </Alert>
      ) : null}
      {answer && !answer.error ? (
        <Stack gap="sm" data-testid="screening-results">
          <Text size="sm" c="dimmed">
            {t('screening.summary', { matches: answer.total.value, shown: answer.results.length })}
          </Text>
          {answer.results.length === 0 ? <Text>{t('screening.none')}</Text> : null}
          {answer.results.map((result, i) => (
            <ResultCard key={result.id} result={result} rank={i + 1} />
          ))}
        </Stack>
      ) : null}
    </>
  );
}
