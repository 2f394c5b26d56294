/** When an incident happened: one moment when exact, else a range; unknown ends are said so. */
import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format.js';

export function OccurredAt({ from, to }: { from: string | null; to: string | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (!from && !to) return <Text size="sm">—</Text>;
  if (from && (!to || from === to))
    return (
      <Text size="sm" className="nowrap">
        {format.dateTime(from)}
      </Text>
    );
  return (
    <Text size="sm">
      {from ? format.dateTime(from) : t('incidents.unknown')} –{' '}
      {to ? format.dateTime(to) : t('incidents.unknown')}
    </Text>
  );
}
