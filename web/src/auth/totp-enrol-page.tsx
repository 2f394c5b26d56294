/**
 * Step three for staff roles: set up two-factor authentication. Shows the QR code and the secret, checks one
 * code, then shows the recovery codes once and waits for the person to confirm they saved them.
 */
import { Anchor, Button, Group, Image, List, Loader, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import type { TotpEnrolConfirmResponse } from '../api/types.js';
import { ErrorAlert } from '../components/error-alert.js';
import { SecretValue } from '../components/secret-reveal.js';
import { AuthLayout } from './auth-layout.js';
import { RecoveryCodes } from './recovery-codes.js';
import { SecurityKeyEnrolPage } from './security-key-enrol-page.js';
import { useSession } from './session.js';

/**
 * The server draws the QR code as SVG markup. Shown through <img>, an SVG cannot run scripts or load
 * anything, whatever it contains.
 */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** Six digits, spaces and dashes ignored (authenticator apps show "123 456"). */
export function normalizeTotpCode(value: string): string {
  return value.replace(/[\s-]/g, '');
}

export function TotpEnrolPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [confirmed, setConfirmed] = useState<TotpEnrolConfirmResponse | null>(null);
  const [withKey, setWithKey] = useState(false);
  const factors = useQuery({ queryKey: ['auth', 'factors'], queryFn: api.factors, gcTime: 0 });

  const start = useQuery({
    queryKey: ['auth', 'totp-enrol'],
    queryFn: api.totpEnrolStart,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    refetchOnWindowFocus: false,
    retry: false,
  });
  const qrSrc = useMemo(() => (start.data ? svgDataUrl(start.data.qrSvg) : null), [start.data]);

  const form = useForm({
    mode: 'controlled',
    initialValues: { code: '' },
    validate: {
      code: (value) => (/^\d{6}$/.test(normalizeTotpCode(value)) ? null : t('auth.codeSixDigits')),
    },
  });
  const confirm = useMutation({
    mutationFn: (code: string) => api.totpEnrolConfirm(normalizeTotpCode(code)),
    onSuccess: (response) => setConfirmed(response),
  });

  if (confirmed) {
    return (
      <RecoveryCodes
        codes={confirmed.recoveryCodes}
        onDone={() => session.setSession({ user: session.user, stage: confirmed.stage })}
      />
    );
  }

  if (withKey) return <SecurityKeyEnrolPage optional onBack={() => setWithKey(false)} />;

  return (
    <AuthLayout title={t('auth.enrolTitle')} description={t('auth.enrolDescription')} width={680} withLogout>
      {start.isLoading ? (
        <Loader aria-label={t('common.loading')} />
      ) : start.error ? (
        <Stack>
          <ErrorAlert error={start.error} />
          <Button variant="default" onClick={() => void start.refetch()}>
            {t('common.retry')}
          </Button>
        </Stack>
      ) : start.data ? (
        <Stack gap="md">
          <Group align="flex-start" gap="lg" wrap="nowrap">
            <Image
              src={qrSrc}
              alt={t('auth.qrAlt')}
              w={184}
              h={184}
              className="qr-code"
              data-testid="totp-qr"
            />
            <Stack gap="sm" style={{ flex: 1 }}>
              <List type="ordered" size="sm" spacing={4}>
                <List.Item>{t('auth.enrolStepApp')}</List.Item>
                <List.Item>{t('auth.enrolStepScan')}</List.Item>
                <List.Item>{t('auth.enrolStepCode')}</List.Item>
              </List>
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('auth.manualSecret')}
                </Text>
                <SecretValue value={start.data.secret} label={t('auth.manualSecret')} testId="totp-secret" />
              </Stack>
            </Stack>
          </Group>
          <form onSubmit={form.onSubmit((values) => confirm.mutate(values.code))} noValidate>
            <Stack gap="sm">
              <ErrorAlert error={confirm.error} />
              <TextInput
                label={t('auth.code')}
                description={t('auth.codeDescription')}
                autoComplete="one-time-code"
                inputMode="numeric"
                required
                name="code"
                {...form.getInputProps('code')}
              />
              <Button type="submit" loading={confirm.isPending} data-testid="totp-enrol-submit">
                {t('auth.enrolConfirm')}
              </Button>
            </Stack>
          </form>
          {factors.data?.webauthnAvailable ? (
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => setWithKey(true)}
              data-testid="enrol-with-key"
            >
              {t('securityKeys.useKeyInstead')}
            </Anchor>
          ) : null}
        </Stack>
      ) : null}
    </AuthLayout>
  );
}
