/** The official lists imported as published: who publishes each, how many listings are in force, the last import. */
import { Anchor, Badge, Code, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { useFormat } from '../i18n/format.js';
import { sanctionsApi } from './api.js';

export function OfficialListsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const lists = useQuery({ queryKey: ['sanctions', 'lists'], queryFn: sanctionsApi.lists });
  const items = lists.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('sanctions.listsTitle')} description={t('sanctions.listsDescription')} />
      <Stack gap="sm">
        <ErrorAlert error={lists.error} />
        <Table striped aria-label={t('sanctions.listsTitle')} data-testid="official-lists">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sanctions.listedBy')}</Table.Th>
              <Table.Th>{t('sanctions.dataset')}</Table.Th>
              <Table.Th>{t('sanctions.activeListings')}</Table.Th>
              <Table.Th>{t('sanctions.lastImport')}</Table.Th>
              <Table.Th>{t('sanctions.importCounts')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((list) => (
              <Table.Tr key={list.datasetId}>
                <Table.Td>
                  <Badge variant="light" radius="sm">
                    {t(`sanctions.authorities.${list.authority}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/registry/entities?dataset=${encodeURIComponent(list.dataset)}`}
                    size="sm"
                  >
                    {list.title}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {list.dataset}
                  </Text>
                </Table.Td>
                <Table.Td>{list.activeListings}</Table.Td>
                <Table.Td>
                  {list.lastImport ? (
                    <Stack gap={0}>
                      <Text size="sm">{format.dateTime(list.lastImport.at)}</Text>
                      <Text size="xs" c="dimmed">
                        {list.lastImport.format}
                        {list.lastImport.generated
                          ? ` · ${t('sanctions.generated')} ${format.date(list.lastImport.generated)}`
                          : ''}
                      </Text>
                    </Stack>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>
                  {list.lastImport ? (
                    <Text size="xs">
                      {t('sanctions.counts', {
                        entries: list.lastImport.entries,
                        added: list.lastImport.added,
                        updated: list.lastImport.updated,
                        unchanged: list.lastImport.unchanged,
                        ended: list.lastImport.ended,
                      })}
                    </Text>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {lists.data && items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('sanctions.noLists')}{' '}
            <Code>sviedka lists import --format eu-fsf-xml --dataset eu-fsf FILE</Code>
          </Text>
        ) : null}
      </Stack>
    </>
  );
}
