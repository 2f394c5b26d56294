/**
 * Evidence vault types and Zod schemas: request validators, TypeScript types and the OpenAPI source in
 * one place. Error codes of the area are defined here too.
 */
import { z } from 'zod';
import { defineErrors } from '../platform/errors.js';

export const evidenceErrors = defineErrors({
  SVD_EVIDENCE_INCIDENT_UNKNOWN: { status: 404, message: 'Not found.' },
  SVD_EVIDENCE_ERASED: {
    status: 410,
    message: 'The content of this item was erased under a retention rule; its custody record remains.',
  },
  SVD_EVIDENCE_RECEIPT_UNKNOWN: {
    status: 400,
    message: 'This receipt code is not known. Check it and try again.',
  },
  SVD_EVIDENCE_CODE_UNKNOWN: { status: 400, message: 'Unknown or deprecated taxonomy code.' },
  SVD_EVIDENCE_CODE_EXISTS: { status: 409, message: 'This taxonomy code already exists.' },
  SVD_EVIDENCE_NO_FILE: { status: 400, message: 'No file was sent.' },
  SVD_EVIDENCE_EXPORT_EMPTY: { status: 400, message: 'Choose an incident or at least one item to export.' },
  SVD_EVIDENCE_EXPORT_TARGET: { status: 400, message: 'The export target exists and is not empty.' },
  SVD_EVIDENCE_RECIPIENT_KEY: {
    status: 400,
    message: 'The recipient key must be a base64 X25519 public key (32 bytes).',
  },
  SVD_EVIDENCE_VERIFY_FAILED: { status: 500, message: 'Verification found problems.' },
  SVD_EVIDENCE_FORM_EXPIRED: {
    status: 400,
    message: 'The form has expired. Reload the page and send again.',
  },
  SVD_EVIDENCE_BUSY: { status: 429, message: 'Too many submissions right now. Try again in a few minutes.' },
  SVD_EVIDENCE_COLLECTION_EXISTS: { status: 409, message: 'A collection with this name already exists.' },
  SVD_EVIDENCE_COLLECTION_UNKNOWN: { status: 400, message: 'There is no collection with this name.' },
});

export const channels = ['web', 'citizen', 'cli', 'import', 'bot'] as const;
export type Channel = (typeof channels)[number];

export const custodyActions = [
  'received',
  'stored',
  'received-again',
  /** The same bytes reached another item from someone who may not see this one (an admin's note). */
  'copy-received',
  'metadata-extracted',
  'derived',
  'viewed',
  'downloaded',
  'classified',
  'linked',
  'exported',
  'transferred',
  'unlinked',
  /** The content was erased (a case's subject photo at the end of retention); the chain stays. */
  'erased',
] as const;
export type CustodyAction = (typeof custodyActions)[number];

export const verificationStates = [
  'collected',
  'preserved',
  'under_verification',
  'verified',
  'unverifiable',
  'disputed',
] as const;

const uuid = z.string().uuid();
const isoDate = z.string().describe('ISO 8601');

export const custodyEventSchema = z.object({
  seq: z.number().int(),
  at: isoDate,
  action: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), label: z.string().nullable() }),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type CustodyEvent = z.infer<typeof custodyEventSchema>;

export const metadataRecordSchema = z.object({
  id: uuid,
  tool: z.string(),
  toolVersion: z.string(),
  summary: z.object({
    captureTime: z.string().optional(),
    latitude: z.number().optional(),
    longitude: z.number().optional(),
    altitude: z.number().optional(),
    make: z.string().optional(),
    model: z.string().optional(),
    serial: z.string().optional(),
    width: z.number().optional(),
    height: z.number().optional(),
    durationSeconds: z.number().optional(),
    videoCodec: z.string().optional(),
    audioCodec: z.string().optional(),
  }),
  warnings: z.array(z.string()),
  data: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
});

export const processingEventSchema = z.object({
  step: z.string(),
  outcome: z.enum(['ok', 'failed', 'warning', 'skipped']),
  tool: z.string().nullable(),
  toolVersion: z.string().nullable(),
  code: z.string().nullable(),
  message: z.string().nullable(),
  at: isoDate,
});

export const derivativeSchema = z.object({
  id: uuid,
  purpose: z.enum(['thumbnail', 'stripped']),
  parentSha256: z.string(),
  sha256: z.string(),
  size: z.number(),
  mediaType: z.string(),
  tool: z.string(),
  toolVersion: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
});

export const itemSummarySchema = z.object({
  id: uuid,
  sha256: z.string(),
  size: z.number(),
  mediaType: z.string(),
  kind: z.string(),
  fileName: z.string().nullable(),
  channel: z.enum(channels),
  sourceLabel: z.string().nullable(),
  receivedAt: isoDate,
  verificationState: z.enum(verificationStates),
  processingState: z.enum(['pending', 'done', 'failed']),
  codes: z.array(z.string()),
  hasThumbnail: z.boolean(),
  collectionId: uuid,
  collectionName: z.string(),
  /** Capture time from the metadata as an instant (a time without offset is read as UTC). */
  capturedAt: isoDate.nullable(),
});
export type ItemSummary = z.infer<typeof itemSummarySchema>;

export const itemDetailSchema = itemSummarySchema.extend({
  note: z.string().nullable(),
  acquisition: z.record(z.string(), z.unknown()).nullable(),
  /** GPS and capture time of the first metadata record that states them. */
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  captureTime: z.string().nullable(),
  metadata: z.array(metadataRecordSchema),
  processing: z.array(processingEventSchema),
  derivatives: z.array(derivativeSchema),
  phashes: z.array(z.object({ frameSeconds: z.number(), hash: z.string() })),
  /** Only items the caller may see. */
  possibleDuplicates: z.array(
    z.object({
      itemId: uuid,
      distance: z.number(),
      fileName: z.string().nullable(),
      hasThumbnail: z.boolean(),
    }),
  ),
  incidents: z.array(z.object({ incidentId: uuid, title: z.string(), role: z.string().nullable() })),
  custody: z.array(custodyEventSchema),
});
export type ItemDetail = z.infer<typeof itemDetailSchema>;

const instant = z.string().datetime({ offset: true });

export const listItemsQuerySchema = z
  .object({
    code: z.string().max(100).optional(),
    codes: z
      .string()
      .max(2000)
      .optional()
      .describe('several taxonomy codes, comma-separated; see codesMatch'),
    codesMatch: z.enum(['any', 'all']).default('any'),
    incidentId: uuid.optional(),
    collectionId: uuid.optional(),
    kind: z.string().max(50).optional(),
    channel: z.enum(channels).optional(),
    verificationState: z.enum(verificationStates).optional(),
    processingState: z.enum(['pending', 'done', 'failed']).optional(),
    q: z.string().trim().max(200).optional().describe('text in the file name, source label or notes'),
    from: instant.optional().describe('received at or after'),
    to: instant.optional().describe('received before'),
    capturedFrom: instant.optional().describe('captured at or after (metadata capture time)'),
    capturedTo: instant.optional().describe('captured before'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: z.string().max(200).optional().describe('cursor from the previous page'),
  })
  .strict();
export type ListItemsQuery = z.input<typeof listItemsQuerySchema>;

/** What a page polls while processing runs: no custody event, no content. */
export const itemStatusSchema = z.object({
  id: uuid,
  processingState: z.enum(['pending', 'done', 'failed']),
  mediaType: z.string(),
  kind: z.string(),
  hasThumbnail: z.boolean(),
});

export const collectionSchema = z.object({
  id: uuid,
  name: z.string(),
  description: z.string(),
  restricted: z.boolean(),
  createdAt: isoDate,
  itemCount: z.number(),
});
export type Collection = z.infer<typeof collectionSchema>;

export const createCollectionRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().max(2000).default(''),
    restricted: z.boolean().default(true),
  })
  .strict();

export const moveItemRequestSchema = z
  .object({ collectionId: uuid, note: z.string().max(2000).optional() })
  .strict();

export const tusResultSchema = z.object({
  itemId: uuid,
  sha256: z.string(),
  size: z.number(),
  mediaType: z.string(),
  duplicate: z.boolean(),
});

export const classifyRequestSchema = z
  .object({
    add: z.array(z.string().min(1).max(100)).max(100).default([]),
    remove: z.array(z.string().min(1).max(100)).max(100).default([]),
  })
  .strict();

export const setVerificationRequestSchema = z
  .object({ state: z.enum(verificationStates), note: z.string().max(5000).optional() })
  .strict();

export const taxonomyCodeSchema = z.object({
  code: z.string(),
  axis: z.enum(['violation', 'legal', 'role', 'type', 'place', 'institution']),
  labels: z.object({ en: z.string(), be: z.string(), ru: z.string() }),
  mapsTo: z.array(z.string()),
  sources: z.array(z.string()),
  addedIn: z.number(),
  deprecatedIn: z.number().nullable(),
  custom: z.boolean(),
});
export type TaxonomyCode = z.infer<typeof taxonomyCodeSchema>;

export const addTaxonomyCodeRequestSchema = z
  .object({
    code: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z][A-Z0-9_.]*[A-Z0-9]$/, 'upper-case letters, digits, dot and underscore'),
    axis: z.enum(['violation', 'legal', 'role', 'type', 'place', 'institution']),
    labels: z.object({
      en: z.string().trim().min(1).max(300),
      be: z.string().trim().min(1).max(300),
      ru: z.string().trim().min(1).max(300),
    }),
    mapsTo: z.array(z.string().max(100)).max(20).default([]),
  })
  .strict();

export const exportRequestSchema = z
  .object({
    incidentId: uuid.optional(),
    itemIds: z.array(uuid).max(10_000).optional(),
    recipientKey: z.string().max(200).optional().describe('base64 X25519 public key: encrypt the package'),
    purpose: z.string().max(500).optional().describe('recorded in the custody log, e.g. "OHCHR submission"'),
  })
  .strict();

export const verifyReportSchema = z.object({
  ok: z.boolean(),
  items: z.number(),
  problems: z.array(z.object({ itemId: z.string(), problem: z.string() })),
});
export type VerifyReport = z.infer<typeof verifyReportSchema>;

export const intakeResultSchema = z.object({
  itemId: uuid,
  sha256: z.string(),
  size: z.number(),
  mediaType: z.string(),
  duplicate: z.boolean(),
  receiptCode: z.string().optional(),
});
