/**
 * The map of the app: one entry per page, grouped by area. The left navigation and the router are both
 * built from this list, so a new area (Evidence, Incidents, Registry, Screening, Cases, Sanctions, Datasets,
 * Bot) is one line in `areas` plus its page component.
 */
import {
  IconAddressBook,
  IconAlertTriangle,
  IconArrowsJoin,
  IconChartPie,
  IconClipboardCheck,
  IconDatabase,
  IconFileExport,
  IconFolder,
  IconForms,
  IconGavel,
  IconGitMerge,
  IconHome,
  IconKey,
  IconListCheck,
  IconListDetails,
  IconListSearch,
  IconRobot,
  IconSend,
  IconSettings,
  IconShieldLock,
  IconTemplate,
  IconUserSearch,
  IconUsers,
} from '@tabler/icons-react';
import { ApiKeysPage } from '../admin/api-keys-page.js';
import { AuditPage } from '../admin/audit-page.js';
import { JobsPage } from '../admin/jobs-page.js';
import { UsersPage } from '../admin/users-page.js';
import type { Role } from '../api/types.js';
import { AccountPage } from '../auth/account-page.js';
import { BroadcastPage } from '../bot/broadcast-page.js';
import { BroadcastsPage } from '../bot/broadcasts-page.js';
import { ComposerPage } from '../bot/composer-page.js';
import { QuestionnairePage } from '../bot/questionnaire-page.js';
import { SubscribersPage } from '../bot/subscribers-page.js';
import { TemplatesPage } from '../bot/templates-page.js';
import { CaseFormPage } from '../cases/case-form-page.js';
import { CasePage } from '../cases/case-page.js';
import { CasesListPage } from '../cases/cases-list-page.js';
import { MappingPage } from '../datasets/mapping-page.js';
import { CollectionsPage } from '../evidence/collections-page.js';
import { EvidenceListPage } from '../evidence/evidence-list-page.js';
import { ItemPage } from '../evidence/item-page.js';
import { UploadPage } from '../evidence/upload-page.js';
import { IncidentFormPage } from '../incidents/incident-form-page.js';
import { IncidentPage } from '../incidents/incident-page.js';
import { IncidentsListPage } from '../incidents/incidents-list-page.js';
import { HomePage } from '../pages/home-page.js';
import { DatasetsPage } from '../registry/datasets-page.js';
import { EntitiesPage } from '../registry/entities-page.js';
import { EntityEditPage } from '../registry/entity-edit-page.js';
import { EntityPage } from '../registry/entity-page.js';
import { ExportsPage } from '../sanctions/exports-page.js';
import { OfficialListsPage } from '../sanctions/lists-page.js';
import { ProposalPage } from '../sanctions/proposal-page.js';
import { ProposalsListPage } from '../sanctions/proposals-list-page.js';
import { ProposalReviewPage } from '../sanctions/review-page.js';
import { BulkScreeningPage } from '../screening/bulk-page.js';
import { ScreeningPage } from '../screening/screening-page.js';
import { ClusterPage } from '../xref/cluster-page.js';
import { ReviewPage } from '../xref/review-page.js';
import { RunsPage } from '../xref/runs-page.js';
import type { Area } from './navigation.js';

const admin = ['admin'] as const;

export const areas: Area[] = [
  {
    key: 'home',
    icon: IconHome,
    pages: [
      { path: '/', label: 'home', icon: IconHome, component: HomePage },
      { path: '/account', label: 'account', icon: IconShieldLock, component: AccountPage, hidden: true },
    ],
  },
  {
    key: 'registry',
    icon: IconAddressBook,
    roles: ['admin', 'analyst', 'reviewer'],
    pages: [
      { path: '/registry/entities', label: 'entities', icon: IconAddressBook, component: EntitiesPage },
      { path: '/registry/datasets', label: 'datasets', icon: IconDatabase, component: DatasetsPage },
      {
        path: '/registry/datasets/:id/mapping',
        label: 'datasets',
        icon: IconDatabase,
        component: MappingPage,
        roles: ['admin', 'analyst'],
        hidden: true,
      },
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
    key: 'screening',
    icon: IconUserSearch,
    roles: ['admin', 'analyst', 'reviewer'],
    pages: [
      { path: '/screening/name', label: 'screening', icon: IconUserSearch, component: ScreeningPage },
      { path: '/screening/bulk', label: 'screeningBulk', icon: IconUserSearch, component: BulkScreeningPage },
    ],
  },
  {
    key: 'xref',
    icon: IconArrowsJoin,
    roles: ['admin', 'analyst', 'reviewer'],
    pages: [
      { path: '/xref/review', label: 'xrefReview', icon: IconArrowsJoin, component: ReviewPage },
      { path: '/xref/runs', label: 'xrefRuns', icon: IconGitMerge, component: RunsPage },
      {
        path: '/xref/clusters/:id',
        label: 'xrefReview',
        icon: IconArrowsJoin,
        component: ClusterPage,
        hidden: true,
      },
    ],
  },
  {
    key: 'evidence',
    icon: IconFolder,
    roles: ['admin', 'analyst', 'reviewer'],
    pages: [
      { path: '/evidence', label: 'evidence', icon: IconFolder, component: EvidenceListPage },
      {
        path: '/evidence/collections',
        label: 'collections',
        icon: IconFolder,
        component: CollectionsPage,
        roles: admin,
      },
      { path: '/evidence/upload', label: 'evidence', icon: IconFolder, component: UploadPage, hidden: true },
      { path: '/evidence/:itemId', label: 'evidence', icon: IconFolder, component: ItemPage, hidden: true },
    ],
  },
  {
    key: 'incidents',
    icon: IconAlertTriangle,
    roles: ['admin', 'analyst', 'reviewer'],
    pages: [
      { path: '/incidents', label: 'incidents', icon: IconAlertTriangle, component: IncidentsListPage },
      {
        path: '/incidents/new',
        label: 'incidents',
        icon: IconAlertTriangle,
        component: IncidentFormPage,
        hidden: true,
      },
      {
        path: '/incidents/:incidentId',
        label: 'incidents',
        icon: IconAlertTriangle,
        component: IncidentPage,
        hidden: true,
      },
      {
        path: '/incidents/:incidentId/edit',
        label: 'incidents',
        icon: IconAlertTriangle,
        component: IncidentFormPage,
        hidden: true,
      },
    ],
  },
  {
    key: 'cases',
    icon: IconClipboardCheck,
    roles: ['admin', 'analyst', 'reviewer'],
    pages: [
      { path: '/cases', label: 'cases', icon: IconClipboardCheck, component: CasesListPage },
      { path: '/cases/new', label: 'cases', icon: IconClipboardCheck, component: CaseFormPage, hidden: true },
      { path: '/cases/:caseId', label: 'cases', icon: IconClipboardCheck, component: CasePage, hidden: true },
    ],
  },
  {
    key: 'sanctions',
    icon: IconGavel,
    roles: ['admin', 'analyst', 'reviewer'],
    pages: [
      {
        path: '/sanctions/proposals',
        label: 'sanctionsProposals',
        icon: IconGavel,
        component: ProposalsListPage,
      },
      {
        path: '/sanctions/lists',
        label: 'sanctionsLists',
        icon: IconListSearch,
        component: OfficialListsPage,
      },
      { path: '/sanctions/exports', label: 'sanctionsExports', icon: IconFileExport, component: ExportsPage },
      {
        path: '/sanctions/proposals/:proposalId',
        label: 'sanctionsProposals',
        icon: IconGavel,
        component: ProposalPage,
        hidden: true,
      },
      {
        path: '/sanctions/proposals/:proposalId/review',
        label: 'sanctionsProposals',
        icon: IconGavel,
        component: ProposalReviewPage,
        hidden: true,
      },
    ],
  },
  {
    key: 'bot',
    icon: IconRobot,
    roles: ['admin', 'analyst', 'reviewer'],
    pages: [
      { path: '/bot/subscribers', label: 'botSubscribers', icon: IconChartPie, component: SubscribersPage },
      {
        path: '/bot/questionnaire',
        label: 'botQuestionnaire',
        icon: IconForms,
        component: QuestionnairePage,
      },
      { path: '/bot/templates', label: 'botTemplates', icon: IconTemplate, component: TemplatesPage },
      { path: '/bot/broadcasts', label: 'botBroadcasts', icon: IconSend, component: BroadcastsPage },
      {
        path: '/bot/broadcasts/new',
        label: 'botBroadcasts',
        icon: IconSend,
        component: ComposerPage,
        roles: admin,
        hidden: true,
      },
      {
        path: '/bot/broadcasts/:broadcastId',
        label: 'botBroadcasts',
        icon: IconSend,
        component: BroadcastPage,
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
