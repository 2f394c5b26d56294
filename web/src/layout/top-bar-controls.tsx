/**
 * The controls every screen has, logged in or not: interface language, light/dark theme, and (when logged
 * in) the user menu.
 */
import {
  ActionIcon,
  Avatar,
  Menu,
  SegmentedControl,
  Text,
  Tooltip,
  UnstyledButton,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { IconLogout, IconMoon, IconShieldLock, IconSun } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { notifyError } from '../components/error-alert.js';
import { isLanguage, languages } from '../i18n/index.js';

const languageShort = { be: 'Бел', ru: 'Рус', en: 'Eng' } as const;

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('topBar.language')}
      value={i18n.language}
      onChange={(value) => {
        if (isLanguage(value)) session.changeLanguage(value).catch(notifyError);
      }}
      data={languages.map((language) => ({
        value: language,
        label: (
          <span lang={language} title={t(`languages.${language}`)}>
            {languageShort[language]}
          </span>
        ),
      }))}
      data-testid="language-switch"
    />
  );
}

export function ColorSchemeToggle() {
  const { t } = useTranslation();
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: false });
  const label = computed === 'dark' ? t('topBar.lightTheme') : t('topBar.darkTheme');
  return (
    <Tooltip label={label} withArrow>
      <ActionIcon
        variant="default"
        size="md"
        aria-label={label}
        onClick={() => setColorScheme(computed === 'dark' ? 'light' : 'dark')}
        data-testid="color-scheme-toggle"
      >
        {computed === 'dark' ? <IconSun size={16} aria-hidden /> : <IconMoon size={16} aria-hidden />}
      </ActionIcon>
    </Tooltip>
  );
}

export function UserMenu() {
  const { t } = useTranslation();
  const session = useSession();
  const user = session.user;
  if (!user) return null;
  const initials = (user.displayName || user.username)
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
  return (
    <Menu position="bottom-end" withArrow shadow="md">
      <Menu.Target>
        <UnstyledButton className="user-button" aria-label={t('topBar.userMenu', { name: user.displayName })}>
          <Avatar size={28} radius="xl" color="brand">
            {initials}
          </Avatar>
          <Text size="sm" visibleFrom="sm" fw={500}>
            {user.displayName}
          </Text>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {user.username} · {t(`roles.${user.role}`)}
        </Menu.Label>
        <Menu.Item
          component={Link}
          to="/account"
          leftSection={<IconShieldLock size={16} aria-hidden />}
          data-testid="account-link"
        >
          {t('topBar.account')}
        </Menu.Item>
        <Menu.Item
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => session.logout().catch(notifyError)}
          data-testid="logout"
        >
          {t('topBar.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
