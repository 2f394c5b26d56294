/**
 * The route guard: until the login steps are done, the matching step is shown in place of whatever URL was
 * asked for (so the person lands there afterwards); then the pages their role allows.
 */
import { Button, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes } from 'react-router-dom';
import { LoginPage } from './auth/login-page.js';
import { PasswordChangePage } from './auth/password-change-page.js';
import { SecurityKeyEnrolPage } from './auth/security-key-enrol-page.js';
import { SecurityKeyPage } from './auth/security-key-page.js';
import { useSession } from './auth/session.js';
import { TotpEnrolPage } from './auth/totp-enrol-page.js';
import { TotpPage } from './auth/totp-page.js';
import { ErrorAlert } from './components/error-alert.js';
import { AppLayout } from './layout/app-layout.js';
import { visibleAreas } from './layout/areas.js';
import { VisibleAreasContext } from './layout/navigation.js';

export function App() {
  const { t } = useTranslation();
  const session = useSession();

  if (session.isLoading) {
    return (
      <Center h="100vh">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (session.error && !session.user) {
    return (
      <Center h="100vh" p="md">
        <Stack maw={480}>
          <ErrorAlert error={session.error} title={t('errors.serverUnreachable')} />
          <Button onClick={session.refetch}>{t('common.retry')}</Button>
        </Stack>
      </Center>
    );
  }
  if (!session.user || !session.stage) return <LoginPage />;
  if (session.stage === 'password_change') return <PasswordChangePage />;
  if (session.stage === 'totp_enrol') return <TotpEnrolPage />;
  if (session.stage === 'totp') return <TotpPage />;
  if (session.stage === 'webauthn') return <SecurityKeyPage />;
  if (session.stage === 'webauthn_enrol') return <SecurityKeyEnrolPage />;

  const areas = visibleAreas(session.user.role);
  return (
    <VisibleAreasContext.Provider value={areas}>
      <AppLayout>
        <Routes>
          {areas
            .flatMap((area) => area.pages)
            .map((page) => (
              <Route key={page.path} path={page.path} element={<page.component />} />
            ))}
          <Route path="*" element={<NotFound />} />
        </Routes>
      </AppLayout>
    </VisibleAreasContext.Provider>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" align="flex-start">
      <Title order={1} size="h3">
        {t('notFound.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('notFound.text')}
      </Text>
      <Button component={Link} to="/" variant="default">
        {t('notFound.home')}
      </Button>
    </Stack>
  );
}
