/**
 * Exports of the proposals in the governments' own shapes (EU FSF XML, OFAC SDN XML, UK Sanctions List
 * CSV), as FtM lines and CSV, and the dossier PDF (annex layout). Each is a plain download; the
 * selection is by state, approved by default.
 */
import { Button, Code, Group, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { PageHeader } from '../components/page-header.js';
import { sanctionsApi } from './api.js';
import { exportFormats, type ProposalState, proposalStates } from './types.js';

export function ExportsPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const raw = search.get('status');
  const status = raw === 'all' ? undefined : ((raw as ProposalState | null) ?? 'approved');
  return (
    <>
      <PageHeader title={t('sanctions.exportsTitle')} description={t('sanctions.exportsDescription')} />
      <Stack gap="sm" maw={900}>
        <Paper withBorder p="sm" radius="sm">
          <Select
            size="xs"
            w={260}
            label={t('sanctions.exportStatus')}
            data={[
              { value: 'all', label: t('sanctions.allStates') },
              ...proposalStates.map((s) => ({ value: s, label: t(`sanctions.states.${s}`) })),
            ]}
            value={status ?? 'all'}
            allowDeselect={false}
            onChange={(value) => {
              const next = new URLSearchParams(search);
              next.set('status', value ?? 'approved');
              setSearch(next);
            }}
          />
        </Paper>
        <Table verticalSpacing={6} aria-label={t('sanctions.exportsTitle')}>
          <Table.Tbody>
            {exportFormats.map((format) => (
              <Table.Tr key={format}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {t(`sanctions.formats.${format}`)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    <Code>sviedka sanctions export --format {format}</Code>
                  </Text>
                </Table.Td>
                <Table.Td w={180} ta="right">
                  <Group justify="flex-end">
                    <Button
                      size="xs"
                      variant="light"
                      component="a"
                      href={sanctionsApi.exportUrl(format, status ? { status } : {})}
                      download
                      data-testid={`export-${format}`}
                      leftSection={<IconDownload size={14} aria-hidden />}
                    >
                      {t('sanctions.download')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed">
          {t('sanctions.exportsNote')}
        </Text>
      </Stack>
    </>
  );
}
