/**
 * The shape of the translations, taken from the Belarusian files (complete by rule; a test holds ru and en to the
 * same keys). Translations live one file per area and language, `<lang>/<area>.json`, holding the keys under
 * `<area>`: a new area adds its three files and one line here.
 */

import type apiKeys from './be/apiKeys.json';
import type app from './be/app.json';
import type audit from './be/audit.json';
import type auth from './be/auth.json';
import type bot from './be/bot.json';
import type cases from './be/cases.json';
import type collections from './be/collections.json';
import type common from './be/common.json';
import type datasets from './be/datasets.json';
import type errors from './be/errors.json';
import type evidence from './be/evidence.json';
import type evidenceTools from './be/evidenceTools.json';
import type ftm from './be/ftm.json';
import type home from './be/home.json';
import type incidents from './be/incidents.json';
import type jobs from './be/jobs.json';
import type languages from './be/languages.json';
import type nav from './be/nav.json';
import type notFound from './be/notFound.json';
import type registry from './be/registry.json';
import type roles from './be/roles.json';
import type sanctions from './be/sanctions.json';
import type screening from './be/screening.json';
import type search from './be/search.json';
import type securityKeys from './be/securityKeys.json';
import type table from './be/table.json';
import type topBar from './be/topBar.json';
import type users from './be/users.json';
import type xref from './be/xref.json';

export interface Translation {
  app: typeof app;
  common: typeof common;
  languages: typeof languages;
  roles: typeof roles;
  topBar: typeof topBar;
  nav: typeof nav;
  table: typeof table;
  auth: typeof auth;
  home: typeof home;
  users: typeof users;
  apiKeys: typeof apiKeys;
  audit: typeof audit;
  jobs: typeof jobs;
  notFound: typeof notFound;
  errors: typeof errors;
  registry: typeof registry;
  evidence: typeof evidence;
  incidents: typeof incidents;
  screening: typeof screening;
  collections: typeof collections;
  evidenceTools: typeof evidenceTools;
  ftm: typeof ftm;
  search: typeof search;
  bot: typeof bot;
  cases: typeof cases;
  datasets: typeof datasets;
  xref: typeof xref;
  sanctions: typeof sanctions;
  securityKeys: typeof securityKeys;
}
