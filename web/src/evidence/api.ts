/**
 * Typed calls to the evidence vault's API, on top of the app's one JSON client (same-origin, CSRF token,
 * ApiError with the server's code). The export is a file, so it is fetched as a blob here.
 */
import { ApiError, currentCsrfToken, id, NETWORK_ERROR_CODE, query, request } from '../api/client.js';
import type {
  AddPersonRequest,
  Collection,
  CustodyEvent,
  ExportRequest,
  Incident,
  IncidentInput,
  IncidentSummary,
  IncidentsQuery,
  IncidentUpdate,
  ItemDetail,
  ItemStatus,
  ItemSummary,
  ItemsQuery,
  TaxonomyCode,
  TusResult,
  VerifyReport,
} from './types.js';

/** URLs of an item's files, for <img>/<video> and download links (same origin, session cookie). */
export const itemFiles = {
  thumbnail: (itemId: string) => `/api/evidence/items/${id(itemId)}/thumbnail`,
  stripped: (itemId: string) => `/api/evidence/items/${id(itemId)}/stripped`,
  original: (itemId: string) => `/api/evidence/items/${id(itemId)}/original`,
};

export const evidenceApi = {
  items: (filters: ItemsQuery) =>
    request<{ items: ItemSummary[]; next: string | null; total: number }>(
      'GET',
      `/api/evidence/items${query(filters as Record<string, string | number | undefined>)}`,
    ),
  /** The item with everything known about it. Reading it is a custody event ("viewed"). */
  item: (itemId: string) => request<ItemDetail>('GET', `/api/evidence/items/${id(itemId)}`),
  /** Processing state only, for polling: records no custody event. */
  status: (itemId: string) => request<ItemStatus>('GET', `/api/evidence/items/${id(itemId)}/status`),
  /** The result of a finished resumable upload (kept a day), when its answer was lost. */
  tusResult: (uploadId: string) => request<TusResult>('GET', `/api/evidence/tus-result/${id(uploadId)}`),
  collections: () => request<{ items: Collection[] }>('GET', '/api/evidence/collections'),
  createCollection: (input: { name: string; description?: string; restricted: boolean }) =>
    request<Collection>('POST', '/api/evidence/collections', input),
  moveItem: (itemId: string, collectionId: string, note?: string) =>
    request<void>(
      'POST',
      `/api/evidence/items/${id(itemId)}/collection`,
      note ? { collectionId, note } : { collectionId },
    ),
  custody: (itemId: string) =>
    request<{ events: CustodyEvent[] }>('GET', `/api/evidence/items/${id(itemId)}/custody`),
  classifyItem: (itemId: string, add: string[], remove: string[]) =>
    request<{ codes: string[] }>('POST', `/api/evidence/items/${id(itemId)}/classify`, { add, remove }),
  setVerification: (itemId: string, state: string, note?: string) =>
    request<void>(
      'POST',
      `/api/evidence/items/${id(itemId)}/verification`,
      note ? { state, note } : { state },
    ),
  verifyItem: (itemId: string) =>
    request<VerifyReport>('POST', `/api/evidence/items/${id(itemId)}/verify`, {}),

  taxonomy: () => request<{ codes: TaxonomyCode[] }>('GET', '/api/evidence/taxonomy'),

  incidents: (filters: IncidentsQuery = {}) =>
    request<{ items: IncidentSummary[]; next: string | null }>(
      'GET',
      `/api/evidence/incidents${query(filters as Record<string, string | number | undefined>)}`,
    ),
  incident: (incidentId: string) => request<Incident>('GET', `/api/evidence/incidents/${id(incidentId)}`),
  createIncident: (input: IncidentInput) => request<Incident>('POST', '/api/evidence/incidents', input),
  updateIncident: (incidentId: string, input: IncidentUpdate) =>
    request<Incident>('PATCH', `/api/evidence/incidents/${id(incidentId)}`, input),
  linkItem: (incidentId: string, itemId: string, role?: string) =>
    request<Incident>(
      'POST',
      `/api/evidence/incidents/${id(incidentId)}/items`,
      role ? { itemId, role } : { itemId },
    ),
  unlinkItem: (incidentId: string, itemId: string) =>
    request<Incident>('DELETE', `/api/evidence/incidents/${id(incidentId)}/items/${id(itemId)}`),
  setLinkRole: (incidentId: string, itemId: string, role: string | null) =>
    request<Incident>('PATCH', `/api/evidence/incidents/${id(incidentId)}/items/${id(itemId)}`, { role }),
  removePerson: (incidentId: string, personId: string) =>
    request<Incident>('DELETE', `/api/evidence/incidents/${id(incidentId)}/persons/${id(personId)}`),
  addPerson: (incidentId: string, input: AddPersonRequest) =>
    request<Incident>('POST', `/api/evidence/incidents/${id(incidentId)}/persons`, input),
  classifyIncident: (incidentId: string, add: string[], remove: string[]) =>
    request<{ codes: string[] }>('POST', `/api/evidence/incidents/${id(incidentId)}/classify`, {
      add,
      remove,
    }),
};

export interface ExportedFile {
  blob: Blob;
  fileName: string;
}

/**
 * Requests an export package. The answer is a zip (or an encrypted package when a recipient key is given),
 * read whole into a Blob: the browser then saves it from a local blob: URL, never from another origin.
 */
export async function requestExport(input: ExportRequest, signal?: AbortSignal): Promise<ExportedFile> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = currentCsrfToken();
  if (token) headers['x-csrf-token'] = token;
  let response: Response;
  try {
    response = await fetch('/api/evidence/export', {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: JSON.stringify(input),
      signal,
    });
  } catch (cause) {
    throw new ApiError(NETWORK_ERROR_CODE, cause instanceof Error ? cause.message : String(cause), 0);
  }
  if (!response.ok) {
    let code = `SVD_HTTP_${response.status}`;
    let message = response.statusText;
    try {
      const body = (await response.json()) as { error?: { code?: string; message?: string } };
      if (body.error?.code) code = body.error.code;
      if (body.error?.message) message = body.error.message;
    } catch {
      // Not JSON: keep the status.
    }
    throw new ApiError(code, message, response.status);
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'evidence-export.zip';
  return { blob: await response.blob(), fileName };
}

/** Hands a Blob to the browser as a download under `fileName`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
