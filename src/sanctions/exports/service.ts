/**
 * Exports of proposals: machine-readable files in the governments' shapes (EU FSF XML for the EU
 * targets, OFAC SDN XML for the US ones, UK Sanctions List CSV for the UK ones), FtM JSON lines (the
 * subject and a `Sanction` with status `proposed` per target), a CSV with one row per target, and the
 * dossier PDF (one proposal) or the batch annex with the dossiers (several), issued through the
 * platform's reports (version, verification code, custody). Every export is audited.
 */
import { randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { AuditService } from '../../platform/audit/service.js';
import type { Principal } from '../../platform/auth/model.js';
import { actorOf } from '../../platform/auth/service.js';
import { renderPdf } from '../../platform/reports/pdf.js';
import type { ReportService } from '../../platform/reports/service.js';
import type { Authority } from '../lists/entry.js';
import { AUTHORITY_NAMES, entryToEntities } from '../lists/to-ftm.js';
import type { Jurisdiction, Proposal, ProposalState } from '../model.js';
import type { ProposalService } from '../proposals.js';
import { dossierDocument } from './dossier.js';
import { euFsfWriter } from './eu-fsf-writer.js';
import { ofacSdnXmlWriter } from './ofac-sdn-xml-writer.js';
import { positionLine, proposalEntry } from './proposal-entry.js';
import { ukSanctionsListCsvWriter } from './uk-sanctions-list-csv-writer.js';
import type { ExportWriter } from './writer.js';

export const EXPORT_FORMATS = [
  'eu-fsf-xml',
  'ofac-sdn-xml',
  'uk-sanctions-list-csv',
  'ftm',
  'csv',
  'dossier-pdf',
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const GOVERNMENT: Partial<Record<ExportFormat, { jurisdiction: Jurisdiction; writer: () => ExportWriter }>> =
  {
    'eu-fsf-xml': { jurisdiction: 'EU', writer: euFsfWriter },
    'ofac-sdn-xml': { jurisdiction: 'US', writer: ofacSdnXmlWriter },
    'uk-sanctions-list-csv': { jurisdiction: 'UK', writer: ukSanctionsListCsvWriter },
  };

const CSV_COLUMNS = [
  'reference',
  'jurisdiction',
  'programme',
  'state',
  'state_changed_at',
  'entity_id',
  'name_latin',
  'name_belarusian',
  'name_russian',
  'other_names',
  'birth_date',
  'birth_place',
  'gender',
  'citizenship',
  'personal_number',
  'passport_number',
  'positions',
  'unit',
  'address',
  'completeness',
  'reasons',
  'evidence_sha256',
  'content_hash',
];

export interface ExportSelection {
  format: ExportFormat;
  status?: ProposalState | undefined;
  /** Only these proposals (default: all the principal may see). */
  proposalIds?: string[] | undefined;
}

export class ExportService {
  constructor(
    private readonly proposals: ProposalService,
    private readonly reports: Pick<ReportService, 'issue'>,
    private readonly audit: AuditService,
  ) {}

  /** The proposals and, per proposal, the targets an export covers. */
  async select(principal: Principal, selection: ExportSelection) {
    const jurisdiction = GOVERNMENT[selection.format]?.jurisdiction;
    let proposals = await this.proposals.list(principal, { jurisdiction, state: selection.status });
    if (selection.proposalIds) {
      const wanted = new Set(selection.proposalIds);
      proposals = proposals.filter((p) => wanted.has(p.id));
    }
    const targetsOf = (p: Proposal) =>
      p.targets.filter(
        (t) =>
          (!jurisdiction || t.jurisdiction === jurisdiction) &&
          (!selection.status || t.state === selection.status),
      );
    return {
      proposals: proposals.filter((p) => targetsOf(p).length > 0),
      targetsOf,
      jurisdiction: jurisdiction ?? null,
    };
  }

  async #audit(
    principal: Principal,
    format: ExportFormat,
    proposals: Proposal[],
    status: string | undefined,
  ) {
    await this.audit.record({
      actor: actorOf(principal),
      action: 'sanctions.export',
      target: { type: 'sanctions-export', id: format },
      details: {
        format,
        status: status ?? null,
        proposals: proposals.map((p) => p.id),
        hashes: proposals.map((p) => p.contentHash),
      },
    });
  }

  /** A text export (every format but the PDF), in chunks. */
  async *text(principal: Principal, selection: ExportSelection): AsyncGenerator<string> {
    const { proposals, targetsOf, jurisdiction } = await this.select(principal, selection);
    await this.#audit(principal, selection.format, proposals, selection.status);
    const government = GOVERNMENT[selection.format];
    if (government) {
      const writer = government.writer();
      yield writer.head(proposals.length, new Date());
      for (const [index, proposal] of proposals.entries())
        yield writer.entry(proposalEntry(proposal, jurisdiction), index);
      yield writer.tail();
      return;
    }
    if (selection.format === 'csv') {
      yield stringify([CSV_COLUMNS], { record_delimiter: '\r\n' });
      for (const proposal of proposals) {
        const i = proposal.content.identity;
        const open = proposal.content.reasons.filter((r) => !r.confidential);
        yield stringify(
          targetsOf(proposal).map((target) => [
            proposal.reference,
            target.jurisdiction,
            target.programme,
            target.state,
            target.stateChangedAt,
            proposal.entityId,
            i.nameLatin,
            i.nameBelarusian,
            i.nameRussian,
            i.otherNames.join('; '),
            i.birthDate,
            i.birthPlace,
            i.gender,
            i.citizenship.join(' '),
            i.personalNumber,
            i.passportNumber,
            i.positions.map(positionLine).join('; '),
            i.unit,
            i.address,
            String(proposal.completeness.score),
            open.map((r) => r.text).join('\n'),
            [
              ...new Set(
                open.flatMap((r) =>
                  r.links.flatMap((l) => (l.kind === 'evidence' && l.sha256 ? [l.sha256] : [])),
                ),
              ),
            ].join(' '),
            proposal.contentHash,
          ]),
          { record_delimiter: '\r\n' },
        );
      }
      return;
    }
    // FtM JSON lines: the subject (under its registry id) with its documents and addresses once, and a
    // Sanction with status "proposed" for each target.
    for (const proposal of proposals) {
      const seen = new Set<string>();
      for (const target of targetsOf(proposal)) {
        const entities = entryToEntities(proposalEntry(proposal, target.jurisdiction), {
          datasetName: 'proposal',
          authority: target.jurisdiction as Authority,
          publisher: 'Sviedka listing proposal',
          subjectId: proposal.entityId,
          sanctionId: `${proposal.reference}-${target.jurisdiction}`.toLowerCase(),
          status: 'proposed',
        });
        let chunk = '';
        for (const entity of entities) {
          if (entity.schema === 'Sanction') {
            entity.properties.authority = [AUTHORITY_NAMES[target.jurisdiction as Authority]];
            entity.properties.country = [
              target.jurisdiction === 'UK' ? 'gb' : target.jurisdiction.toLowerCase(),
            ];
          } else if (seen.has(entity.id)) continue;
          seen.add(entity.id);
          chunk += `${JSON.stringify(entity)}\n`;
        }
        yield chunk;
      }
    }
  }

  /**
   * The dossier of one proposal, or the annex of several with their dossiers, issued as a report. A
   * proposal not yet approved for every target exported is issued as a draft (watermarked).
   */
  async pdf(principal: Principal, selection: Omit<ExportSelection, 'format'>) {
    const { proposals, targetsOf } = await this.select(principal, { ...selection, format: 'dossier-pdf' });
    await this.#audit(principal, 'dossier-pdf', proposals, selection.status);
    const finished = new Set<ProposalState>([
      'approved',
      'submitted',
      'listed',
      'not_listed',
      'partially_listed',
    ]);
    const draft = proposals.some((p) => targetsOf(p).some((t) => !finished.has(t.state)));
    const subject =
      proposals.length === 1
        ? { type: 'sanctions-proposal', id: proposals[0]!.id }
        : { type: 'sanctions-annex', id: randomUUID() };
    const json = Buffer.from(
      JSON.stringify({ proposals: proposals.map((p) => ({ ...p, targets: targetsOf(p) })) }, null, 2),
    );
    return this.reports.issue(principal, {
      subject,
      kind: proposals.length === 1 ? 'sanctions-dossier' : 'sanctions-annex',
      draft,
      build: async (stamp) => ({
        pdf: await renderPdf(dossierDocument(proposals), stamp, [
          {
            name: 'proposals.json',
            type: 'application/json',
            data: json,
            description: 'The proposals as data',
          },
        ]),
        json,
      }),
    });
  }
}
