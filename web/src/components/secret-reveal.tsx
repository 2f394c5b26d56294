/**
 * A secret shown exactly once (a one-time password, an API key, a 2FA seed): large monospace text that can
 * be selected or copied in one click.
 */
import { ActionIcon, Code, Group, Tooltip } from '@mantine/core';
import { useClipboard } from '@mantine/hooks';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

export function SecretValue({ value, label, testId }: { value: string; label: string; testId?: string }) {
  const { t } = useTranslation();
  const clipboard = useClipboard({ timeout: 2000 });
  return (
    <Group gap="xs" wrap="nowrap" align="center">
      <Code
        block
        className="secret-value"
        aria-label={label}
        data-testid={testId}
        style={{ flex: 1, fontSize: 'var(--mantine-font-size-md)', wordBreak: 'break-all' }}
      >
        {value}
      </Code>
      <Tooltip label={clipboard.copied ? t('common.copied') : t('common.copy')} withArrow>
        <ActionIcon
          variant="light"
          size="lg"
          aria-label={`${t('common.copy')}: ${label}`}
          onClick={() => clipboard.copy(value)}
          color={clipboard.copied ? 'teal' : undefined}
        >
          {clipboard.copied ? <IconCheck size={18} aria-hidden /> : <IconCopy size={18} aria-hidden />}
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
