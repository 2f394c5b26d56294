/**
 * The frame of the logged-in app: top bar, left navigation by area, and the page. A skip link lets
 * keyboard users jump past the navigation.
 */
import { AppShell, Burger, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterNavLink, useLocation } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { visibleAreas } from './areas.js';
import { ColorSchemeToggle, LanguageSwitch, UserMenu } from './top-bar-controls.js';
import { TopBarSearch } from './top-bar-search.js';

export function SkipLink() {
  const { t } = useTranslation();
  return (
    <a className="skip-link" href="#main">
      {t('common.skipToContent')}
    </a>
  );
}

export function Brand() {
  const { t } = useTranslation();
  return (
    <Group gap={8} wrap="nowrap">
      <img src="/favicon.svg" alt="" width={24} height={24} />
      <Text fw={700} size="md">
        {t('app.name')}
      </Text>
    </Group>
  );
}

export function AppLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const areas = user ? visibleAreas(user.role) : [];

  return (
    <>
      <SkipLink />
      <AppShell
        header={{ height: 52 }}
        navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={t('topBar.toggleNavigation')}
              />
              <Brand />
            </Group>
            <TopBarSearch />
            <Group gap="sm" wrap="nowrap">
              <LanguageSwitch />
              <ColorSchemeToggle />
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label={t('nav.label')}>
          <ScrollArea type="auto">
            <div>
              {areas.map((area) =>
                area.pages[0]?.label === area.key &&
                area.pages.every((page, index) => index === 0 || page.hidden) ? (
                  <NavLink
                    key={area.key}
                    component={RouterNavLink}
                    to={area.pages[0].path}
                    end
                    label={t(`nav.${area.key}`)}
                    leftSection={<area.icon size={18} aria-hidden />}
                    active={
                      location.pathname === area.pages[0].path ||
                      location.pathname.startsWith(`${area.pages[0].path}/`)
                    }
                    onClick={close}
                  />
                ) : (
                  <div key={area.key} className="nav-area">
                    <Text
                      className="nav-area-title"
                      size="xs"
                      fw={700}
                      c="dimmed"
                      tt="uppercase"
                      px="sm"
                      pt="md"
                      pb={4}
                    >
                      {t(`nav.${area.key}`)}
                    </Text>
                    {area.pages
                      .filter((page) => !page.hidden)
                      .map((page) => (
                        <NavLink
                          key={page.path}
                          component={RouterNavLink}
                          to={page.path}
                          label={t(`nav.${page.label}`)}
                          leftSection={<page.icon size={18} aria-hidden />}
                          active={location.pathname.startsWith(page.path)}
                          onClick={close}
                        />
                      ))}
                  </div>
                ),
              )}
            </div>
          </ScrollArea>
        </AppShell.Navbar>
        <AppShell.Main id="main" tabIndex={-1}>
          {children}
        </AppShell.Main>
      </AppShell>
    </>
  );
}
