/**
 * The dossier of a proposal and the batch annex in the layout of the EU Belarus regulation's annex
 * (number, names in Latin and both Cyrillic forms, identifying information, reasons, date of the
 * proposal), as a report document for the platform's PDF renderer (real text, embedded fonts).
 */
import type { ReportBlock, ReportDocument } from '../../platform/reports/model.js';
import { countryName } from '../lists/countries.js';
import type { Proposal } from '../model.js';
import { positionLine } from './proposal-entry.js';

function identifying(proposal: Proposal): string {
  const i = proposal.content.identity;
  return [
    i.birthDate && `Date of birth: ${i.birthDate}`,
    i.birthPlace && `Place of birth: ${i.birthPlace}`,
    i.gender && `Gender: ${i.gender}`,
    i.citizenship.length > 0 && `Nationality: ${i.citizenship.map(countryName).join(', ')}`,
    i.personalNumber && `Personal number: ${i.personalNumber}`,
    i.passportNumber && `Passport: ${i.passportNumber}`,
    i.positions.length > 0 && `Position(s): ${i.positions.map(positionLine).join('; ')}`,
    i.unit && `Unit: ${i.unit}`,
    i.address && `Address: ${i.address}`,
  ]
    .filter(Boolean)
    .join('\n');
}

function reasonsText(proposal: Proposal): string {
  return proposal.content.reasons
    .filter((r) => !r.confidential)
    .map((r) => r.text)
    .join(' ');
}

/** The annex table: one row per proposal, in the columns of the EU regulation's annex. */
export function annexBlocks(proposals: Proposal[]): ReportBlock[] {
  return [
    {
      kind: 'table',
      columns: [
        'No',
        'Names (Latin, Belarusian, Russian)',
        'Identifying information',
        'Reasons',
        'Date of proposal',
      ],
      widths: [0.5, 2, 2.5, 4, 1.2],
      rows: proposals.map((p) => {
        const i = p.content.identity;
        return [
          String(p.number),
          [i.nameLatin, i.nameBelarusian, i.nameRussian].filter(Boolean).join('\n'),
          identifying(p),
          reasonsText(p),
          p.updatedAt.slice(0, 10),
        ];
      }),
    },
  ];
}

/** One proposal's dossier: identity, targets, reasons with their evidence, exculpatory information. */
export function dossierBlocks(proposal: Proposal): ReportBlock[] {
  const i = proposal.content.identity;
  const blocks: ReportBlock[] = [
    { kind: 'heading', text: `${proposal.reference}: ${i.nameLatin || proposal.caption}` },
    {
      kind: 'fields',
      rows: [
        ['Name (Latin)', i.nameLatin],
        ['Name (Belarusian)', i.nameBelarusian],
        ['Name (Russian)', i.nameRussian],
        ['Other names', i.otherNames.join('; ')],
        ['Identifying information', identifying(proposal)],
        ['Completeness', `${Math.round(proposal.completeness.score * 100)} %`],
        [
          'Proposed to',
          proposal.targets.map((t) => `${t.jurisdiction} (${t.programme}): ${t.state}`).join('; '),
        ],
      ].filter(([, value]) => value) as Array<[string, string]>,
    },
    { kind: 'heading', text: 'Reasons' },
  ];
  proposal.content.reasons.forEach((reason, index) => {
    blocks.push({
      kind: 'paragraph',
      text: `${index + 1}. ${reason.confidential ? '[confidential source] ' : ''}${reason.text}`,
    });
    blocks.push({
      kind: 'list',
      items: reason.links.map((link) =>
        link.kind === 'evidence'
          ? `Evidence ${link.label ?? link.ref}, SHA-256 ${link.sha256 ?? '?'}`
          : `${link.kind === 'incident' ? 'Incident' : 'Source record'} ${link.label ?? link.ref}`,
      ),
    });
  });
  if (proposal.content.exculpatory)
    blocks.push(
      { kind: 'heading', text: 'Exculpatory information' },
      { kind: 'paragraph', text: proposal.content.exculpatory },
    );
  if (proposal.content.nationalInterest)
    blocks.push(
      { kind: 'heading', text: 'National interest (US)' },
      { kind: 'paragraph', text: proposal.content.nationalInterest },
    );
  blocks.push({ kind: 'paragraph', text: `Content hash: ${proposal.contentHash}`, muted: true });
  return blocks;
}

export function dossierDocument(proposals: Proposal[]): ReportDocument {
  const single = proposals.length === 1;
  return {
    title: single ? `Listing proposal ${proposals[0]!.reference}` : 'Listing proposals: annex',
    subtitle: single ? proposals[0]!.content.identity.nameLatin : `${proposals.length} proposals`,
    language: 'en',
    subject: 'Sanctions listing proposal',
    blocks: [
      ...(single ? [] : [{ kind: 'heading', text: 'Annex' } as ReportBlock, ...annexBlocks(proposals)]),
      ...proposals.flatMap(dossierBlocks),
    ],
  };
}
