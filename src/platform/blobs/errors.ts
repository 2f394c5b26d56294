/** The blob store's error codes, apart from the store so the error catalogue loads no storage code. */
import { defineErrors } from '../errors.js';

export const blobErrors = defineErrors({
  SVD_BLOB_TOO_LARGE: { status: 413, message: 'The file is larger than the configured maximum.' },
  SVD_BLOB_NOT_FOUND: { status: 404, message: 'The stored file is missing.' },
  SVD_BLOB_CORRUPT: {
    status: 500,
    message: 'The stored file is damaged: it does not decrypt or match its hash.',
  },
  SVD_BLOB_INPUT: { status: 400, message: 'The upload was interrupted before it was complete.' },
});
