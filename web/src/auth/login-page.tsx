/** Step one: user name and password. */
import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import { ErrorAlert } from '../components/error-alert.js';
import { AuthLayout } from './auth-layout.js';
import { useSession } from './session.js';

export function LoginPage() {
  const { t } = useTranslation();
  const session = useSession();
  const form = useForm({
    mode: 'controlled',
    initialValues: { username: '', password: '' },
    validate: {
      username: (value) => (value.trim() ? null : t('auth.usernameRequired')),
      password: (value) => (value ? null : t('auth.passwordRequired')),
    },
  });
  const login = useMutation({
    mutationFn: (values: { username: string; password: string }) =>
      api.login(values.username.trim(), values.password),
    onSuccess: (response) => session.setSession(response),
  });
  return (
    <AuthLayout title={t('auth.loginTitle')} description={t('auth.loginDescription')}>
      <form onSubmit={form.onSubmit((values) => login.mutate(values))} noValidate>
        <Stack gap="sm">
          <ErrorAlert error={login.error} />
          <TextInput
            label={t('auth.username')}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            name="username"
            {...form.getInputProps('username')}
          />
          <PasswordInput
            label={t('auth.password')}
            autoComplete="current-password"
            required
            name="password"
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={login.isPending} mt="xs" data-testid="login-submit">
            {t('auth.login')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
