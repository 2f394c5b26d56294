/** Controls every filtered, paged list shares: clearing the URL filters, and the footer with "load more". */
import { Button, Group, Text } from '@mantine/core';
import { IconFilterOff } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';

/** Clears every filter in the URL; disabled when there is none. */
export function ClearFiltersButton({ label }: { label: string }) {
  const [search, setSearch] = useSearchParams();
  return (
    <Button
      size="xs"
      variant="default"
      leftSection={<IconFilterOff size={14} aria-hidden />}
      onClick={() => setSearch(new URLSearchParams())}
      disabled={search.toString() === ''}
    >
      {label}
    </Button>
  );
}

/** How many rows are shown (announced politely) and, while the server has more, a button to load them. */
export function ListFooter({
  shown,
  pages,
  loadMoreLabel,
}: {
  shown: ReactNode;
  pages: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };
  loadMoreLabel: string;
}) {
  return (
    <Group justify="space-between">
      <Text size="xs" c="dimmed" aria-live="polite">
        {shown}
      </Text>
      {pages.hasNextPage ? (
        <Button
          variant="default"
          size="xs"
          loading={pages.isFetchingNextPage}
          onClick={() => void pages.fetchNextPage()}
        >
          {loadMoreLabel}
        </Button>
      ) : null}
    </Group>
  );
}
