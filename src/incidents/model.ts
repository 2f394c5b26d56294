/**
 * Incident types and Zod schemas: request validators, TypeScript types and the OpenAPI source in one
 * place. An incident is an event (what happened, when, where, who was responsible) that evidence items
 * document and registry entities took part in.
 */
import { z } from 'zod';

const uuid = z.string().uuid();
const instant = z.string().datetime({ offset: true });

export const personRoles = ['victim', 'perpetrator', 'witness'] as const;

const personSchema = z.object({
  id: uuid,
  role: z.enum(personRoles),
  entityId: z.string().nullable(),
  name: z.string().nullable(),
});

export const incidentInputSchema = z
  .object({
    title: z.string().trim().min(1).max(500),
    description: z.string().max(20_000).default(''),
    occurredFrom: z.string().datetime({ offset: true }).optional(),
    occurredTo: z.string().datetime({ offset: true }).optional(),
    place: z.string().max(500).optional(),
    placeType: z.string().max(100).optional(),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    responsibleInstitution: z.string().max(100).optional(),
    responsibleUnit: z.string().max(500).optional(),
    /** A restricted incident: only those who may see this collection see the incident. */
    collectionId: uuid.optional(),
  })
  .strict();
export type IncidentInput = z.infer<typeof incidentInputSchema>;

/** A change to an incident: absent fields stay, `null` clears an optional field. */
export const incidentUpdateSchema = z
  .object({
    title: z.string().trim().min(1).max(500).optional(),
    description: z.string().max(20_000).nullable().optional(),
    occurredFrom: instant.nullable().optional(),
    occurredTo: instant.nullable().optional(),
    place: z.string().max(500).nullable().optional(),
    placeType: z.string().max(100).nullable().optional(),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
    responsibleInstitution: z.string().max(100).nullable().optional(),
    responsibleUnit: z.string().max(500).nullable().optional(),
    collectionId: uuid.nullable().optional(),
  })
  .strict();
export type IncidentUpdate = z.infer<typeof incidentUpdateSchema>;

export const listIncidentsQuerySchema = z
  .object({
    q: z
      .string()
      .trim()
      .max(200)
      .optional()
      .describe('text in the title, description, place or responsible unit'),
    code: z.string().max(100).optional(),
    placeType: z.string().max(100).optional(),
    responsibleInstitution: z.string().max(100).optional(),
    collectionId: uuid.optional(),
    entityId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('only incidents where this registry entity is a victim, perpetrator or witness'),
    from: instant.optional().describe('occurred at or after (ranges overlapping it count)'),
    to: instant.optional().describe('occurred before'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: z.string().max(200).optional().describe('cursor from the previous page'),
  })
  .strict();
export type ListIncidentsQuery = z.input<typeof listIncidentsQuerySchema>;

export const incidentSchema = z.object({
  id: uuid,
  title: z.string(),
  description: z.string(),
  occurredFrom: z.string().nullable(),
  occurredTo: z.string().nullable(),
  place: z.string().nullable(),
  placeType: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  responsibleInstitution: z.string().nullable(),
  responsibleUnit: z.string().nullable(),
  createdAt: z.string(),
  collectionId: uuid.nullable(),
  codes: z.array(z.string()),
  /** Only the items the caller may see. */
  items: z.array(z.object({ itemId: uuid, role: z.string().nullable() })),
  persons: z.array(personSchema),
  /** Only in a list filtered by `entityId`: the roles that entity has in the incident. */
  entityRoles: z.array(personSchema.shape.role).optional(),
});
export type Incident = z.infer<typeof incidentSchema>;

export const linkItemRequestSchema = z
  .object({ itemId: uuid, role: z.string().max(100).optional() })
  .strict();

export const setLinkRoleRequestSchema = z.object({ role: z.string().max(100).nullable() }).strict();

export const addPersonRequestSchema = z
  .object({
    role: z.enum(personRoles),
    entityId: z.string().min(1).max(200).optional(),
    name: z.string().trim().min(1).max(500).optional(),
  })
  .strict()
  .refine((value) => value.entityId || value.name, { message: 'give entityId or name' });
