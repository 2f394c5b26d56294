/**
 * Sanctions types and Zod schemas (request validators, TypeScript types and OpenAPI source in one) and
 * the area's error codes.
 */
import { z } from 'zod';
import { defineErrors } from '../platform/errors.js';
import { LIST_FORMATS } from './lists/entry.js';

export const sanctionsErrors = defineErrors({
  SVD_SANCTIONS_LIST_FORMAT: { status: 400, message: 'The file is not a list in the format given.' },
  SVD_SANCTIONS_LIST_PARSE: { status: 400, message: 'The list file cannot be read.' },
  SVD_SANCTIONS_LIST_ENCODING: { status: 400, message: 'The list file is not in the encoding it declares.' },
  SVD_SANCTIONS_LIST_RECORD: { status: 400, message: 'A record of the list cannot be stored.' },
  SVD_SANCTIONS_LIST_EMPTY: {
    status: 400,
    message: 'The file holds no designations; nothing was imported and no listing was ended.',
  },
  SVD_SANCTIONS_LIST_FILES: { status: 400, message: 'These files do not fit the format given.' },
  SVD_SANCTIONS_LIST_DATASET: {
    status: 409,
    message: 'The dataset holds another kind of data; import the list into a dataset of its own.',
  },
});

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
