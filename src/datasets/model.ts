/**
 * Datasets area types and Zod schemas (request validators, TypeScript types and the OpenAPI source in
 * one) and the area's error catalogue.
 */
import { z } from 'zod';
import { defineErrors } from '../platform/errors.js';

export const datasetsErrors = defineErrors({
  SVD_DATASETS_BAD_MAPPING: { status: 400, message: 'The mapping file is not valid.' },
  SVD_DATASETS_SOURCE: { status: 400, message: 'The source cannot be read.' },
  SVD_DATASETS_MISSING_COLUMN: {
    status: 400,
    message: 'The mapping names a column that the source does not have.',
  },
  SVD_DATASETS_ENCODING: { status: 400, message: 'The source is not in the expected text encoding.' },
  SVD_DATASETS_DATABASE: { status: 400, message: 'The source database cannot be read.' },
  SVD_DATASETS_RUN_ACTIVE: { status: 409, message: 'An import into this dataset is already running.' },
  // Row-level reasons (rejects file, preview problems); never thrown to a caller.
  SVD_DATASETS_RAGGED_ROW: {
    status: 400,
    message: 'The row has a different number of fields than the header.',
  },
  SVD_DATASETS_BAD_VALUE: { status: 400, message: 'A value cannot be read as its property type.' },
  SVD_DATASETS_BAD_ID: { status: 400, message: 'The id column holds a value that is not a valid entity id.' },
});

/** One problem of a mapping file, with the line (1-based) of the YAML it concerns. */
export const mappingProblemSchema = z.object({
  line: z.number(),
  column: z.number().optional(),
  message: z.string(),
});
export type MappingProblem = z.infer<typeof mappingProblemSchema>;

/** A row that was not mapped, as written to the rejects file and kept (the first thousand) per run. */
export const rowRejectSchema = z.object({
  query: z.number(),
  source: z.string(),
  /** The line of a CSV file, the row of a sheet, or the ordinal of an SQL result row. */
  line: z.number(),
  /** The row's reference as shown to people: "line 12", "row 7 of Personnel", "personnel.id=42". */
  ref: z.string(),
  column: z.string().optional(),
  entity: z.string().optional(),
  property: z.string().optional(),
  code: z.string(),
  reason: z.string(),
});
export type RowReject = z.infer<typeof rowRejectSchema>;

/** An entity as the preview and the dry run show it. */
export const previewEntitySchema = z.object({
  id: z.string(),
  schema: z.string(),
  caption: z.string(),
  properties: z.record(z.string(), z.array(z.string())),
  /** Where it first came from: query number and row reference. */
  query: z.number(),
  ref: z.string(),
});
export type PreviewEntity = z.infer<typeof previewEntitySchema>;

export const runStatusSchema = z.enum(['queued', 'staging', 'publishing', 'done', 'failed']);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const runSourceSchema = z.object({
  query: z.number(),
  kind: z.enum(['csv', 'xlsx', 'sql']),
  /** File name, sheet or the database's label (never a password). */
  name: z.string(),
  sha256: z.string().nullable(),
  bytes: z.number().nullable(),
  encoding: z.string().nullable(),
  evidenceItemId: z.string().nullable(),
});
export type RunSource = z.infer<typeof runSourceSchema>;

export const runSchema = z.object({
  id: z.string(),
  datasetId: z.string(),
  actor: z.string(),
  mappingName: z.string().nullable(),
  mappingSha256: z.string(),
  status: runStatusSchema,
  sources: z.array(runSourceSchema),
  rowsRead: z.number(),
  rowsRejected: z.number(),
  entitiesWritten: z.number(),
  entitiesUnchanged: z.number(),
  bytesRead: z.number(),
  bytesTotal: z.number().nullable(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Run = z.infer<typeof runSchema>;

export const runDetailSchema = runSchema.extend({
  mapping: z.string(),
  rejects: z.array(rowRejectSchema),
});
export type RunDetail = z.infer<typeof runDetailSchema>;

/** What an entity page shows: "from row 1,234 of personnel_2020.xlsx". */
export const provenanceSchema = z.object({
  entityId: z.string(),
  runId: z.string(),
  datasetId: z.string(),
  query: z.number(),
  source: z.string(),
  sourceSha256: z.string().nullable(),
  mappingSha256: z.string(),
  ref: z.string(),
  line: z.number(),
  rows: z.number(),
  importedAt: z.string(),
});
export type Provenance = z.infer<typeof provenanceSchema>;

export const previewRequestSchema = z
  .object({
    mapping: z.string().max(1_000_000),
    /** An evidence item holding the source file (CSV or XLSX). */
    evidenceItemId: z.string().uuid().optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();

export const previewResponseSchema = z.object({
  problems: z.array(mappingProblemSchema),
  entities: z.array(previewEntitySchema),
  rejects: z.array(rowRejectSchema),
  rowsRead: z.number(),
  columns: z.array(z.string()),
});
export type PreviewResponse = z.infer<typeof previewResponseSchema>;

export const startRunRequestSchema = z
  .object({
    mapping: z.string().max(1_000_000),
    mappingName: z.string().max(300).optional(),
    evidenceItemId: z.string().uuid().optional(),
  })
  .strict();
