/**
 * Requesting an export package for OHCHR / ICC: the originals, `manifest-sha256.txt`, metadata and the
 * custody log of each item, an offline index.html; optionally encrypted to a recipient's public key.
 * The export is itself a custody event on every item it contains, which the dialog says before and after.
 */
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconFileZip, IconShieldCheck } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/error-alert.js';
import { useFormat } from '../i18n/format.js';
import { requestExport, saveBlob } from './api.js';
import { formatBytes } from './upload-progress.js';

export type ExportTarget = { incidentId: string; title: string } | { itemIds: string[] };

const base64Key = /^[A-Za-z0-9+/_-]{43}=?$/;

export function ExportDialog({ target, onClose }: { target: ExportTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const form = useForm({
    mode: 'controlled',
    initialValues: { purpose: '', recipientKey: '' },
    validate: {
      recipientKey: (value) =>
        !value.trim() || base64Key.test(value.trim()) ? null : t('evidence.export.keyRule'),
    },
  });
  const exporting = useMutation({
    mutationFn: async (values: typeof form.values) => {
      const file = await requestExport({
        ...('incidentId' in target ? { incidentId: target.incidentId } : { itemIds: target.itemIds }),
        ...(values.purpose.trim() ? { purpose: values.purpose.trim() } : {}),
        ...(values.recipientKey.trim() ? { recipientKey: values.recipientKey.trim() } : {}),
      });
      saveBlob(file.blob, file.fileName);
      return { fileName: file.fileName, size: file.blob.size };
    },
    // The package is a custody event on each item: their logs changed.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['evidence', 'custody'] }),
  });
  const count = 'itemIds' in target ? target.itemIds.length : null;
  return (
    <Modal opened onClose={onClose} title={t('evidence.export.title')} size="lg" centered>
      {exporting.data ? (
        <Stack gap="sm">
          <Alert
            color="teal"
            variant="light"
            icon={<IconShieldCheck size={18} aria-hidden />}
            data-testid="export-done"
          >
            <Text size="sm">
              {t('evidence.export.done', {
                name: exporting.data.fileName,
                size: formatBytes(exporting.data.size, format.number),
              })}
            </Text>
            <Text size="sm" mt={4}>
              {t('evidence.export.recorded')}
            </Text>
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('common.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit((values) => exporting.mutate(values))} noValidate>
          <Stack gap="sm">
            <Text size="sm">
              {'incidentId' in target
                ? t('evidence.export.forIncident', { title: target.title })
                : t('evidence.export.forItems', { n: count ?? 0 })}
            </Text>
            <Text size="sm" c="dimmed">
              {t('evidence.export.contents')}
            </Text>
            <Alert color="blue" variant="light">
              {t('evidence.export.custodyNote')}
            </Alert>
            <ErrorAlert error={exporting.error} />
            <TextInput
              label={t('evidence.export.purpose')}
              description={t('evidence.export.purposeHint')}
              name="purpose"
              {...form.getInputProps('purpose')}
            />
            <TextInput
              label={t('evidence.export.recipientKey')}
              description={t('evidence.export.recipientKeyHint')}
              name="recipientKey"
              ff="monospace"
              autoComplete="off"
              spellCheck={false}
              {...form.getInputProps('recipientKey')}
            />
            <Group justify="flex-end" gap="xs" mt="xs">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button
                type="submit"
                loading={exporting.isPending}
                leftSection={<IconFileZip size={16} aria-hidden />}
                data-testid="export-submit"
              >
                {t('evidence.export.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
