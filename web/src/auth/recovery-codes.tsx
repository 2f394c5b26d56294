/** Single-use recovery codes after a second factor is set up: shown once, copied, confirmed saved. */
import { Alert, Button, Checkbox, Group } from '@mantine/core';
import { useClipboard } from '@mantine/hooks';
import { IconAlertTriangle, IconCopy } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from './auth-layout.js';

/** Single-use recovery codes, shown once, until the person confirms they saved them. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(false);
  const clipboard = useClipboard({ timeout: 2000 });
  return (
    <AuthLayout title={t('auth.recoveryTitle')} description={t('auth.recoveryDescription')} width={520}>
      <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />}>
        {t('auth.recoveryWarning')}
      </Alert>
      <ol className="recovery-codes" aria-label={t('auth.recoveryTitle')} data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <Group>
        <Button
          variant="default"
          leftSection={<IconCopy size={16} aria-hidden />}
          onClick={() => clipboard.copy(codes.join('\n'))}
        >
          {clipboard.copied ? t('common.copied') : t('auth.copyAll')}
        </Button>
      </Group>
      <Checkbox
        label={t('auth.recoverySaved')}
        checked={saved}
        onChange={(event) => setSaved(event.currentTarget.checked)}
        data-testid="recovery-saved"
      />
      <Button disabled={!saved} onClick={onDone} data-testid="recovery-continue">
        {t('common.continue')}
      </Button>
    </AuthLayout>
  );
}
