/** A name with the words that matched marked (the <mark> element: visible without colour too). */
import { Mark, Text } from '@mantine/core';
import { Fragment } from 'react';

/** Splits `name` into words and marks those in `matched` (case-insensitive). */
export function HighlightedName({
  name,
  matched,
  size = 'sm',
}: {
  name: string;
  matched: Array<string | null>;
  size?: string;
}) {
  const wanted = new Set(matched.filter((m): m is string => !!m).map((m) => m.toLocaleLowerCase()));
  const parts = name.split(/(\s+|,)/);
  return (
    <Text size={size} component="span">
      {parts.map((part, i) => {
        const key = `${i}-${part}`;
        return wanted.has(part.toLocaleLowerCase()) ? (
          <Mark key={key} color="yellow">
            {part}
          </Mark>
        ) : (
          <Fragment key={key}>{part}</Fragment>
        );
      })}
    </Text>
  );
}
