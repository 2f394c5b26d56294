/**
 * Registry types and Zod schemas: request validators, TypeScript types and the OpenAPI source in one.
 * Error codes of the area are defined here too.
 */
import { z } from 'zod';
import { defineErrors } from '../platform/errors.js';
import { SCHEMA_NAMES } from './ftm-schema.js';
import { ID_PATTERN } from './validate.js';

export const registryErrors = defineErrors({
  SVD_REGISTRY_BAD_ENTITY: { status: 400, message: 'The entity is not a valid FtM object.' },
  SVD_REGISTRY_MISSING_ID: { status: 400, message: 'The entity has no id.' },
  SVD_REGISTRY_BAD_ID: { status: 400, message: 'The entity id is not valid.' },
  SVD_REGISTRY_UNKNOWN_SCHEMA: { status: 400, message: 'The schema is not one the registry accepts.' },
  SVD_REGISTRY_UNKNOWN_PROPERTY: { status: 400, message: 'The schema has no such property.' },
  SVD_REGISTRY_BAD_DATE: {
    status: 400,
    message: 'The date is not a real date (YYYY, YYYY-MM or YYYY-MM-DD).',
  },
  SVD_REGISTRY_BAD_VALUE: { status: 400, message: 'A property value is not valid.' },
  SVD_REGISTRY_LINE_TOO_LONG: { status: 400, message: 'The line is longer than 1 MB.' },
  SVD_REGISTRY_BAD_UTF8: { status: 400, message: 'The line is not valid UTF-8.' },
  SVD_REGISTRY_BAD_JSON: { status: 400, message: 'The line is not valid JSON.' },
  SVD_REGISTRY_ID_TAKEN: { status: 409, message: 'The entity id belongs to another dataset.' },
  SVD_REGISTRY_DATASET_EXISTS: { status: 409, message: 'A dataset with this name already exists.' },
  SVD_REGISTRY_CONFLICT: {
    status: 409,
    message: 'The entity was changed by someone else meanwhile. Reload it and edit again.',
  },
  SVD_REGISTRY_BAD_CURSOR: { status: 400, message: 'The page cursor is not valid.' },
  SVD_REGISTRY_FILE: { status: 400, message: 'The input file cannot be read.' },
});

export const entityIdSchema = z.string().regex(ID_PATTERN, 'entity id: 1–200 of A-Z a-z 0-9 . _ : -');
export const schemaNameSchema = z.enum(SCHEMA_NAMES as [string, ...string[]]);
export const datasetNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, 'lower-case letters, digits, "-" or "_"; up to 100 characters');
const propertiesSchema = z.record(z.string().max(100), z.array(z.string()).max(500));

export const datasetSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  title: z.string(),
  source: z.string().nullable(),
  sourceDate: z.string().nullable(),
  licence: z.string().nullable(),
  notes: z.string().nullable(),
  restricted: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  counts: z.object({ entities: z.number(), persons: z.number() }).optional(),
  lastImport: z
    .object({
      id: z.string(),
      actor: z.string(),
      fileName: z.string().nullable(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      imported: z.number(),
      unchanged: z.number(),
      rejected: z.number(),
      status: z.string(),
    })
    .nullable()
    .optional(),
});
export type Dataset = z.infer<typeof datasetSchema>;

export const createDatasetRequestSchema = z
  .object({
    name: datasetNameSchema,
    title: z.string().trim().min(1).max(300),
    source: z.string().trim().max(1000).optional(),
    sourceDate: z
      .string()
      .trim()
      .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/)
      .optional(),
    licence: z.string().trim().max(300).optional(),
    notes: z.string().trim().max(10_000).optional(),
    restricted: z.boolean().default(false),
  })
  .strict();
export type CreateDatasetRequest = z.input<typeof createDatasetRequestSchema>;

export const entitySchema = z.object({
  id: z.string(),
  schema: z.string(),
  datasetId: z.string(),
  caption: z.string(),
  properties: propertiesSchema,
  createdBy: z.string(),
  updatedBy: z.string(),
  importId: z.string().nullable(),
  firstSeen: z.string(),
  lastChange: z.string(),
  changeSeq: z.number(),
});
export type Entity = z.infer<typeof entitySchema>;

export const nameGroupSchema = z.object({
  script: z.enum(['cyrillic', 'latin', 'mixed', 'other']),
  language: z.enum(['be', 'ru', 'ambiguous']).nullable(),
  names: z.array(z.object({ value: z.string(), property: z.string() })),
});
export type NameGroup = z.infer<typeof nameGroupSchema>;

export const relatedSchema = z.object({
  /** The linking entity (Occupancy, Membership, Sanction, ...). */
  link: entitySchema,
  /** Entities the link points at, other than the subject (the Position and its body, the member, ...). */
  others: z.array(entitySchema),
});
export type Related = z.infer<typeof relatedSchema>;

export const entityDetailSchema = z.object({
  entity: entitySchema,
  dataset: datasetSchema,
  names: z.array(nameGroupSchema),
  occupancies: z.array(relatedSchema),
  memberships: z.array(relatedSchema),
  sanctions: z.array(relatedSchema),
  identifications: z.array(relatedSchema),
  addresses: z.array(entitySchema),
  /** Entities this one points at (Position.organization, ...) and other entities pointing at it. */
  references: z.array(entitySchema),
  referencedBy: z.array(entitySchema),
});
export type EntityDetail = z.infer<typeof entityDetailSchema>;

export const listEntitiesQuerySchema = z
  .object({
    dataset: z.string().max(200).optional(),
    schema: schemaNameSchema.optional(),
    q: z.string().max(200).optional(),
    cursor: z.string().max(600).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type ListEntitiesQuery = z.infer<typeof listEntitiesQuerySchema>;

export const listEntitiesResponseSchema = z.object({
  items: z.array(entitySchema),
  nextCursor: z.string().nullable(),
});

export const createEntityRequestSchema = z
  .object({
    datasetId: z.string().uuid(),
    schema: schemaNameSchema,
    properties: propertiesSchema,
  })
  .strict();
export type CreateEntityRequest = z.infer<typeof createEntityRequestSchema>;

export const updateEntityRequestSchema = z
  .object({
    /** Properties to replace; an empty array removes a property. Unlisted properties stay. */
    properties: propertiesSchema,
    /** The changeSeq the editor saw: a later change answers SVD_REGISTRY_CONFLICT instead of overwriting. */
    expectedChangeSeq: z.number().int().optional(),
  })
  .strict();
export type UpdateEntityRequest = z.infer<typeof updateEntityRequestSchema>;

export const rejectSchema = z.object({
  line: z.number(),
  code: z.string(),
  reason: z.string(),
  id: z.string().optional(),
});
export type Reject = z.infer<typeof rejectSchema>;

export const importSummarySchema = z.object({
  importId: z.string(),
  lines: z.number(),
  imported: z.number(),
  unchanged: z.number(),
  rejected: z.number(),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

/** The entity as the screening index reads it (see index.ts). */
export type IndexEntity = {
  id: string;
  schema: string;
  datasetId: string;
  caption: string;
  properties: Record<string, string[]>;
  changeSeq: number;
  deleted: boolean;
};
