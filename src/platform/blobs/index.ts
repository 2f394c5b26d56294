/** The blob store: encrypted, content-addressed storage of files (see fs-blob-store.ts for the design). */
export {
  BLOB_CHUNK,
  type BlobStore,
  type BlobsTable,
  type BlobVerifyResult,
  blobErrors,
  FsBlobStore,
  type FsBlobStoreOptions,
  type PutResult,
  type StagedBlob,
} from './fs-blob-store.js';
