/**
 * Bulk screening for analysts: upload a CSV (id,name,birth_date,gender,nationality; other columns are
 * kept), get back the results file — one row per (query, result), or JSON lines — to download.
 */
import { Alert, Button, Code, FileInput, Group, Select, Stack, Text } from '@mantine/core';
import { IconDownload, IconFileSpreadsheet } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { registryApi } from '../registry/api.js';
import { screeningApi } from './api.js';

export function BulkScreeningPage() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [output, setOutput] = useState<'csv' | 'jsonl'>('csv');
  const [dataset, setDataset] = useState<string | null>(null);
  const [download, setDownload] = useState<{ url: string; name: string; lines: number } | null>(null);
  const datasets = useQuery({ queryKey: ['registry', 'datasets'], queryFn: registryApi.datasets });
  useEffect(() => () => (download ? URL.revokeObjectURL(download.url) : undefined), [download]);

  const run = useMutation({
    mutationFn: async () => {
      if (!file) throw new Error(t('screening.bulk.noFile'));
      const blob = await screeningApi.bulk(file, { output, dataset: dataset ?? undefined });
      const text = await blob.text();
      const lines = text.split('\n').filter(Boolean).length - (output === 'csv' ? 1 : 0);
      const base = file.name.replace(/\.[^.]+$/, '');
      return { url: URL.createObjectURL(blob), name: `${base}-screening.${output}`, lines };
    },
    onSuccess: (result) => setDownload(result),
  });

  return (
    <>
      <PageHeader title={t('screening.bulk.title')} description={t('screening.bulk.description')} />
      <Stack gap="md" maw={720}>
        <Alert color="blue" variant="light" title={t('screening.bulk.formatTitle')}>
          <Text size="sm">{t('screening.bulk.format')}</Text>
          <Code block mt="xs">
            {'id,name,birth_date,gender,nationality\n1,"LUKASHENKA, Aliaksandr",1954-08-30,male,by'}
          </Code>
        </Alert>
        <FileInput
          label={t('screening.bulk.file')}
          accept=".csv,text/csv"
          value={file}
          onChange={(value) => {
            setFile(value);
            setDownload(null);
          }}
          leftSection={<IconFileSpreadsheet size={16} aria-hidden />}
          clearable
          data-testid="bulk-file"
        />
        <Group wrap="wrap" align="flex-end">
          <Select
            label={t('screening.bulk.output')}
            value={output}
            onChange={(value) => setOutput(value === 'jsonl' ? 'jsonl' : 'csv')}
            data={[
              { value: 'csv', label: 'CSV' },
              { value: 'jsonl', label: 'JSON lines' },
            ]}
            allowDeselect={false}
            w={160}
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
            onClick={() => run.mutate()}
            disabled={!file}
            loading={run.isPending}
            data-testid="bulk-submit"
          >
            {t('screening.bulk.run')}
          </Button>
        </Group>
        <ErrorAlert error={run.error} />
        {download ? (
          <Alert color="green" variant="light" data-testid="bulk-done">
            <Group justify="space-between" wrap="wrap">
              <Text size="sm">{t('screening.bulk.done', { lines: download.lines })}</Text>
              <Button
                component="a"
                href={download.url}
                download={download.name}
                leftSection={<IconDownload size={16} aria-hidden />}
                variant="light"
                data-testid="bulk-download"
              >
                {t('screening.bulk.download')}
              </Button>
            </Group>
          </Alert>
        ) : null}
      </Stack>
    </>
  );
}
