/**
 * What a page needs to know of the app's map without importing it: the shapes of areas and pages, and
 * the areas the signed-in role may open, handed down by the app (`layout/areas.tsx` imports every page,
 * so a page that imported it back would make an import cycle).
 */
import type { Icon } from '@tabler/icons-react';
import { type ComponentType, createContext, useContext } from 'react';
import type { Role } from '../api/types.js';
import type { Translation } from '../i18n/translation.js';

export type NavKey = keyof Translation['nav'];

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

/** The areas and pages the signed-in user's role may see, in navigation order (provided by the app). */
export const VisibleAreasContext = createContext<Area[]>([]);

export function useVisibleAreas(): Area[] {
  return useContext(VisibleAreasContext);
}
