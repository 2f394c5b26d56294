/**
 * A proposal as an entry in the common list shape, for one jurisdiction: what the writers of the
 * governments' formats and the FtM export take. Confidential reasons stay out.
 */
import type { EntryName, OfficialEntry } from '../lists/entry.js';
import type { Jurisdiction, Proposal } from '../model.js';

/** "Commander, Special police unit (2019-05 – 2021)" */
export function positionLine(position: Proposal['content']['identity']['positions'][number]): string {
  const dates =
    position.from || position.to
      ? ` (${position.from || '…'} – ${position.to || ''})`.replace(/ \)$/, ')')
      : '';
  return `${position.title}${position.organization ? `, ${position.organization}` : ''}${dates}`;
}

export function proposalEntry(proposal: Proposal, jurisdiction: Jurisdiction | null): OfficialEntry {
  const { identity } = proposal.content;
  const names: EntryName[] = [];
  if (identity.nameLatin)
    names.push({
      full: identity.nameLatin,
      given: identity.givenName || undefined,
      middle: identity.patronymic || undefined,
      family: identity.familyName || undefined,
      quality: 'primary',
    });
  if (identity.nameBelarusian) names.push({ full: identity.nameBelarusian, lang: 'be', quality: 'primary' });
  if (identity.nameRussian) names.push({ full: identity.nameRussian, lang: 'ru', quality: 'primary' });
  for (const other of identity.otherNames) names.push({ full: other, quality: 'strong' });
  const targets = proposal.content.targets.filter(
    (t) => jurisdiction === null || t.jurisdiction === jurisdiction,
  );
  const identifications: OfficialEntry['identifications'] = [];
  if (identity.passportNumber)
    identifications.push({
      kind: 'passport',
      number: identity.passportNumber,
      country: identity.citizenship[0],
    });
  if (identity.personalNumber)
    identifications.push({
      kind: 'national-id',
      number: identity.personalNumber,
      country: identity.citizenship[0],
      note: 'Personal number',
    });
  return {
    listId: proposal.reference,
    schema: proposal.schema === 'Person' ? 'Person' : 'Organization',
    names,
    gender: identity.gender || undefined,
    birthDates: identity.birthDate ? [identity.birthDate] : [],
    birthPlaces: identity.birthPlace ? [identity.birthPlace] : [],
    nationalities: [],
    citizenships: [...identity.citizenship],
    positions: [
      ...identity.positions.map(positionLine),
      ...(identity.unit ? [`Unit: ${identity.unit}`] : []),
    ],
    titles: [],
    identifications,
    addresses: identity.address ? [{ full: identity.address }] : [],
    programs: targets.map((t) => t.programme),
    listingDate: proposal.updatedAt.slice(0, 10),
    reasons: proposal.content.reasons.filter((r) => !r.confidential).map((r) => r.text),
    notes: [],
    otherIds: [],
    provisions: [],
  };
}
