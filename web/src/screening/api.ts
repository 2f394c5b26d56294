/** Typed calls to the screening API: yente-style /api/match and the bulk file endpoint. */
import { ApiError, currentCsrfToken, NETWORK_ERROR_CODE, query, request } from '../api/client.js';

export interface TokenExplanation {
  query: string;
  matched: string | null;
  part: 'surname' | 'given' | 'patronymic' | 'other';
  rule: string;
  score: number;
}

export interface Explanation {
  queryName: string;
  matchedName: string;
  nameScore: number;
  tokens: TokenExplanation[];
  features: Record<string, number>;
  notes: string[];
}

export interface MatchResult {
  id: string;
  schema: string;
  caption: string;
  score: number;
  match: boolean;
  datasets: string[];
  properties: Record<string, string[]>;
  explanations: Explanation[];
}

export interface MatchResponseItem {
  status: number;
  results: MatchResult[];
  total: { value: number; relation: 'eq' | 'gte' };
  error?: { code: string; message: string };
}

export interface ScreenInput {
  name: string;
  birthDate?: string;
  dataset?: string;
  threshold?: number;
  limit?: number;
}

export const screeningApi = {
  /** Screens one name (and birth date) against the datasets the person may see. */
  async match(input: ScreenInput): Promise<MatchResponseItem> {
    const properties: Record<string, string[]> = { name: [input.name] };
    if (input.birthDate?.trim()) properties.birthDate = [input.birthDate.trim()];
    const response = await request<{ responses: Record<string, MatchResponseItem> }>(
      'POST',
      `/api/match${query({ dataset: input.dataset, threshold: input.threshold, limit: input.limit ?? 10 })}`,
      { queries: { q: { schema: 'Person', properties } } },
    );
    return response.responses.q!;
  },

  /** Uploads a CSV file and returns the results file (CSV or JSONL) as a Blob. */
  async bulk(
    file: File,
    options: { output: 'csv' | 'jsonl'; dataset?: string; threshold?: number },
  ): Promise<Blob> {
    const headers: Record<string, string> = { 'content-type': 'text/csv' };
    const token = currentCsrfToken();
    if (token) headers['x-csrf-token'] = token;
    let response: Response;
    try {
      response = await fetch(
        `/api/screen/bulk${query({ output: options.output, dataset: options.dataset, threshold: options.threshold })}`,
        { method: 'POST', headers, credentials: 'same-origin', body: file },
      );
    } catch (cause) {
      throw new ApiError(NETWORK_ERROR_CODE, cause instanceof Error ? cause.message : String(cause), 0);
    }
    if (!response.ok) {
      let code = `SVD_HTTP_${response.status}`;
      let message = response.statusText;
      try {
        const body = (await response.json()) as { error?: { code?: string; message?: string } };
        code = body.error?.code ?? code;
        message = body.error?.message ?? message;
      } catch {}
      throw new ApiError(code, message, response.status);
    }
    return response.blob();
  },
};
