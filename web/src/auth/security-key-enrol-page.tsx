/**
 * Key enrolment for a role that requires a security key: the person names the key and registers it;
 * an account without recovery codes then gets them (shown once).
 */
import { Anchor, List } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WebauthnRegisterResponse } from '../api/types.js';
import { AuthLayout } from './auth-layout.js';
import { RecoveryCodes } from './recovery-codes.js';
import { SecurityKeyForm } from './security-key-form.js';
import { useSession } from './session.js';

/** `optional`: chosen instead of the authenticator app (the role does not require a key); `onBack` returns to it. */
export function SecurityKeyEnrolPage({
  optional = false,
  onBack,
}: {
  optional?: boolean;
  onBack?: () => void;
}) {
  const { t } = useTranslation();
  const session = useSession();
  const [registered, setRegistered] = useState<WebauthnRegisterResponse | null>(null);
  const done = (response: WebauthnRegisterResponse) =>
    session.setSession({ user: session.user, stage: response.stage });
  if (registered?.recoveryCodes)
    return <RecoveryCodes codes={registered.recoveryCodes} onDone={() => done(registered)} />;
  return (
    <AuthLayout
      title={t('securityKeys.enrolTitle')}
      description={optional ? t('securityKeys.enrolOptionalDescription') : t('securityKeys.enrolDescription')}
      width={520}
      withLogout
    >
      <List type="ordered" size="sm" spacing={4}>
        <List.Item>{t('securityKeys.enrolStepName')}</List.Item>
        <List.Item>{t('securityKeys.enrolStepTouch')}</List.Item>
      </List>
      <SecurityKeyForm
        onRegistered={(response) => (response.recoveryCodes ? setRegistered(response) : done(response))}
      />
      {onBack ? (
        <Anchor component="button" type="button" size="sm" onClick={onBack}>
          {t('securityKeys.useAppInstead')}
        </Anchor>
      ) : null}
    </AuthLayout>
  );
}
