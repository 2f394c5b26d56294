/**
 * The one table of the app: TanStack Table for the model (sorting), Mantine Table for the markup. Dense,
 * with sticky header, sortable columns operable by keyboard and an accessible caption.
 */
import { Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconArrowDown, IconArrowsSort, IconArrowUp } from '@tabler/icons-react';
import {
  type ColumnDef,
  createSortedRowModel,
  type RowData,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_datetime,
  sortFn_text,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Features every data table has; pages build column helpers against this. */
export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: {
    alphanumeric: sortFn_alphanumeric,
    text: sortFn_text,
    datetime: sortFn_datetime,
    basic: sortFn_basic,
  },
});
export type DataTableFeatures = typeof dataTableFeatures;

export interface DataTableProps<T extends RowData> {
  data: T[];
  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column by design.
  columns: ColumnDef<DataTableFeatures, T, any>[];
  caption: string;
  empty?: ReactNode;
  getRowId?: (row: T) => string;
  /** Sorting done by the server (or order meaningful as given): headers do not sort. */
  manualOrder?: boolean;
  testId?: string;
}

export function DataTable<T extends RowData>({
  data,
  columns,
  caption,
  empty,
  getRowId,
  manualOrder,
  testId,
}: DataTableProps<T>) {
  const { t } = useTranslation();
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data,
    getRowId: getRowId ? (row: T) => getRowId(row) : undefined,
    enableSorting: !manualOrder,
  });
  const rows = table.getRowModel().rows;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table
        striped
        highlightOnHover
        stickyHeader
        verticalSpacing={6}
        horizontalSpacing="sm"
        fz="sm"
        data-testid={testId}
      >
        <VisuallyHidden component="caption">{caption}</VisuallyHidden>
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const canSort = header.column.getCanSort();
                const content = header.isPlaceholder ? null : <table.FlexRender header={header} />;
                return (
                  <Table.Th
                    key={header.id}
                    scope="col"
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {canSort ? (
                      <UnstyledButton
                        className="sort-button"
                        onClick={header.column.getToggleSortingHandler()}
                        title={t('table.sort')}
                      >
                        {content}
                        {sorted === 'asc' ? (
                          <IconArrowUp size={14} aria-hidden />
                        ) : sorted === 'desc' ? (
                          <IconArrowDown size={14} aria-hidden />
                        ) : (
                          <IconArrowsSort size={14} aria-hidden className="sort-idle" />
                        )}
                      </UnstyledButton>
                    ) : (
                      content
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={columns.length}>
                <Text c="dimmed" size="sm" py="md" ta="center">
                  {empty ?? t('table.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : (
            rows.map((row) => (
              <Table.Tr key={row.id}>
                {row.getAllCells().map((cell) => (
                  <Table.Td key={cell.id}>
                    <table.FlexRender cell={cell} />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
