/**
 * The first screen after login, a place to start work: what waits for me (items to classify, reviews, failed
 * jobs for administrators), counts per area over what I may see, recent items, and the areas my role opens.
 * Every number comes from `GET /api/home`, where each area answers for itself.
 */
import {
  Alert,
  Anchor,
  Badge,
  Card,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api/client.js';
import type { HomeResponse } from '../api/types.js';
import { useSession } from '../auth/session.js';
import { PageHeader } from '../components/page-header.js';
import { RoleBadge } from '../components/status-badges.js';
import { useFormat } from '../i18n/format.js';
import { useVisibleAreas } from '../layout/navigation.js';

type AreaSummary = HomeResponse['areas'][number];

function Waiting({ areas }: { areas: AreaSummary[] }) {
  const { t } = useTranslation();
  const waiting = areas.flatMap((area) => area.waiting);
  return (
    <section aria-labelledby="home-waiting">
      <Title id="home-waiting" order={2} size="h4" mb="xs">
        {t('home.waitingTitle')}
      </Title>
      {waiting.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('home.nothingWaiting')}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
          {waiting.map((entry) => (
            <Card
              key={entry.key}
              withBorder
              padding="sm"
              radius="sm"
              component={Link}
              to={entry.path}
              className="link-card"
              data-testid={`waiting-${entry.key}`}
            >
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm">{t(`home.waiting.${entry.key}`, { defaultValue: entry.key })}</Text>
                <Badge size="lg" variant="light">
                  {entry.count}
                </Badge>
              </Group>
            </Card>
          ))}
        </SimpleGrid>
      )}
    </section>
  );
}

function Counts({ areas }: { areas: AreaSummary[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const withCounts = areas.filter((area) => Object.keys(area.counts).length > 0);
  if (withCounts.length === 0) return null;
  return (
    <section aria-labelledby="home-counts">
      <Title id="home-counts" order={2} size="h4" mb="xs">
        {t('home.countsTitle')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
        {withCounts.map((area) => (
          <Card key={area.area} withBorder padding="sm" radius="sm" data-testid={`counts-${area.area}`}>
            <Text fw={600} size="sm" mb={4}>
              {t(`home.areas.${area.area}`, { defaultValue: area.area })}
            </Text>
            {Object.entries(area.counts).map(([key, count]) => (
              <Group key={key} justify="space-between" gap="xs">
                <Text size="sm" c="dimmed">
                  {t(`home.counts.${key}`, { defaultValue: key })}
                </Text>
                <Text size="sm" fw={600}>
                  {format.number(count)}
                </Text>
              </Group>
            ))}
          </Card>
        ))}
      </SimpleGrid>
    </section>
  );
}

function Recent({ areas }: { areas: AreaSummary[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const recent = areas
    .flatMap((area) => area.recent)
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, 8);
  if (recent.length === 0) return null;
  return (
    <section aria-labelledby="home-recent">
      <Title id="home-recent" order={2} size="h4" mb="xs">
        {t('home.recentTitle')}
      </Title>
      <Stack gap={4}>
        {recent.map((entry) => (
          <Group key={entry.path} gap="sm" wrap="nowrap">
            <Text size="xs" c="dimmed" w={170}>
              {format.dateTime(entry.at)}
            </Text>
            <Anchor component={Link} to={entry.path} size="sm">
              {entry.title}
            </Anchor>
          </Group>
        ))}
      </Stack>
    </section>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const visibleAreas = useVisibleAreas();
  const health = useQuery({ queryKey: ['health'], queryFn: api.health, staleTime: 60_000 });
  const home = useQuery({
    queryKey: ['home'],
    queryFn: api.home,
    enabled: user?.role !== 'partner',
    refetchInterval: (query) => (query.state.data?.demo === 'preparing' ? 3_000 : false),
  });
  if (!user) return null;
  const links = visibleAreas
    .flatMap((area) => area.pages)
    .filter((page) => page.path !== '/' && !page.hidden && !page.path.includes(':'));
  const areas = home.data?.areas ?? [];
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
        {home.data?.demo === 'preparing' ? (
          <Alert color="blue" icon={<Loader size="xs" />} data-testid="demo-preparing">
            {t('home.demoPreparing')}
          </Alert>
        ) : null}
        {home.data ? (
          <>
            <Waiting areas={areas} />
            <Counts areas={areas} />
            <Recent areas={areas} />
          </>
        ) : null}
        {links.length > 0 ? (
          <section aria-labelledby="quick-links">
            <Title id="quick-links" order={2} size="h4" mb="xs">
              {t('home.quickLinks')}
            </Title>
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
