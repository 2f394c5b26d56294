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
