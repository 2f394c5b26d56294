/**
 * Cross-referencing: error codes, the judgement vocabulary, and the request and response schemas shared
 * by the service, the routes, the CLI and the web app.
 */
import { z } from 'zod';
import { defineErrors } from '../platform/errors.js';

export const xrefErrors = defineErrors({
  SVD_XREF_SELF_PAIR: { status: 400, message: 'An entity cannot be judged against itself.' },
  SVD_XREF_BAD_JUDGEMENT: {
    status: 400,
    message: 'The judgement must be positive, negative or unsure.',
  },
  SVD_XREF_SAME_CLUSTER: {
    status: 409,
    message:
      'These two are in the same cluster through other decisions. Split one of them out on the cluster page instead.',
  },
  SVD_XREF_NOT_MEMBER: { status: 400, message: 'The entity is not a member of this cluster.' },
  SVD_XREF_REASON_REQUIRED: { status: 400, message: 'Give a reason for splitting an entity out.' },
  SVD_XREF_UNDO: {
    status: 409,
    message: 'This decision cannot be undone: it was already changed or it is not yours.',
  },
  SVD_XREF_IMPORT_FILE: { status: 400, message: 'The judgements file cannot be read.' },
  SVD_XREF_BAD_LINE: { status: 400, message: 'The line is not a judgement.' },
  SVD_XREF_SAME_DATASET: { status: 400, message: 'A dataset cannot be cross-referenced against itself.' },
  SVD_XREF_NOTHING_TO_COMPARE: {
    status: 400,
    message: 'There is no other dataset to compare against.',
  },
  SVD_XREF_RUN_BUSY: {
    status: 409,
    message: 'This xref run is being worked on by another process; try again when it has finished.',
  },
  SVD_XREF_RUN_FAILED: { status: 500, message: 'The xref run failed; it can be started again and resumes.' },
});

export type XrefErrorCode = keyof typeof xrefErrors;

/** Decisions a person or a rule can make about two ids. */
export const judgements = ['positive', 'negative', 'unsure'] as const;
export const judgementSchema = z.enum(judgements);
export type Judgement = z.infer<typeof judgementSchema>;
/** A judgement between two ids as the resolver sees it: a decision or none yet. */
export type EffectiveJudgement = Judgement | 'no_judgement';

/** Who made a decision: a person, a rule during an xref run, or an import of a judgements file. */
export const methods = ['human', 'rule', 'import'] as const;
export const methodSchema = z.enum(methods);
export type Method = z.infer<typeof methodSchema>;

export const edgeSchema = z.object({
  id: z.number(),
  target: z.string(),
  source: z.string(),
  judgement: judgementSchema,
  score: z.number().nullable(),
  method: methodSchema,
  user: z.string(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type Edge = z.infer<typeof edgeSchema>;

/** The cluster an id belongs to; an id decided into no cluster is its own canonical with one member. */
export const clusterSchema = z.object({
  id: z.string(),
  members: z.array(z.string()),
});
export type Cluster = z.infer<typeof clusterSchema>;

export const reasonSchema = z.string().trim().max(2000);

export const entitySummarySchema = z.object({
  id: z.string(),
  schema: z.string(),
  caption: z.string(),
  datasetId: z.string(),
  dataset: z.string(),
});
export type EntitySummary = z.infer<typeof entitySummarySchema>;

export const decideRequestSchema = z
  .object({
    left: z.string().min(1).max(512),
    right: z.string().min(1).max(512),
    judgement: judgementSchema,
    reason: reasonSchema.optional(),
  })
  .strict();

export const decideResponseSchema = z.object({
  applied: z.boolean(),
  edge: z.number().nullable(),
  /** Canonical ids of both sides after the decision. */
  left: z.string(),
  right: z.string(),
});

export const decisionViewSchema = z.object({
  id: z.number(),
  judgement: judgementSchema,
  method: methodSchema,
  user: z.string(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  mine: z.boolean(),
  left: entitySummarySchema,
  right: entitySummarySchema,
});
export type DecisionView = z.infer<typeof decisionViewSchema>;

export const clusterViewSchema = z.object({
  /** The id asked for; `current` differs when it was merged into another or split. */
  id: z.string(),
  current: z.string(),
  retiredAs: z.enum(['merged', 'split', 'dissolved']).nullable(),
  members: z.array(entitySummarySchema),
  lineage: z.array(
    z.object({
      parent: z.string(),
      child: z.string(),
      kind: z.enum(['merge', 'split']),
      createdAt: z.string(),
      /** The decision that merged or split (with its reason), if the reader may see both its sides. */
      decision: decisionViewSchema.nullable(),
    }),
  ),
  decisions: z.array(decisionViewSchema),
});
export type ClusterView = z.infer<typeof clusterViewSchema>;

export const splitRequestSchema = z
  .object({ entityId: z.string().min(1).max(512), reason: reasonSchema.pipe(z.string().min(1)) })
  .strict();

export const nameFormSchema = z.object({
  kind: z.enum(['be', 'ru', 'latin-be', 'latin-ru']),
  text: z.string(),
});
export type NameForm = z.infer<typeof nameFormSchema>;

const agreeingValue = z.object({ value: z.string(), agrees: z.boolean() });

export const compareSideSchema = z.object({
  entity: z.object({ id: z.string(), schema: z.string(), caption: z.string() }),
  dataset: z.object({
    id: z.string(),
    name: z.string(),
    title: z.string(),
    source: z.string().nullable(),
    restricted: z.boolean(),
  }),
  names: z.array(
    z.object({
      script: z.enum(['cyrillic', 'latin', 'mixed', 'other']),
      language: z.enum(['be', 'ru', 'ambiguous']).nullable(),
      names: z.array(
        z.object({
          value: z.string(),
          property: z.string(),
          forms: z.array(nameFormSchema),
          agrees: z.boolean(),
        }),
      ),
    }),
  ),
  facts: z.array(z.object({ property: z.string(), values: z.array(agreeingValue) })),
  identifiers: z.array(z.object({ type: z.string(), value: z.string(), agrees: z.boolean() })),
  positions: z.array(
    z.object({
      title: z.string(),
      organization: z.string().nullable(),
      start: z.string().nullable(),
      end: z.string().nullable(),
      agrees: z.boolean(),
    }),
  ),
  addresses: z.array(agreeingValue),
  other: z.array(z.object({ property: z.string(), values: z.array(z.string()) })),
});
export type CompareSide = z.infer<typeof compareSideSchema>;

export const pairSchema = z.object({
  id: z.number(),
  score: z.number(),
  schema: z.string(),
  judgement: judgementSchema.nullable(),
  left: entitySummarySchema,
  right: entitySummarySchema,
  explanations: z.array(z.unknown()),
});
export type Pair = z.infer<typeof pairSchema>;

export const comparisonSchema = z.object({
  pair: pairSchema,
  left: compareSideSchema,
  right: compareSideSchema,
  /** Canonical ids of both sides now. */
  clusters: z.object({ left: z.string(), right: z.string() }),
});
export type Comparison = z.infer<typeof comparisonSchema>;

export const queueQuerySchema = z
  .object({
    dataset: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) =>
        (Array.isArray(v) ? v : v ? v.split(',') : [])
          .map((s) => s.trim())
          .filter(Boolean)
          .slice(0, 2),
      ),
    minScore: z.coerce.number().min(0).max(1).optional(),
    maxScore: z.coerce.number().min(0).max(1).optional(),
    schema: z.string().max(100).optional(),
    undecided: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    order: z.enum(['score', 'random']).default('score'),
    after: z
      .string()
      .regex(/^\d+(\.\d+)?:\d+$/)
      .optional()
      .describe('cursor: score:id of the last pair seen'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const queueResponseSchema = z.object({
  items: z.array(pairSchema),
  total: z.number(),
  next: z.string().nullable(),
});

export const runParamsSchema = z.object({
  topK: z.number().int().min(1).max(50),
  minScore: z.number().min(0).max(1),
});

export const runViewSchema = z.object({
  id: z.string(),
  dataset: z.object({ id: z.string(), name: z.string() }),
  against: z.array(z.object({ id: z.string(), name: z.string() })),
  againstAll: z.boolean(),
  state: z.enum(['queued', 'running', 'done', 'failed']),
  phase: z.enum(['forward', 'reverse']),
  incremental: z.boolean(),
  total: z.number(),
  done: z.number(),
  suggested: z.number(),
  autoDecided: z.number(),
  skipped: z.number(),
  params: runParamsSchema,
  rate: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  error: z.string().nullable(),
  createdBy: z.string(),
  startedAt: z.string().nullable(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type RunViewDto = z.infer<typeof runViewSchema>;

export const startRunRequestSchema = z
  .object({
    dataset: z.string().min(1).max(200),
    against: z.array(z.string().min(1).max(200)).max(50).default([]),
    params: runParamsSchema.partial().optional(),
  })
  .strict();

export const settingsRequestSchema = z.object({ autoRules: z.boolean() }).strict();

export const mergedEntitySchema = z.object({
  cluster: z.object({ id: z.string(), members: z.array(entitySummarySchema) }),
  /** Every value of every visible member, with the records (and datasets) it came from. */
  properties: z.array(
    z.object({
      property: z.string(),
      values: z.array(
        z.object({
          value: z.string(),
          sources: z.array(z.object({ entityId: z.string(), dataset: z.string() })),
        }),
      ),
    }),
  ),
});
export type MergedEntity = z.infer<typeof mergedEntitySchema>;
