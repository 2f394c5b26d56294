/** What `sviedka screen` does (declared in `screening.ts`; loaded when it runs). */
import {
  closeSync,
  createReadStream,
  existsSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../platform/errors.js';
import { type BulkFormat, csvWriter, jsonlWriter, readQueries } from '../screening/bulk.js';
import { screenBulk } from '../screening/service.js';
import { cliPrincipal, configFrom, progress, withRuntime } from './context.js';

function number(value: string, name: string, min: number, max: number, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new AppError('SVD_HTTP_VALIDATION', {
      message: `${name} must be ${integer ? 'an integer ' : ''}between ${min} and ${max}`,
    });
  }
  return n;
}

export async function screen(
  input: string,
  opts: {
    dataset: string;
    format: BulkFormat;
    outputFormat?: string;
    out?: string;
    threshold: string;
    limit: string;
  },
  command: Command,
): Promise<void> {
  if (!existsSync(input) || !statSync(input).isFile())
    throw new AppError('SVD_SCREENING_INPUT', { message: `No such file: ${input}` });
  const output = (opts.outputFormat ?? opts.format) as BulkFormat;
  if (output !== 'jsonl' && output !== 'csv') throw new AppError('SVD_SCREENING_FORMAT');
  const threshold = number(opts.threshold, '--threshold', 0, 1, false);
  const limit = number(opts.limit, '--limit', 1, 500, true);
  const size = statSync(input).size;
  await withRuntime(configFrom(command), ['screening'], async (runtime) => {
    const screening = runtime.areas.screening.service;
    const principal = cliPrincipal();
    const datasets = opts.dataset
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
    await screening.ensureIndex();
    await screening.datasetsFor(principal, datasets);

    let bytesRead = 0;
    const stream = createReadStream(input, { highWaterMark: 256 * 1024 });
    stream.on('data', (chunk) => {
      bytesRead += chunk.length;
    });
    const tmp = opts.out ? `${opts.out}.tmp-${process.pid}` : null;
    const fd = tmp ? openSync(tmp, 'w', 0o600) : null;
    const sink = (text: string) => {
      if (fd !== null) writeSync(fd, text);
      else
        return new Promise<void>((resolve, reject) =>
          process.stdout.write(text, (e) => (e ? reject(e) : resolve())),
        );
    };
    const bar = progress('Screening', undefined);
    try {
      const summary = await screenBulk(
        screening,
        principal,
        readQueries(opts.format, stream),
        output === 'csv' ? csvWriter() : jsonlWriter(),
        sink,
        { datasets, threshold, limit, excludeEntityIds: [], clusters: true },
        {
          label: `cli:${input.split('/').pop()}`,
          onProgress: (done) => {
            // Lines are counted as they come; the total is estimated from the bytes read so far.
            const estimate = bytesRead > 0 ? Math.max(done, Math.round((done * size) / bytesRead)) : done;
            bar.update(done, estimate);
          },
        },
      );
      bar.update(summary.queries, summary.queries);
      bar.stop();
      if (fd !== null && tmp && opts.out) {
        fsyncSync(fd);
        closeSync(fd);
        renameSync(tmp, opts.out);
      }
      process.stderr.write(
        `Screened ${summary.queries} queries: ${summary.matched} with a match, ${summary.errors} with errors (see "error" in the output).\n`,
      );
    } catch (error) {
      bar.stop();
      if (fd !== null) closeSync(fd);
      if (tmp) rmSync(tmp, { force: true });
      throw error;
    }
  });
}
