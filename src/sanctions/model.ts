/**
 * Sanctions types and Zod schemas: request validators, TypeScript types and OpenAPI source in one.
 */
import { z } from 'zod';
import { LIST_FORMATS } from './lists/entry.js';

export const listFormatSchema = z.enum(LIST_FORMATS);

export const authoritySchema = z.enum(['EU', 'US', 'UK', 'CA', 'UN']);

export const officialListSchema = z.object({
  datasetId: z.string(),
  dataset: z.string(),
  title: z.string(),
  authority: authoritySchema,
  activeListings: z.number(),
  lastImport: z
    .object({
      format: listFormatSchema,
      at: z.string(),
      generated: z.string().nullable(),
      entries: z.number(),
      added: z.number(),
      updated: z.number(),
      unchanged: z.number(),
      ended: z.number(),
    })
    .nullable(),
});

// Proposals

export const JURISDICTIONS = ['EU', 'US', 'UK', 'CA'] as const;
export const jurisdictionSchema = z.enum(JURISDICTIONS);
export type Jurisdiction = z.infer<typeof jurisdictionSchema>;

export const PROPOSAL_STATES = [
  'draft',
  'in_review',
  'approved',
  'submitted',
  'listed',
  'not_listed',
  'partially_listed',
] as const;
export const proposalStateSchema = z.enum(PROPOSAL_STATES);
export type ProposalState = z.infer<typeof proposalStateSchema>;

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const dateText = z.string().trim().regex(DATE, 'a date: YYYY, YYYY-MM or YYYY-MM-DD');
const text = (max: number) => z.string().trim().max(max);

export const positionSchema = z
  .object({
    title: text(500).min(1),
    organization: text(500).default(''),
    from: dateText.or(z.literal('')).default(''),
    to: dateText.or(z.literal('')).default(''),
  })
  .strict();

/** The identifying information a government needs to act: the checklist of the proposal. */
export const identitySchema = z
  .object({
    nameLatin: text(500).default(''),
    givenName: text(200).default(''),
    patronymic: text(200).default(''),
    familyName: text(200).default(''),
    nameBelarusian: text(500).default(''),
    nameRussian: text(500).default(''),
    otherNames: z.array(text(500).min(1)).max(100).default([]),
    birthDate: dateText.or(z.literal('')).default(''),
    birthPlace: text(500).default(''),
    gender: z.enum(['male', 'female', '']).default(''),
    citizenship: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .regex(/^[a-z]{2}$/, 'an ISO 3166 two-letter code'),
      )
      .max(10)
      .default([]),
    personalNumber: text(100).default(''),
    passportNumber: text(100).default(''),
    positions: z.array(positionSchema).max(50).default([]),
    unit: text(500).default(''),
    address: text(1000).default(''),
  })
  .strict();
export type Identity = z.infer<typeof identitySchema>;

export const reasonLinkSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('evidence'),
      ref: z.string().uuid(),
      sha256: z.string().optional(),
      label: z.string().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('incident'), ref: z.string().uuid(), label: z.string().optional() }).strict(),
  z
    .object({ kind: z.literal('source'), ref: z.string().min(1).max(200), label: z.string().optional() })
    .strict(),
]);
export type ReasonLink = z.infer<typeof reasonLinkSchema>;

export const reasonSchema = z
  .object({
    text: text(10_000).min(1),
    links: z.array(reasonLinkSchema).max(50).default([]),
    /** The source cannot be disclosed to the government: kept out of exports. */
    confidential: z.boolean().default(false),
  })
  .strict();
export type Reason = z.infer<typeof reasonSchema>;

export const targetSchema = z
  .object({ jurisdiction: jurisdictionSchema, programme: text(200).min(1) })
  .strict();

/** Everything a reviewer approves: one document, one hash. */
export const proposalContentSchema = z
  .object({
    identity: identitySchema.default(identitySchema.parse({})),
    reasons: z.array(reasonSchema).max(200).default([]),
    exculpatory: text(20_000).default(''),
    nationalInterest: text(20_000).default(''),
    targets: z.array(targetSchema).min(1).max(4),
  })
  .strict()
  .refine((c) => new Set(c.targets.map((t) => t.jurisdiction)).size === c.targets.length, {
    message: 'each jurisdiction at most once',
    path: ['targets'],
  });
export type ProposalContent = z.infer<typeof proposalContentSchema>;

export const createProposalRequestSchema = z
  .object({
    entityId: z.string().min(1).max(200),
    content: proposalContentSchema.optional(),
    targets: z.array(targetSchema).min(1).max(4).optional(),
  })
  .strict();

export const completenessSchema = z.object({
  score: z.number(),
  items: z.array(z.object({ key: z.string(), present: z.boolean() })),
});

export const proposalEventSchema = z.object({
  jurisdiction: jurisdictionSchema.nullable(),
  fromState: proposalStateSchema.nullable(),
  toState: proposalStateSchema.nullable(),
  at: z.string(),
  date: z.string().nullable(),
  actor: z.string(),
  contentHash: z.string(),
  note: z.string().nullable(),
});

export const proposalTargetSchema = z.object({
  jurisdiction: jurisdictionSchema,
  programme: z.string(),
  state: proposalStateSchema,
  stateChangedAt: z.string(),
});

export const proposalSchema = z.object({
  id: z.string(),
  number: z.number(),
  reference: z.string(),
  entityId: z.string(),
  clusterId: z.string().nullable(),
  schema: z.string(),
  caption: z.string(),
  content: proposalContentSchema,
  contentHash: z.string(),
  completeness: completenessSchema,
  targets: z.array(proposalTargetSchema),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type Proposal = z.infer<typeof proposalSchema>;

export const transitionRequestSchema = z
  .object({
    jurisdiction: jurisdictionSchema,
    to: z.enum(['submitted', 'listed', 'not_listed', 'partially_listed']),
    /** When it happened (the day of submission or of the government's decision); default today. */
    date: dateText.optional(),
    note: text(5000).optional(),
  })
  .strict();

export const officialListingSchema = z.object({
  entityId: z.string(),
  caption: z.string(),
  score: z.number(),
  authority: z.string(),
  dataset: z.string(),
  listId: z.string(),
  listingDate: z.string().nullable(),
  firstSeen: z.string(),
  endedAt: z.string().nullable(),
  differences: z.array(
    z.object({
      field: z.enum([
        'birthDate',
        'citizenship',
        'passportNumber',
        'personalNumber',
        'nameBelarusian',
        'nameRussian',
      ]),
      ours: z.array(z.string()),
      theirs: z.array(z.string()),
    }),
  ),
});
