/**
 * The content of a case report, as a document for the shared PDF renderer and as its JSON twin: case
 * number, requester, purpose, subject, conclusion and findings, screening hits as reviewed (each with
 * where it came from: registry datasets, or an incident naming the person without a registry record), the cited
 * evidence with SHA-256 and custody, the two officers (by role and id; names only when the
 * reportOfficerNames setting is on) and the dates.
 */
import type { ReportBlock, ReportDocument, ReportStamp } from '../platform/reports/model.js';
import type { ReviewStatus } from '../platform/review/model.js';
import type { FindingLink, Findings, Hit, Subject } from './model.js';
import type { CitedEvidence } from './ports.js';

export type ReportLanguage = 'be' | 'ru' | 'en';

const labels = {
  be: {
    title: 'Справаздача аб праверцы асобы',
    case: 'Нумар справы',
    requester: 'Запытвальнік',
    purpose: 'Мэта',
    legalBasis: 'Прававая падстава',
    received: 'Запыт атрыманы',
    released: 'Выпушчана',
    subject: 'Асоба',
    names: 'Імёны',
    birthDate: 'Дата нараджэння',
    birthPlace: 'Месца нараджэння',
    nationality: 'Грамадзянства',
    identifiers: 'Ідэнтыфікатары',
    conclusion: 'Выснова',
    confidence: 'Упэўненасць',
    narrative: 'Абгрунтаванне',
    findings: 'Высновы і крыніцы',
    exculpatory: 'Што сведчыць на карысць асобы',
    hits: 'Вынікі праверкі па базах',
    evidence: 'Доказы, на якія спасылаецца справаздача',
    officers: 'Адказныя супрацоўнікі',
    author: 'Аўтар',
    reviewer: 'Рэцэнзент',
    none: '—',
    notInVault: 'не знойдзена ў сховішчы',
    custody: 'ланцуг захоўвання',
    events: 'падзей',
    caption: 'Запіс',
    datasets: 'Крыніцы',
    incident: 'Інцыдэнт',
    byName: 'імя запісана ў інцыдэнце, без запісу ў рэестры',
    score: 'Адзнака',
    review: 'Рашэнне',
    reason: 'Прычына',
    draft: 'ЧАРНАВІК',
    verification: 'Код праверкі',
    version: 'версія',
    page: 'старонка',
    issued: 'выдадзена',
    verifyHint:
      'Праверыць, што файл не зменены: sviedka cases verify-report ФАЙЛ (або код праверкі ў арганізацыі).',
  },
  ru: {
    title: 'Отчёт о проверке лица',
    case: 'Номер дела',
    requester: 'Запрашивающая сторона',
    purpose: 'Цель',
    legalBasis: 'Правовое основание',
    received: 'Запрос получен',
    released: 'Выпущено',
    subject: 'Лицо',
    names: 'Имена',
    birthDate: 'Дата рождения',
    birthPlace: 'Место рождения',
    nationality: 'Гражданство',
    identifiers: 'Идентификаторы',
    conclusion: 'Заключение',
    confidence: 'Уверенность',
    narrative: 'Обоснование',
    findings: 'Выводы и источники',
    exculpatory: 'Что говорит в пользу лица',
    hits: 'Результаты проверки по базам',
    evidence: 'Доказательства, на которые ссылается отчёт',
    officers: 'Ответственные сотрудники',
    author: 'Автор',
    reviewer: 'Рецензент',
    none: '—',
    notInVault: 'не найдено в хранилище',
    custody: 'цепочка хранения',
    events: 'событий',
    caption: 'Запись',
    datasets: 'Источники',
    incident: 'Инцидент',
    byName: 'имя записано в инциденте, без записи в реестре',
    score: 'Оценка',
    review: 'Решение',
    reason: 'Причина',
    draft: 'ЧЕРНОВИК',
    verification: 'Код проверки',
    version: 'версия',
    page: 'страница',
    issued: 'выдан',
    verifyHint:
      'Проверить, что файл не изменён: sviedka cases verify-report ФАЙЛ (или код проверки в организации).',
  },
  en: {
    title: 'Verification report',
    case: 'Case number',
    requester: 'Requester',
    purpose: 'Purpose',
    legalBasis: 'Legal basis',
    received: 'Request received',
    released: 'Released',
    subject: 'Subject',
    names: 'Names',
    birthDate: 'Birth date',
    birthPlace: 'Place of birth',
    nationality: 'Nationality',
    identifiers: 'Identifiers',
    conclusion: 'Conclusion',
    confidence: 'Confidence',
    narrative: 'Reasoning',
    findings: 'Findings and sources',
    exculpatory: 'What speaks for the person',
    hits: 'Screening results as reviewed',
    evidence: 'Evidence referenced',
    officers: 'Officers',
    author: 'Author',
    reviewer: 'Reviewer',
    none: '—',
    notInVault: 'not found in the vault',
    custody: 'custody',
    events: 'events',
    caption: 'Record',
    datasets: 'Sources',
    incident: 'Incident',
    byName: 'name recorded in the incident, no registry record',
    score: 'Score',
    review: 'Decision',
    reason: 'Reason',
    draft: 'DRAFT',
    verification: 'Verification code',
    version: 'version',
    page: 'page',
    issued: 'issued',
    verifyHint:
      'To check that this file is unaltered: sviedka cases verify-report FILE (or the verification code, with the organization).',
  },
} as const;

const vocabulary: Record<ReportLanguage, Record<string, string>> = {
  be: {
    no_adverse_information: 'Неспрыяльных звестак не знойдзена',
    adverse_information_found: 'Знойдзены неспрыяльныя звесткі',
    collaboration_indicated: 'Ёсць прыкметы супрацоўніцтва з рэжымам',
    inconclusive: 'Вынік не вызначаны',
    low: 'нізкая',
    medium: 'сярэдняя',
    high: 'высокая',
    pending: 'не разгледжана',
    confirmed: 'пацверджана',
    dismissed: 'адхілена',
    unsure: 'няпэўна',
    victim: 'пацярпелы',
    perpetrator: 'меркаваны выканаўца',
    witness: 'сведка',
  },
  ru: {
    no_adverse_information: 'Неблагоприятных сведений не найдено',
    adverse_information_found: 'Найдены неблагоприятные сведения',
    collaboration_indicated: 'Есть признаки сотрудничества с режимом',
    inconclusive: 'Результат не определён',
    low: 'низкая',
    medium: 'средняя',
    high: 'высокая',
    pending: 'не рассмотрено',
    confirmed: 'подтверждено',
    dismissed: 'отклонено',
    unsure: 'неясно',
    victim: 'потерпевший',
    perpetrator: 'предполагаемый исполнитель',
    witness: 'свидетель',
  },
  en: {
    no_adverse_information: 'No adverse information found',
    adverse_information_found: 'Adverse information found',
    collaboration_indicated: 'Collaboration with the regime indicated',
    inconclusive: 'Inconclusive',
    low: 'low',
    medium: 'medium',
    high: 'high',
    pending: 'not reviewed',
    confirmed: 'confirmed',
    dismissed: 'dismissed',
    unsure: 'unsure',
    victim: 'victim',
    perpetrator: 'alleged perpetrator',
    witness: 'witness',
  },
};

export interface CaseReportInput {
  number: string;
  requesterOrg: string;
  purpose: string;
  legalBasis: string | null;
  receivedAt: string;
  releasedAt: string | null;
  subject: Subject;
  findings: Findings;
  hits: Hit[];
  evidence: Map<string, CitedEvidence>;
  review: ReviewStatus;
  /** Who wrote the findings, by role and id (and name, when the setting says so). */
  authors: string[];
  /** How each approving reviewer (by principal key) is named in the report: role and id, or with the name. */
  reviewers: Record<string, string>;
}

function linkText(
  link: FindingLink,
  evidence: Map<string, CitedEvidence>,
  l: (typeof labels)[ReportLanguage],
): string {
  const note = link.note ? ` — ${link.note}` : '';
  switch (link.kind) {
    case 'evidence': {
      const item = evidence.get(link.sha256);
      return `SHA-256 ${link.sha256}${item ? '' : ` (${l.notInVault})`}${note}`;
    }
    case 'incident':
      return `incident ${link.id}${note}`;
    case 'entity':
      return `registry ${link.id}${note}`;
    case 'record':
      return `${link.dataset}: ${link.id}${note}`;
  }
}

/** Every evidence SHA-256 cited by the findings, in order of first citation. */
export function citedSha256s(findings: Findings): string[] {
  const seen = new Set<string>();
  for (const item of findings.items)
    for (const link of item.links) if (link.kind === 'evidence') seen.add(link.sha256);
  return [...seen];
}

/** The report as a document for the renderer. */
export function caseReportDocument(input: CaseReportInput, language: ReportLanguage): ReportDocument {
  const l = labels[language];
  const v = vocabulary[language];
  const s = input.subject;
  const f = input.findings;
  const blocks: ReportBlock[] = [
    {
      kind: 'fields',
      rows: [
        [l.case, input.number],
        [l.requester, input.requesterOrg],
        [l.purpose, input.purpose],
        [l.legalBasis, input.legalBasis ?? l.none],
        [l.received, input.receivedAt.slice(0, 10)],
        [l.released, input.releasedAt ? input.releasedAt.slice(0, 10) : l.none],
      ],
    },
    { kind: 'heading', text: l.subject },
    {
      kind: 'fields',
      rows: [
        [l.names, s.names.join('\n')],
        [l.birthDate, s.birthDate ?? l.none],
        [l.birthPlace, s.birthPlace ?? l.none],
        [l.nationality, s.nationality?.join(', ') || l.none],
        [l.identifiers, s.identifiers?.map((i) => `${i.type}: ${i.value}`).join('\n') || l.none],
      ],
    },
    { kind: 'heading', text: l.conclusion },
    {
      kind: 'fields',
      rows: [
        [l.conclusion, f.conclusion ? (v[f.conclusion] ?? f.conclusion) : l.none],
        [l.confidence, f.confidence ? (v[f.confidence] ?? f.confidence) : l.none],
      ],
    },
    { kind: 'heading', text: l.narrative },
    { kind: 'paragraph', text: f.narrative || l.none },
  ];
  if (f.items.length > 0) {
    blocks.push({ kind: 'heading', text: l.findings });
    f.items.forEach((item, index) => {
      blocks.push({ kind: 'paragraph', text: `${index + 1}. ${item.text}` });
      if (item.links.length > 0)
        blocks.push({ kind: 'list', items: item.links.map((link) => linkText(link, input.evidence, l)) });
    });
  }
  blocks.push({ kind: 'heading', text: l.exculpatory }, { kind: 'paragraph', text: f.exculpatory || l.none });
  if (input.hits.length > 0) {
    blocks.push(
      { kind: 'heading', text: l.hits },
      {
        kind: 'table',
        columns: [l.caption, l.datasets, l.score, l.review, l.reason],
        widths: [3, 2, 1, 1.5, 3],
        rows: input.hits
          .filter((hit) => hit.change !== 'gone')
          .map((hit) => [
            hit.source.kind === 'incident'
              ? `${hit.caption}\n${l.incident} ${hit.source.incidentId}`
              : `${hit.caption}\n${hit.clusterId ?? hit.entityId}`,
            hit.source.kind === 'incident'
              ? `${l.incident}: ${hit.source.incidentTitle} (${v[hit.source.role]})\n${l.byName}`
              : hit.datasets.join(', '),
            hit.score.toFixed(2),
            v[hit.review] ?? hit.review,
            hit.reviewReason ?? '',
          ]),
      },
    );
  }
  const cited = citedSha256s(f);
  if (cited.length > 0) {
    blocks.push(
      { kind: 'heading', text: l.evidence },
      {
        kind: 'table',
        columns: ['#', 'SHA-256', l.custody],
        widths: [0.5, 5, 2.5],
        rows: cited.map((sha, index) => {
          const item = input.evidence.get(sha);
          return [
            String(index + 1),
            sha,
            item
              ? `${item.mediaType}\n${item.custodyEvents} ${l.events}, ${item.custodyHead.slice(0, 16)}…`
              : l.notInVault,
          ];
        }),
      },
    );
  }
  const approvals = input.review.approvals;
  blocks.push(
    { kind: 'heading', text: l.officers },
    {
      kind: 'fields',
      rows: [
        ...input.authors.map((author): [string, string] => [l.author, author]),
        ...approvals.map((a): [string, string] => [
          l.reviewer,
          `${input.reviewers[a.reviewer] ?? a.reviewer} · ${a.decidedAt.slice(0, 19).replace('T', ' ')} UTC`,
        ]),
      ],
    },
    { kind: 'paragraph', text: l.verifyHint, muted: true },
  );
  return {
    title: l.title,
    subtitle: `${input.number} · ${input.requesterOrg}`,
    language,
    subject: `${l.title} ${input.number}`,
    blocks,
    labels: {
      draft: l.draft,
      verification: l.verification,
      version: l.version,
      page: l.page,
      issued: l.issued,
    },
  };
}

/** The JSON twin: the same facts, machine-readable, with the stamp. */
export function caseReportJson(input: CaseReportInput, stamp: ReportStamp, findingsHash: string): Buffer {
  const value = {
    type: 'sviedka.verification-report',
    formatVersion: 1,
    verificationCode: stamp.verificationCode,
    version: stamp.version,
    draft: stamp.draft,
    issuedAt: stamp.issuedAt.toISOString(),
    case: {
      number: input.number,
      requesterOrg: input.requesterOrg,
      purpose: input.purpose,
      legalBasis: input.legalBasis,
      receivedAt: input.receivedAt,
      releasedAt: input.releasedAt,
    },
    subject: input.subject,
    findings: input.findings,
    findingsHash,
    hits: input.hits
      .filter((hit) => hit.change !== 'gone')
      .map((hit) => ({
        entityId: hit.entityId,
        clusterId: hit.clusterId,
        caption: hit.caption,
        datasets: hit.datasets,
        source: hit.source,
        score: hit.score,
        review: hit.review,
        reason: hit.reviewReason,
      })),
    evidence: citedSha256s(input.findings).map((sha) => ({
      sha256: sha,
      ...(input.evidence.get(sha) ?? { inVault: false }),
    })),
    officers: {
      authors: input.authors,
      reviewers: input.review.approvals.map((a) => ({
        reviewer: a.reviewer,
        officer: input.reviewers[a.reviewer] ?? a.reviewer,
        approvedAt: a.decidedAt,
        contentHash: a.contentHash,
      })),
    },
  };
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
}
