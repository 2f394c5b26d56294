/**
 * Key enrolment for a role that requires a security key: the person names the key and registers it;
 * an account without recovery codes then gets them (shown once).
 */
import { List } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WebauthnRegisterResponse } from '../api/types.js';
import { AuthLayout } from './auth-layout.js';
import { SecurityKeyForm } from './security-key-form.js';
import { useSession } from './session.js';
import { RecoveryCodes } from './totp-enrol-page.js';

export function SecurityKeyEnrolPage() {
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
      description={t('securityKeys.enrolDescription')}
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
    </AuthLayout>
  );
}
