/** Adding a security key: its name (and, once signed in, the password again), then the browser's prompt. */
import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconKey } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { WebauthnRegisterResponse } from '../api/types.js';
import { ErrorAlert } from '../components/error-alert.js';
import { registerSecurityKey } from './security-key.js';

/** Name (and, once signed in, the current password), then the browser's own security key prompt. */
export function SecurityKeyForm({
  withPassword = false,
  onRegistered,
}: {
  withPassword?: boolean;
  onRegistered: (response: WebauthnRegisterResponse) => void;
}) {
  const { t } = useTranslation();
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: t('securityKeys.defaultName'), currentPassword: '' },
    validate: {
      name: (value) => (value.trim() ? null : t('common.required')),
      currentPassword: (value) => (!withPassword || value ? null : t('auth.passwordRequired')),
    },
  });
  const register = useMutation({
    mutationFn: (values: typeof form.values) =>
      registerSecurityKey(values.name.trim(), withPassword ? values.currentPassword : undefined),
    onSuccess: onRegistered,
  });
  return (
    <form onSubmit={form.onSubmit((values) => register.mutate(values))} noValidate>
      <Stack gap="sm">
        <ErrorAlert error={register.error} />
        <TextInput
          label={t('securityKeys.name')}
          description={t('securityKeys.nameDescription')}
          required
          name="keyName"
          maxLength={100}
          {...form.getInputProps('name')}
        />
        {withPassword ? (
          <PasswordInput
            label={t('securityKeys.currentPassword')}
            autoComplete="current-password"
            required
            name="currentPassword"
            {...form.getInputProps('currentPassword')}
          />
        ) : null}
        <Button
          type="submit"
          leftSection={<IconKey size={16} aria-hidden />}
          loading={register.isPending}
          data-testid="security-key-register"
        >
          {t('securityKeys.register')}
        </Button>
      </Stack>
    </form>
  );
}
