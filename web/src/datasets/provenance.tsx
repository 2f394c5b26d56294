/** "From line 1,234 of personnel_2020.xlsx": where a mapped entity came from, for the entity page. */
import { Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { datasetsApi } from './api.js';

export function EntityProvenance({ entityId }: { entityId: string }) {
  const { t } = useTranslation();
  const provenance = useQuery({
    queryKey: ['datasets', 'provenance', entityId],
    queryFn: () => datasetsApi.provenance(entityId),
  });
  const found = provenance.data?.provenance;
  if (!found) return null;
  return (
    <Tooltip
      label={t('datasets.provenance.hashes', {
        source: found.sourceSha256 ?? '—',
        mapping: found.mappingSha256,
      })}
      multiline
      w={420}
      withArrow
    >
      <Text size="sm" c="dimmed" data-testid="entity-provenance">
        {t('datasets.provenance.from', { ref: found.ref, source: found.source, count: found.rows })}
      </Text>
    </Tooltip>
  );
}
