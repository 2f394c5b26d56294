/**
 * Every area's error codes in one catalogue. Codes are registered when the module that defines them
 * loads; the runtime imports this file so that every code can be thrown from the first moment, even by
 * code whose area module (routes, say) has not been loaded yet. Adding an area adds one line here.
 *
 * The same object gives the codes their type: `ErrorCode` (platform/errors.ts) is its keys, so a code
 * that no catalogue defines fails to compile. `npm run docs:errors` writes docs/errors.md from it.
 */
import { botErrors } from './bot/model.js';
import { caseErrors } from './cases/model.js';
import { datasetsErrors } from './datasets/model.js';
import { citizenUploadErrors } from './evidence/citizen/upload-allowance.js';
import { evidenceErrors } from './evidence/model.js';
import { tusErrors, tusStoreErrors } from './evidence/uploads/tus-errors.js';
import { blobErrors } from './platform/blobs/errors.js';
import { platformErrors } from './platform/errors.js';
import { reportErrors } from './platform/reports/model.js';
import { reviewErrors } from './platform/review/model.js';
import { registryErrors } from './registry/model.js';
import { sanctionsErrors } from './sanctions/errors.js';
import { screeningErrors } from './screening/model.js';
import { xrefErrors } from './xref/model.js';

export const errorCatalogue = {
  ...platformErrors,
  ...blobErrors,
  ...reviewErrors,
  ...reportErrors,
  ...registryErrors,
  ...screeningErrors,
  ...xrefErrors,
  ...datasetsErrors,
  ...evidenceErrors,
  ...tusStoreErrors,
  ...tusErrors,
  ...citizenUploadErrors,
  ...botErrors,
  ...sanctionsErrors,
  ...caseErrors,
};

type Catalogue = typeof errorCatalogue;

declare module './platform/errors.js' {
  interface ErrorCatalogue extends Catalogue {}
}
