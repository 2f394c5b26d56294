/** The frame of the login steps: a narrow card in the middle, language and theme reachable before login. */
import { Anchor, Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyError } from '../components/error-alert.js';
import { Brand, SkipLink } from '../layout/app-layout.js';
import { ColorSchemeToggle, LanguageSwitch } from '../layout/top-bar-controls.js';
import { useSession } from './session.js';

export function AuthLayout({
  title,
  description,
  children,
  width = 420,
  withLogout = false,
}: {
  title: string;
  description?: string;
  children: ReactNode;
  width?: number;
  withLogout?: boolean;
}) {
  const { t } = useTranslation();
  const session = useSession();
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
  return (
    <Box className="auth-page">
      <SkipLink />
      <Group justify="space-between" p="md" component="header">
        <Brand />
        <Group gap="sm">
          <LanguageSwitch />
          <ColorSchemeToggle />
        </Group>
      </Group>
      <Center component="main" id="main" tabIndex={-1} px="md" pb="xl">
        <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={width}>
          <Stack gap="md">
            <Stack gap={4}>
              <Title order={1} size="h3">
                {title}
              </Title>
              {description ? (
                <Text size="sm" c="dimmed">
                  {description}
                </Text>
              ) : null}
            </Stack>
            {children}
            {withLogout && session.user ? (
              <Text size="xs" c="dimmed">
                {t('auth.signedInAs', { name: session.user.username })}{' '}
                <Anchor
                  component="button"
                  type="button"
                  size="xs"
                  onClick={() => session.logout().catch(notifyError)}
                >
                  {t('auth.useAnotherAccount')}
                </Anchor>
              </Text>
            ) : null}
          </Stack>
        </Paper>
      </Center>
    </Box>
  );
}
