/** What the commands declared in `xref.ts` do (loaded when one of them runs). */
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../platform/errors.js';
import type { XrefRunService } from '../xref/runs.js';
import { atomicWriter } from './atomic-writer.js';
import { cliPrincipal, configFrom, progress, withRuntime } from './context.js';

/**
 * Works a run here with a progress bar; Ctrl-C pauses it (run the command again to resume). When another
 * process holds the run (a server's worker), follows its progress until it is done.
 */
async function workRun(runs: XrefRunService, runId: string) {
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  const bar = progress('Cross-referencing', undefined);
  try {
    for (;;) {
      try {
        const run = await runs.execute(runId, {
          signal: controller.signal,
          onProgress: (r) => bar.update(r.done, Math.max(r.total, r.done)),
        });
        return run;
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'SVD_XREF_RUN_BUSY')) throw error;
        const view = await runs.get(cliPrincipal(), runId);
        bar.update(view.done, Math.max(view.total, view.done));
        if (view.state === 'done') return runs.execute(runId);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  } finally {
    bar.stop();
    process.off('SIGINT', interrupt);
  }
}

export async function runXref(
  opts: { dataset: string; against?: string; threshold: string; out?: string },
  command: Command,
): Promise<void> {
  const threshold = Number(opts.threshold);
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1)
    throw new AppError('SVD_HTTP_VALIDATION', { message: '--threshold must be between 0 and 1' });
  const against = (opts.against ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  await withRuntime(configFrom(command), ['xref'], async (runtime) => {
    const runs = runtime.areas.xref.runs;
    const started = await runs.start(cliPrincipal(), { dataset: opts.dataset, against });
    let run = started.run;
    if (started.reused) process.stderr.write('Nothing changed since the last run: its pairs are reused.\n');
    else run = await workRun(runtime.areas.xref.runs, run.id);
    if (run.state !== 'done') {
      process.stderr.write('Paused. Run the same command again to continue where it stopped.\n');
      process.exitCode = 130;
      return;
    }
    const view = await runs.view(run);
    process.stderr.write(
      `Xref ${view.dataset.name} against ${view.againstAll ? 'every other dataset' : view.against.map((d) => d.name).join(', ')}: ` +
        `${view.done} entities compared${view.incremental ? ' (changed since the last run)' : ''}, ${view.suggested} pairs suggested, ${view.autoDecided} decided by rule, ${view.skipped} not screenable.\n`,
    );
    if (!opts.out) return;
    const out = await atomicWriter(opts.out);
    let pairs = 0;
    let matches = 0;
    try {
      for await (const page of runs.pairs(run, threshold)) {
        let text = '';
        for (const pair of page) {
          text += `${JSON.stringify(pair)}\n`;
          pairs++;
          if (pair.match) matches++;
        }
        await out.write(text);
      }
    } catch (error) {
      await out.abort();
      throw error;
    }
    await out.commit();
    process.stderr.write(`Wrote ${pairs} pairs (${matches} at or above ${threshold}) to ${opts.out}\n`);
  });
}

export async function decide(
  left: string,
  right: string,
  judgement: string,
  opts: { reason?: string },
  command: Command,
): Promise<void> {
  if (!['positive', 'negative', 'unsure'].includes(judgement)) throw new AppError('SVD_XREF_BAD_JUDGEMENT');
  await withRuntime(configFrom(command), ['xref'], async (runtime) => {
    const outcome = await runtime.areas.xref.decisions.decide(cliPrincipal(), {
      left,
      right,
      judgement,
      reason: opts.reason ?? null,
    });
    if (!outcome.applied) process.stdout.write(`${left} ${right}: already ${judgement}, nothing changed\n`);
    else if (judgement === 'positive')
      process.stdout.write(`${left} ${right}: positive, cluster ${outcome.left}\n`);
    else process.stdout.write(`${left} ${right}: ${judgement} (${outcome.left} / ${outcome.right})\n`);
  });
}

export async function exportResolver(opts: { out?: string }, command: Command): Promise<void> {
  await withRuntime(configFrom(command), ['xref'], async (runtime) => {
    const lines = runtime.areas.xref.decisions.exportLines(cliPrincipal());
    if (!opts.out) {
      for await (const chunk of lines)
        if (!process.stdout.write(chunk))
          await new Promise((resolve) => process.stdout.once('drain', resolve));
      return;
    }
    const out = await atomicWriter(opts.out);
    let written = 0;
    try {
      for await (const chunk of lines) {
        await out.write(chunk);
        written += chunk.split('\n').length - 1;
      }
    } catch (error) {
      await out.abort();
      throw error;
    }
    await out.commit();
    process.stderr.write(`Exported ${written} judgements to ${opts.out}\n`);
  });
}

export async function importResolver(file: string, _opts: unknown, command: Command): Promise<void> {
  if (!existsSync(file) || !statSync(file).isFile())
    throw new AppError('SVD_XREF_IMPORT_FILE', { message: `No such file: ${file}` });
  const size = statSync(file).size;
  const exitCode = await withRuntime(configFrom(command), ['xref'], async (runtime) => {
    const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
    let bytes = 0;
    stream.on('data', (chunk) => {
      bytes += chunk.length;
    });
    const bar = progress(`Importing ${path.basename(file)}`, size);
    const rejects: string[] = [];
    let summary: Awaited<ReturnType<typeof runtime.areas.xref.decisions.importLines>>;
    try {
      summary = await runtime.areas.xref.decisions.importLines(cliPrincipal(), stream, {
        fileName: path.basename(file),
        onReject: (r) => {
          if (rejects.length < 1000) rejects.push(`line ${r.line}: ${r.reason}`);
        },
        onProgress: () => bar.update(bytes),
      });
    } finally {
      bar.update(size);
      bar.stop();
    }
    for (const line of rejects) process.stderr.write(`${path.basename(file)}: ${line}\n`);
    if (summary.rejected > rejects.length)
      process.stderr.write(`… and ${summary.rejected - rejects.length} more rejected lines\n`);
    process.stdout.write(
      `Imported ${summary.applied} judgements; ${summary.alreadyDecided} already decided, ${summary.skipped} skipped (suggestions or deleted), ${summary.rejected} rejected.\n`,
    );
    return summary.rejected > 0 ? 2 : 0;
  });
  process.exitCode = exitCode;
}
