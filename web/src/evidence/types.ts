/**
 * The evidence vault's and incidents' API shapes, derived from the server's Zod schemas
 * (`src/evidence/model.ts`, `src/incidents/model.ts`) so a change on one side is a type error on the
 * other. Only types cross over: nothing server-side is bundled.
 */

import type {
  Channel,
  Collection,
  CustodyEvent,
  classifyRequestSchema,
  exportRequestSchema,
  ItemDetail,
  ItemSummary,
  intakeResultSchema,
  itemStatusSchema,
  listItemsQuerySchema,
  metadataRecordSchema,
  TaxonomyCode,
  tusResultSchema,
  VerifyReport,
  verificationStates,
} from '@evidence/model.js';
import type {
  addPersonRequestSchema,
  Incident,
  IncidentInput,
  incidentUpdateSchema,
  listIncidentsQuerySchema,
} from '@incidents/model.js';
import type { z } from 'zod';

export type {
  Channel,
  Collection,
  CustodyEvent,
  Incident,
  IncidentInput,
  ItemDetail,
  ItemSummary,
  TaxonomyCode,
  VerifyReport,
};

export type MetadataRecord = z.infer<typeof metadataRecordSchema>;
export type VerificationState = (typeof verificationStates)[number];
export type ProcessingState = ItemSummary['processingState'];
export type ItemsQuery = Partial<z.input<typeof listItemsQuerySchema>>;
export type IncidentsQuery = Partial<z.input<typeof listIncidentsQuerySchema>>;
export type IncidentUpdate = z.input<typeof incidentUpdateSchema>;
export type ItemStatus = z.infer<typeof itemStatusSchema>;
export type TusResult = z.infer<typeof tusResultSchema>;
export type ClassifyRequest = z.input<typeof classifyRequestSchema>;
export type ExportRequest = z.input<typeof exportRequestSchema>;
export type AddPersonRequest = z.input<typeof addPersonRequestSchema>;
export type IntakeResult = z.infer<typeof intakeResultSchema>;
export type TaxonomyAxis = TaxonomyCode['axis'];
export type IncidentSummary = Omit<Incident, 'items' | 'persons'> & { itemCount: number };
export type PersonRole = Incident['persons'][number]['role'];

/** Values of the server's enums, for filters and pickers; typed against the server (only types cross over). */
export const channelValues = ['web', 'citizen', 'cli', 'import', 'bot'] as const satisfies readonly Channel[];
export const verificationValues = [
  'collected',
  'preserved',
  'under_verification',
  'verified',
  'unverifiable',
  'disputed',
] as const satisfies readonly VerificationState[];
export const processingValues = ['pending', 'done', 'failed'] as const satisfies readonly ProcessingState[];
/** Kinds the server derives from the detected media type (`kindOf` in src/evidence/media/detect-type.ts). */
export const kindValues = ['image', 'video', 'audio', 'document', 'archive', 'other'] as const;
export const axisValues = [
  'violation',
  'legal',
  'role',
  'type',
  'place',
  'institution',
] as const satisfies readonly TaxonomyAxis[];
export const personRoles = ['victim', 'perpetrator', 'witness'] as const satisfies readonly PersonRole[];
