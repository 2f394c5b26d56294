/** Step three for an enrolled account: the code from the authenticator app, or one recovery code. */
import { Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import { ErrorAlert } from '../components/error-alert.js';
import { AuthLayout } from './auth-layout.js';
import { useSession } from './session.js';
import { normalizeTotpCode } from './totp-enrol-page.js';

export function TotpPage() {
  const { t } = useTranslation();
  return (
    <AuthLayout title={t('auth.totpTitle')} description={t('auth.totpDescription')} withLogout>
      <SecondFactorCodeForm />
    </AuthLayout>
  );
}

/**
 * A code from the authenticator app or a recovery code; also the fallback below the security key, where
 * `appCodes` is false when the role switched app codes off (only recovery codes are described then).
 */
export function SecondFactorCodeForm({ appCodes = true }: { appCodes?: boolean }) {
  const { t } = useTranslation();
  const session = useSession();
  const form = useForm({
    mode: 'controlled',
    initialValues: { code: '' },
    validate: { code: (value) => (normalizeTotpCode(value).length >= 6 ? null : t('auth.codeRequired')) },
  });
  const verify = useMutation({
    mutationFn: (code: string) => {
      const compact = normalizeTotpCode(code);
      // A recovery code keeps its dashes; only a six-digit code is compacted.
      return api.totp(/^\d{6}$/.test(compact) ? compact : code.trim());
    },
    onSuccess: (response) => session.setSession(response),
  });
  return (
    <form onSubmit={form.onSubmit((values) => verify.mutate(values.code))} noValidate>
      <Stack gap="sm">
        <ErrorAlert error={verify.error} />
        <TextInput
          label={t('auth.code')}
          description={appCodes ? t('auth.totpCodeDescription') : undefined}
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          required
          name="code"
          {...form.getInputProps('code')}
        />
        <Button type="submit" loading={verify.isPending} data-testid="totp-submit">
          {t('auth.verify')}
        </Button>
      </Stack>
    </form>
  );
}
