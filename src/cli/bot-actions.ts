/** What the `sviedka bot` and `sviedka broadcast` commands do (declared in `bot.ts`; loaded when one runs). */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type BroadcastProgress, type CreateBroadcastInput, createBroadcastSchema } from '../bot/model.js';
import { AppError } from '../platform/errors.js';
import type { Runtime } from '../runtime.js';
import { cliPrincipal, configFrom, progress, withRuntime } from './context.js';

function summary(p: BroadcastProgress): string {
  const seconds =
    p.startedAt && p.finishedAt
      ? (new Date(p.finishedAt).getTime() - new Date(p.startedAt).getTime()) / 1000
      : null;
  return (
    `Broadcast ${p.id} ${p.state}: ${p.total} recipients — sent ${p.sent}, failed ${p.failed}, unknown ${p.unknown}, ` +
    `removed ${p.removed}, cancelled ${p.cancelled}, pending ${p.pending + p.sending}` +
    (seconds !== null ? ` in ${seconds.toFixed(1)} s (${p.achievedRate}/s of ${p.rate}/s)` : '')
  );
}

function statusLine(p: BroadcastProgress): string {
  const eta = p.etaSeconds !== null ? ` ETA ${Math.round(p.etaSeconds)} s` : '';
  return `${p.id} ${p.state.padEnd(9)} ${p.createdAt.slice(0, 16)} sent ${p.sent}/${p.total} failed ${p.failed} unknown ${p.unknown} rate ${p.achievedRate}/${p.rate}/s${eta}`;
}

/** Shows progress until the broadcast is no longer running (or the worker promise settles). */
async function watch(
  runtime: Runtime<'bot'>,
  id: string,
  worker?: Promise<void>,
): Promise<BroadcastProgress> {
  const service = runtime.areas.bot.service;
  let current = await service.progress(id);
  const bar = progress('Sending', current.total);
  let workerDone = false;
  void worker?.finally(() => {
    workerDone = true;
  });
  for (;;) {
    current = await service.progress(id);
    const handled = current.sent + current.failed + current.unknown + current.cancelled + current.removed;
    bar.update(handled, current.total);
    if (current.state !== 'running' || (worker && workerDone)) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await worker;
  bar.stop();
  return service.progress(id);
}

export async function runBot(opts: { worker: boolean }, command: Command): Promise<void> {
  // The vault is opened with the bot: files sent by citizens go into it.
  await withRuntime(configFrom(command), ['bot', 'evidence'], async (runtime) => {
    const area = runtime.areas.bot;
    if (!area.settings.token) throw new AppError('SVD_BOT_NOT_CONFIGURED');
    const telegram = await area.createTelegram();
    const worker = opts.worker ? await area.createWorker() : undefined;
    await area.service.currentQuestionnaire();
    const polling = await area.startPolling(telegram);
    worker?.start();
    process.stdout.write(
      `Bot @${telegram.botInfo.username} polling${worker ? ' with the broadcast worker' : ''} (evidence: ${area.evidenceSink().kind})\n`,
    );
    let stopping = false;
    await new Promise<void>((resolve) => {
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await polling.stop();
        await worker?.stop();
        resolve();
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
      polling.running.catch((error: unknown) => {
        runtime.logger.error({ err: { message: (error as Error).message } }, 'polling stopped');
        void stop();
      });
    });
  });
}

export async function importInbox(_opts: unknown, command: Command): Promise<void> {
  await withRuntime(configFrom(command), ['bot', 'evidence'], async (runtime) => {
    const { importInbox } = await import('../bot/evidence-sink.js');
    const count = await importInbox(runtime.areas.bot.settings.inboxDir, runtime.areas.evidence);
    process.stdout.write(`Imported ${count} file(s) into the evidence vault.\n`);
  });
}

export async function send(
  opts: {
    segment?: string;
    allOf?: boolean;
    region?: string;
    template?: string;
    textFile?: string;
    parseMode: string;
    rate?: string;
    paid?: boolean;
    resendUnknown?: boolean;
    wait?: boolean;
    work?: boolean;
  },
  command: Command,
): Promise<void> {
  if (!opts.template === !opts.textFile)
    throw new AppError('SVD_HTTP_VALIDATION', {
      message: 'Give exactly one of --template and --text-file.',
    });
  let content: CreateBroadcastInput['content'];
  if (opts.textFile) {
    const text = readFileSync(opts.textFile, 'utf8').trim();
    const version = { text, parseMode: opts.parseMode === 'none' ? null : (opts.parseMode as 'HTML') };
    content = { versions: { be: version, ru: version, en: version }, media: null };
  }
  const parsed = createBroadcastSchema.safeParse({
    audience: {
      segments: (opts.segment ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      mode: opts.allOf ? 'all' : 'any',
      region: opts.region ?? null,
    },
    ...(content ? { content } : {}),
    ...(opts.rate ? { rate: Number(opts.rate) } : {}),
    paid: Boolean(opts.paid),
    resendUnknown: Boolean(opts.resendUnknown),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('SVD_HTTP_VALIDATION', {
      message: `${issue.path.join('.') || 'value'}: ${issue.message}`,
    });
  }
  await withRuntime(configFrom(command), ['bot'], async (runtime) => {
    const service = runtime.areas.bot.service;
    const input = parsed.data;
    if (opts.template) input.templateId = (await service.template(opts.template)).id;
    const created = await service.createBroadcast(cliPrincipal(), input);
    process.stdout.write(
      `Created broadcast ${created.id} for ${created.total} recipients at ${created.rate}/s\n`,
    );
    if (!opts.wait) return;
    const runHere = opts.work || runtime.database.kind === 'pglite';
    const worker = runHere ? await runtime.areas.bot.createWorker() : undefined;
    const final = await watch(runtime, created.id, worker?.runUntilIdle());
    process.stdout.write(`${summary(final)}\n`);
  });
}

export async function listBroadcasts(_opts: unknown, command: Command): Promise<void> {
  await withRuntime(configFrom(command), ['bot'], async (runtime) => {
    for (const p of await runtime.areas.bot.service.listBroadcasts())
      process.stdout.write(`${statusLine(p)}\n`);
  });
}

export async function status(id: string, opts: { json?: boolean }, command: Command): Promise<void> {
  await withRuntime(configFrom(command), ['bot'], async (runtime) => {
    const p = await runtime.areas.bot.service.progress(id);
    process.stdout.write(opts.json ? `${JSON.stringify(p, null, 2)}\n` : `${statusLine(p)}\n${summary(p)}\n`);
  });
}

export async function controlBroadcast(
  name: 'cancel' | 'pause' | 'resume',
  id: string,
  command: Command,
): Promise<void> {
  await withRuntime(configFrom(command), ['bot'], async (runtime) => {
    const service = runtime.areas.bot.service;
    const p =
      name === 'cancel'
        ? await service.cancelBroadcast(cliPrincipal(), id)
        : await service.pauseBroadcast(cliPrincipal(), id, name === 'pause');
    process.stdout.write(`${statusLine(p)}\n`);
  });
}

export async function worker(opts: { exitWhenIdle?: boolean }, command: Command): Promise<void> {
  await withRuntime(configFrom(command), ['bot'], async (runtime) => {
    const worker = await runtime.areas.bot.createWorker();
    if (opts.exitWhenIdle) {
      await worker.runUntilIdle();
      process.stdout.write(`Worker idle: sent ${worker.stats.sent}, unknown ${worker.stats.unknown}\n`);
      return;
    }
    worker.start();
    await new Promise<void>((resolve) => {
      const stop = () => void worker.stop().then(resolve);
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  });
}

export async function prune(opts: { olderThan?: string }, command: Command): Promise<void> {
  await withRuntime(configFrom(command), ['bot'], async (runtime) => {
    const n = await runtime.areas.bot.service.prune(
      opts.olderThan !== undefined ? Number(opts.olderThan) : undefined,
    );
    process.stdout.write(`Pruned ${n} broadcast(s).\n`);
  });
}
