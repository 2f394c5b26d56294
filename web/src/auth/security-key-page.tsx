/**
 * The second factor for an account with security keys: the key is offered first (one button, focused);
 * an authenticator-app code (where the role still allows it) or a recovery code is the fallback below.
 */
import { Button, Divider, Stack, Text } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import { ErrorAlert } from '../components/error-alert.js';
import { AuthLayout } from './auth-layout.js';
import { signInWithSecurityKey } from './security-key.js';
import { useSession } from './session.js';
import { SecondFactorCodeForm } from './totp-page.js';

export function SecurityKeyPage() {
  const { t } = useTranslation();
  const session = useSession();
  const factors = useQuery({ queryKey: ['auth', 'factors'], queryFn: api.factors, gcTime: 0 });
  const signIn = useMutation({
    mutationFn: signInWithSecurityKey,
    onSuccess: (response) => session.setSession(response),
  });
  const codesToo = factors.data ? factors.data.totpEnrolled && factors.data.totpAllowed : false;
  return (
    <AuthLayout
      title={t('securityKeys.signInTitle')}
      description={t('securityKeys.signInDescription')}
      withLogout
    >
      <Stack gap="sm">
        <ErrorAlert error={signIn.error} />
        <Button
          size="md"
          leftSection={<IconKey size={18} aria-hidden />}
          loading={signIn.isPending}
          onClick={() => signIn.mutate()}
          autoFocus
          data-testid="security-key-sign-in"
        >
          {t('securityKeys.useKey')}
        </Button>
        {factors.data && !factors.data.webauthnAvailable ? (
          <Text size="sm" c="red">
            {t('errors.SVD_AUTH_WEBAUTHN_UNAVAILABLE')}
          </Text>
        ) : null}
      </Stack>
      <Divider label={t('securityKeys.otherWays')} labelPosition="center" />
      <Text size="sm" c="dimmed">
        {codesToo ? t('securityKeys.codeOrRecovery') : t('securityKeys.recoveryOnly')}
      </Text>
      <SecondFactorCodeForm appCodes={codesToo} />
    </AuthLayout>
  );
}
