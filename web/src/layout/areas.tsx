/**
 * The map of the app: one entry per page, grouped by area. The left navigation and the router are both
 * built from this list, so a new area (Evidence, Incidents, Registry, Screening, Cases, Sanctions, Datasets,
 * Bot) is one line in `areas` plus its page component.
 */
import type { Icon } from '@tabler/icons-react';
import {
  IconHome,
  IconKey,
  IconListCheck,
  IconListDetails,
  IconSettings,
  IconUsers,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { ApiKeysPage } from '../admin/api-keys-page.js';
import { AuditPage } from '../admin/audit-page.js';
import { JobsPage } from '../admin/jobs-page.js';
import { UsersPage } from '../admin/users-page.js';
import type { Role } from '../api/types.js';
import type be from '../i18n/be.json';
import { HomePage } from '../pages/home-page.js';
import { IconAddressBook, IconDatabase } from '@tabler/icons-react';
import { DatasetsPage } from '../registry/datasets-page.js';
import { EntitiesPage } from '../registry/entities-page.js';
import { EntityEditPage } from '../registry/entity-edit-page.js';
import { EntityPage } from '../registry/entity-page.js';

type NavKey = keyof (typeof be)['nav'];

export interface Page {
  /** Route path, absolute. */
  path: string;
  label: NavKey;
  icon: Icon;
  component: ComponentType;
  /** Roles that may see the page; absent means every logged-in user. */
  roles?: readonly Role[];
  /** A route without its own navigation entry (detail pages). */
  hidden?: boolean;
}

export interface Area {
  key: NavKey;
  icon: Icon;
  pages: Page[];
  roles?: readonly Role[];
}

const admin = ['admin'] as const;

export const areas: Area[] = [
  { key: 'home', icon: IconHome, pages: [{ path: '/', label: 'home', icon: IconHome, component: HomePage }] },
  {
    key: 'registry',
    icon: IconAddressBook,
    roles: ['admin', 'analyst', 'reviewer'],
    pages: [
      { path: '/registry/entities', label: 'entities', icon: IconAddressBook, component: EntitiesPage },
      { path: '/registry/datasets', label: 'datasets', icon: IconDatabase, component: DatasetsPage },
      {
        path: '/registry/entities/:id',
        label: 'entities',
        icon: IconAddressBook,
        component: EntityPage,
        hidden: true,
      },
      {
        path: '/registry/entities/:id/edit',
        label: 'entities',
        icon: IconAddressBook,
        component: EntityEditPage,
        roles: ['admin', 'analyst'],
        hidden: true,
      },
    ],
  },
  {
    key: 'admin',
    icon: IconSettings,
    roles: admin,
    pages: [
      { path: '/admin/users', label: 'users', icon: IconUsers, component: UsersPage, roles: admin },
      { path: '/admin/api-keys', label: 'apiKeys', icon: IconKey, component: ApiKeysPage, roles: admin },
      { path: '/admin/audit', label: 'audit', icon: IconListDetails, component: AuditPage, roles: admin },
      { path: '/admin/jobs', label: 'jobs', icon: IconListCheck, component: JobsPage, roles: admin },
    ],
  },
];

/** The areas and pages a role may see, in navigation order. */
export function visibleAreas(role: Role): Area[] {
  const allowed = (roles?: readonly Role[]) => !roles || roles.includes(role);
  return areas
    .filter((area) => allowed(area.roles))
    .map((area) => ({ ...area, pages: area.pages.filter((page) => allowed(page.roles)) }))
    .filter((area) => area.pages.length > 0);
}
