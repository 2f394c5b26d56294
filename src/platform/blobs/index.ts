/** The blob store: encrypted, content-addressed storage of files (see fs-blob-store.ts for the design). */

export { blobErrors } from './errors.js';
export {
  BLOB_CHUNK,
  type BlobStore,
  type BlobsTable,
  type BlobVerifyResult,
  FsBlobStore,
  type FsBlobStoreOptions,
  type PutResult,
  type StagedBlob,
} from './fs-blob-store.js';
