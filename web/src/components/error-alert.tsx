/**
 * How an error reaches a person: what happened in their language when we have a translation for the code,
 * else the server's own message, and always the code for support.
 */
import { Alert, Code, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.js';
import { i18next } from '../i18n/index.js';

export interface DescribedError {
  code: string;
  message: string;
}

/** Turns any thrown value into a code and a message in the interface language. */
export function describeError(error: unknown, t: TFunction = i18next.t): DescribedError {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    const message = i18next.exists(key) ? t(key as never) : error.message || t('errors.unknown');
    return { code: error.code, message };
  }
  return {
    code: 'SVD_WEB_UNEXPECTED',
    message: error instanceof Error && error.message ? error.message : t('errors.unknown'),
  };
}

/** An inline alert for a failed request, placed where the person was acting. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const described = describeError(error, t);
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} aria-hidden />}
      title={title}
      role="alert"
    >
      <Text size="sm">{described.message}</Text>
      <Text size="xs" c="dimmed" mt={4}>
        {t('errors.codeLabel')} <Code>{described.code}</Code>
      </Text>
    </Alert>
  );
}

/** A toast for a failed action that has no form to show the error in. */
export function notifyError(error: unknown): void {
  const described = describeError(error);
  notifications.show({
    color: 'red',
    title: described.message,
    message: `${i18next.t('errors.codeLabel')} ${described.code}`,
    autoClose: 8000,
  });
}

/** A short confirmation toast. */
export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message, autoClose: 4000 });
}
