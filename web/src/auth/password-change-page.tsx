/** Step two on first login (or after a reset): replace the one-time password with one's own. */
import { Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import { ErrorAlert } from '../components/error-alert.js';
import { AuthLayout } from './auth-layout.js';
import { useSession } from './session.js';

export const minimumPasswordLength = 12;

export function PasswordChangePage() {
  const { t } = useTranslation();
  const session = useSession();
  const form = useForm({
    mode: 'controlled',
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
    validate: {
      currentPassword: (value) => (value ? null : t('auth.passwordRequired')),
      newPassword: (value, values) =>
        value.length < minimumPasswordLength
          ? t('auth.passwordTooShort', { count: minimumPasswordLength })
          : value === values.currentPassword
            ? t('errors.SVD_AUTH_SAME_PASSWORD')
            : null,
      confirmPassword: (value, values) => (value === values.newPassword ? null : t('auth.passwordsDiffer')),
    },
  });
  const change = useMutation({
    mutationFn: (values: typeof form.values) =>
      api.changePassword(values.currentPassword, values.newPassword),
    onSuccess: (response) => session.setSession(response),
  });
  return (
    <AuthLayout
      title={t('auth.passwordChangeTitle')}
      description={t('auth.passwordChangeDescription')}
      withLogout
    >
      <form onSubmit={form.onSubmit((values) => change.mutate(values))} noValidate>
        <Stack gap="sm">
          <ErrorAlert error={change.error} />
          <PasswordInput
            label={t('auth.currentPassword')}
            autoComplete="current-password"
            required
            name="currentPassword"
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label={t('auth.newPassword')}
            description={t('auth.passwordRule', { count: minimumPasswordLength })}
            autoComplete="new-password"
            required
            name="newPassword"
            {...form.getInputProps('newPassword')}
          />
          <PasswordInput
            label={t('auth.confirmPassword')}
            autoComplete="new-password"
            required
            name="confirmPassword"
            {...form.getInputProps('confirmPassword')}
          />
          <Button type="submit" loading={change.isPending} mt="xs" data-testid="password-submit">
            {t('auth.changePassword')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
