/** The first screen after login: who you are, what you can open, and that the server is healthy. */
import { Card, Group, SimpleGrid, Stack, Text, ThemeIcon } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api/client.js';
import { useSession } from '../auth/session.js';
import { PageHeader } from '../components/page-header.js';
import { RoleBadge } from '../components/status-badges.js';
import { visibleAreas } from '../layout/areas.js';

export function HomePage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const health = useQuery({ queryKey: ['health'], queryFn: api.health, staleTime: 60_000 });
  if (!user) return null;
  const links = visibleAreas(user.role)
    .flatMap((area) => area.pages)
    .filter((page) => page.path !== '/' && !page.hidden && !page.path.includes(':'));
  return (
    <>
      <PageHeader title={t('home.welcome', { name: user.displayName })} />
      <Stack gap="lg">
        <Group gap="xs">
          <Text size="sm">{t('home.yourRole')}</Text>
          <RoleBadge role={user.role} />
          <Text size="sm" c="dimmed">
            {t(`home.roleDescriptions.${user.role}`)}
          </Text>
        </Group>
        {links.length > 0 ? (
          <section aria-labelledby="quick-links">
            <Text id="quick-links" fw={600} size="sm" mb="xs">
              {t('home.quickLinks')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
              {links.map((page) => (
                <Card
                  key={page.path}
                  withBorder
                  padding="sm"
                  radius="sm"
                  component={Link}
                  to={page.path}
                  className="link-card"
                >
                  <Group gap="sm" wrap="nowrap">
                    <ThemeIcon variant="light" size="lg" radius="sm">
                      <page.icon size={18} aria-hidden />
                    </ThemeIcon>
                    <Stack gap={0}>
                      <Text fw={600} size="sm">
                        {t(`nav.${page.label}`)}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t(`home.linkDescriptions.${page.label}`, { defaultValue: '' })}
                      </Text>
                    </Stack>
                  </Group>
                </Card>
              ))}
            </SimpleGrid>
          </section>
        ) : (
          <Text size="sm" c="dimmed">
            {t('home.nothingYet')}
          </Text>
        )}
        {health.data ? (
          <Text size="xs" c="dimmed">
            {t('home.server', {
              version: health.data.version,
              database: t(`home.databases.${health.data.database}`),
            })}
          </Text>
        ) : null}
      </Stack>
    </>
  );
}
