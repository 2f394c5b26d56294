/** What the commands declared in `sanctions.ts` do (loaded when one of them runs). */
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { exportToPath } from '../evidence/index.js';
import { AppError } from '../platform/errors.js';
import { atomicWriter } from './atomic-writer.js';
import { cliPrincipal, configFrom, progress, withRuntime } from './context.js';
import type { EXPORT_FORMATS, JURISDICTIONS, LIST_FORMATS, STATES } from './sanctions.js';

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

export async function importList(
  files: string[],
  opts: { format: (typeof LIST_FORMATS)[number]; dataset: string; title?: string },
  command: Command,
): Promise<void> {
  for (const file of files)
    if (!existsSync(file) || !statSync(file).isFile())
      throw new AppError('SVD_SANCTIONS_LIST_FILES', { message: `No such file: ${file}` });
  const total = files.reduce((sum, file) => sum + statSync(file).size, 0);
  await withRuntime(configFrom(command), ['sanctions'], async (runtime) => {
    const bar = progress(`Reading ${files.map((f) => path.basename(f)).join(', ')}`, total);
    let summary: Awaited<ReturnType<typeof runtime.areas.sanctions.lists.importList>>;
    try {
      summary = await runtime.areas.sanctions.lists.importList(cliPrincipal(), {
        format: opts.format,
        dataset: opts.dataset,
        title: opts.title,
        files: files.map((file) => ({
          name: path.basename(file),
          open: () => createReadStream(file, { highWaterMark: 256 * 1024 }),
        })),
        onProgress: (bytes) => bar.update(bytes),
      });
    } finally {
      bar.stop();
    }
    if (summary.datasetCreated) process.stderr.write(`Created dataset ${summary.dataset}\n`);
    const skipped = Object.entries(summary.skipped).map(([reason, count]) => `${count} ${reason}`);
    process.stdout.write(
      `${summary.dataset}: ${plural(summary.entries, 'designation')} (${plural(summary.persons, 'person')}, ${plural(summary.organizations, 'organization')}): ` +
        `${summary.added} new, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.ended} ended` +
        `${skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : ''}\n`,
    );
  });
}

export async function listProposals(
  opts: { status?: (typeof STATES)[number]; jurisdiction?: (typeof JURISDICTIONS)[number] },
  command: Command,
): Promise<void> {
  await withRuntime(configFrom(command), ['sanctions'], async (runtime) => {
    const proposals = await runtime.areas.sanctions.proposals.list(cliPrincipal(), {
      state: opts.status,
      jurisdiction: opts.jurisdiction,
    });
    for (const p of proposals) {
      const states = p.targets.map((t) => `${t.jurisdiction}:${t.state}`).join(' ');
      process.stdout.write(
        `${p.reference}\t${Math.round(p.completeness.score * 100)}%\t${states}\t${p.content.identity.nameLatin || p.caption}\t${p.id}\n`,
      );
    }
    process.stderr.write(`${plural(proposals.length, 'proposal')}\n`);
  });
}

export async function exportProposals(
  opts: {
    format: (typeof EXPORT_FORMATS)[number];
    status?: (typeof STATES)[number];
    proposal?: string;
    out: string;
  },
  command: Command,
): Promise<void> {
  await withRuntime(configFrom(command), ['sanctions'], async (runtime) => {
    const exports = runtime.areas.sanctions.exports;
    const selection = {
      status: opts.status,
      ...(opts.proposal ? { proposalIds: [opts.proposal] } : {}),
    };
    const { proposals } = await exports.select(cliPrincipal(), { format: opts.format, ...selection });
    const out = await atomicWriter(opts.out);
    try {
      if (opts.format === 'dossier-pdf') {
        const issued = await exports.pdf(cliPrincipal(), selection);
        await out.write(issued.pdf);
        await out.commit();
        process.stderr.write(
          `${plural(proposals.length, 'proposal')} to ${opts.out} (report version ${issued.report.version}, verification code ${issued.report.verificationCode}${issued.report.draft ? ', draft' : ''})\n`,
        );
        return;
      }
      for await (const chunk of exports.text(cliPrincipal(), { format: opts.format, ...selection }))
        await out.write(chunk);
      await out.commit();
      process.stderr.write(`${plural(proposals.length, 'proposal')} to ${opts.out}\n`);
    } catch (error) {
      await out.abort();
      throw error;
    }
  });
}

/** The evidence items a proposal's reasons link to, exported through the vault (custody recorded per item). */
export async function evidencePackage(
  opts: { proposal: string; out: string; recipientKey?: string; purpose?: string },
  command: Command,
): Promise<void> {
  await withRuntime(configFrom(command), ['sanctions', 'evidence'], async (runtime) => {
    const proposal = await runtime.areas.sanctions.proposals.get(cliPrincipal(), opts.proposal);
    const itemIds = [
      ...new Set(
        proposal.content.reasons.flatMap((reason) =>
          reason.links.flatMap((link) => (link.kind === 'evidence' ? [link.ref] : [])),
        ),
      ),
    ];
    if (itemIds.length === 0)
      throw new AppError('SVD_HTTP_VALIDATION', {
        message: `Proposal ${proposal.reference} cites no evidence item: there is nothing to package.`,
      });
    const result = await exportToPath(
      runtime.areas.evidence.exportVault,
      cliPrincipal(),
      {
        itemIds,
        purpose: opts.purpose ?? `sanctions proposal ${proposal.reference}`,
        ...(opts.recipientKey ? { recipientKey: opts.recipientKey } : {}),
      },
      opts.out,
    );
    await runtime.audit.record({
      actor: cliPrincipal(),
      action: 'evidence.export',
      target: { type: 'evidence_export', id: result.exportId },
      details: { items: result.items, encrypted: Boolean(opts.recipientKey), proposalId: proposal.id },
    });
    process.stdout.write(
      `Exported ${result.items} item(s) cited by ${proposal.reference} to ${result.path} (package ${result.exportId}).\n`,
    );
  });
}
