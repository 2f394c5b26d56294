/**
 * A minimal Bot API caller for the broadcast worker. It exists (next to grammY, which runs the
 * interactive bot) because a broadcaster must know precisely whether a failed request left the
 * machine: a request refused before its body was written is safe to retry; one whose body was
 * written but got no answer may have been delivered, so it is an unknown outcome. It also keeps
 * persistent connections sized to the number of requests in flight, which 1000 messages/s needs.
 */
import http from 'node:http';
import https from 'node:https';

export type ApiResult =
  | { kind: 'ok'; result: unknown }
  | { kind: 'error'; status: number; description: string; retryAfter: number | undefined }
  /** `sent`: the request body was fully written before the failure (the outcome is unknown). */
  | { kind: 'network'; sent: boolean; message: string };

export interface BotApiCaller {
  call(method: string, params: Record<string, unknown>): Promise<ApiResult>;
  close(): void;
}

/** Creates a caller for `apiRoot` and `token` (the token never appears in errors or logs). */
export function createBotApiCaller(options: {
  apiRoot: string;
  token: string;
  timeoutMs: number;
  maxSockets: number;
}): BotApiCaller {
  const base = new URL(options.apiRoot);
  const secure = base.protocol === 'https:';
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxSockets: options.maxSockets })
    : new http.Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const prefix = `${base.pathname.replace(/\/+$/, '')}/bot${options.token}/`;
  const request = secure ? https.request : http.request;

  return {
    call(method, params) {
      const body = JSON.stringify(params);
      return new Promise<ApiResult>((resolve) => {
        let sent = false;
        let settled = false;
        const settle = (result: ApiResult) => {
          if (settled) return;
          settled = true;
          resolve(result);
        };
        const req = request(
          {
            host: base.hostname,
            port: base.port || (secure ? 443 : 80),
            path: prefix + method,
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              let parsed: {
                ok?: boolean;
                result?: unknown;
                description?: string;
                error_code?: number;
                parameters?: { retry_after?: number };
              };
              try {
                parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              } catch {
                settle({
                  kind: 'error',
                  status: res.statusCode ?? 0,
                  description: `HTTP ${res.statusCode}: not a Bot API answer`,
                  retryAfter: undefined,
                });
                return;
              }
              if (parsed.ok) settle({ kind: 'ok', result: parsed.result });
              else
                settle({
                  kind: 'error',
                  status: parsed.error_code ?? res.statusCode ?? 0,
                  description: String(parsed.description ?? ''),
                  retryAfter: parsed.parameters?.retry_after,
                });
            });
            res.on('error', (error) => settle({ kind: 'network', sent: true, message: error.message }));
            res.on('aborted', () => settle({ kind: 'network', sent: true, message: 'response aborted' }));
          },
        );
        req.setTimeout(options.timeoutMs, () => {
          req.destroy(new Error('timed out'));
        });
        req.on('finish', () => {
          sent = true;
        });
        req.on('error', (error) => settle({ kind: 'network', sent, message: error.message }));
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
