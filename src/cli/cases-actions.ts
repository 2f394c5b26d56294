/** What the commands declared in `cases.ts` do (loaded when one of them runs). */
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../platform/errors.js';
import type { Runtime } from '../runtime.js';
import { cliPrincipal, configFrom, withRuntime } from './context.js';

function casesOf(runtime: Runtime<'cases'>) {
  return runtime.areas.cases;
}

/** Writes bytes to a temporary name beside `target`, fsyncs, renames: never a partial file. */
function writeAtomically(target: string, data: Buffer): void {
  const temp = path.join(path.dirname(path.resolve(target)), `.${path.basename(target)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, target);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {}
    rmSync(temp, { force: true });
    throw error;
  }
}

const json = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

export async function createCase(
  opts: {
    requester: string;
    purpose: string;
    subjectName: string[];
    birthDate?: string;
    legalBasis?: string;
    due?: string;
    retention: 'short' | 'standard' | 'long';
    json?: boolean;
  },
  command: Command,
): Promise<void> {
  await withRuntime(configFrom(command), ['cases'], async (runtime) => {
    const created = await casesOf(runtime).service.create(cliPrincipal(), {
      requesterOrg: opts.requester,
      purpose: opts.purpose,
      legalBasis: opts.legalBasis,
      dueDate: opts.due,
      retentionClass: opts.retention,
      subject: { names: opts.subjectName, ...(opts.birthDate ? { birthDate: opts.birthDate } : {}) },
    });
    if (opts.json) json(created);
    else process.stdout.write(`Created case ${created.number} (${created.id}), status ${created.status}.\n`);
  });
}

export async function listCases(opts: { status?: string; json?: boolean }, command: Command): Promise<void> {
  await withRuntime(configFrom(command), ['cases'], async (runtime) => {
    const { listCasesQuerySchema } = await import('../cases/model.js');
    const query = listCasesQuerySchema.safeParse({ status: opts.status, limit: 500 });
    if (!query.success)
      throw new AppError('SVD_HTTP_VALIDATION', { message: `Unknown status: ${opts.status}` });
    const list = await casesOf(runtime).service.list(cliPrincipal(), query.data);
    if (opts.json) return json(list);
    if (list.length === 0) return void process.stdout.write('No cases.\n');
    for (const c of list)
      process.stdout.write(
        `${c.id}  ${c.number}  ${c.status.padEnd(11)}  due ${c.dueDate ?? '—'}${c.overdue ? ' (overdue)' : ''}  ${c.requesterOrg}  ${c.erased ? '[erased]' : (c.subjectName ?? '')}\n`,
      );
  });
}

export async function showCase(id: string, opts: { json?: boolean }, command: Command): Promise<void> {
  await withRuntime(configFrom(command), ['cases'], async (runtime) => {
    const detail = await casesOf(runtime).service.get(cliPrincipal(), id);
    if (opts.json || !('hits' in detail)) return json(detail);
    process.stdout.write(
      `${detail.number} (${detail.id})\nstatus: ${detail.status}\nrequester: ${detail.requesterOrg}\npurpose: ${detail.purpose}\n` +
        `subject: ${detail.subject ? detail.subject.names.join('; ') : '[erased]'}\nhits: ${detail.hits.length}, reports: ${detail.reports.length}\n`,
    );
  });
}

export async function screenCase(id: string, opts: { json?: boolean }, command: Command): Promise<void> {
  await withRuntime(configFrom(command), ['cases'], async (runtime) => {
    const summary = await casesOf(runtime).work.screen(cliPrincipal(), id);
    if (opts.json) return json(summary);
    process.stdout.write(
      `Screened: ${summary.results} hit(s); ${summary.new} new, ${summary.changed} changed, ${summary.gone} gone since the last screening.\n`,
    );
  });
}

export async function reportCase(
  id: string,
  opts: { out: string; draft?: boolean; language: 'be' | 'ru' | 'en' },
  command: Command,
): Promise<void> {
  await withRuntime(configFrom(command), ['cases'], async (runtime) => {
    const issued = await casesOf(runtime).reporting.issue(cliPrincipal(), id, {
      draft: !!opts.draft,
      language: opts.language,
    });
    writeAtomically(opts.out, issued.pdf);
    const twin = `${opts.out.replace(/\.pdf$/i, '')}.json`;
    writeAtomically(twin, issued.json);
    process.stdout.write(
      `Wrote ${opts.out} (${issued.report.draft ? 'draft' : 'released'} report, version ${issued.report.version}, verification code ${issued.report.verificationCode}, SHA-256 ${issued.report.pdfSha256}) and ${twin}.\n`,
    );
  });
}

export async function verifyReport(file: string, opts: { json?: boolean }, command: Command): Promise<void> {
  let bytes: Buffer;
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
    bytes = readFileSync(file);
  } catch {
    throw new AppError('SVD_REPORT_FILE', { message: `Cannot read ${file}.` });
  }
  const result = await withRuntime(configFrom(command), ['cases'], (runtime) =>
    casesOf(runtime).reporting.verify(cliPrincipal(), bytes),
  );
  if (opts.json) json(result);
  const r = result.report;
  const name = path.basename(file);
  if (result.status === 'issued' && r) {
    if (!opts.json)
      process.stdout.write(
        `OK: ${name} is an unaltered ${r.draft ? 'DRAFT' : 'released'} report of case ${result.caseNumber ?? r.subjectId}, version ${r.version}, issued ${r.issuedAt} (verification code ${r.verificationCode}, ${result.format?.toUpperCase()}).${result.caseErased ? ' The case’s subject data has since been erased.' : ''}${result.custodyIntact === false ? ' WARNING: the report custody chain does not recompute.' : ''}\n`,
      );
    if (result.custodyIntact === false) process.exitCode = 1;
    return;
  }
  if (!opts.json) {
    process.stderr.write(
      result.status === 'altered' && r
        ? `sviedka: NOT VALID: ${name} claims to be report ${r.verificationCode} (case ${result.caseNumber ?? r.subjectId}, version ${r.version}) but its content differs from what was issued (SHA-256 ${result.sha256}).\n`
        : `sviedka: NOT VALID: ${name} is not a report issued by this Sviedka instance (SHA-256 ${result.sha256}).\n`,
    );
  }
  process.exitCode = 1;
}

export async function purge(_opts: { due: boolean }, command: Command): Promise<void> {
  await withRuntime(configFrom(command), ['cases'], async (runtime) => {
    const result = await casesOf(runtime).retention.purgeDue(cliPrincipal());
    process.stdout.write(
      `Erased the subject data of ${result.erased.length} case(s) due under their retention class.${result.failed.length ? ` ${result.failed.length} could not be erased: ${result.failed.join(', ')}.` : ''}\n`,
    );
    if (result.failed.length) process.exitCode = 1;
  });
}
