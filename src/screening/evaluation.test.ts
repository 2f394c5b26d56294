/**
 * Screening quality on the synthetic evaluation set (test/fixtures/screening/generator.ts): 5,000
 * invented persons, 1,500 positive queries (both language forms, 19 romanization schemes and
 * Cyrillic, conventional Latin given names, typos, "SURNAME, Given", missing patronymics, partial
 * and swapped birth dates) and about 900 hard negatives. Fails when quality drops below the floors,
 * set slightly under the figures reached (precision 0.967, recall 0.988, F1 0.977, top-1 0.997).
 */
import { describe, expect, it } from 'vitest';
import { generateClassQueries } from '../../test/fixtures/screening/classes.js';
import { evaluate, indexPersons } from '../../test/fixtures/screening/evaluate.js';
import { generatePersons, generateQueries } from '../../test/fixtures/screening/generator.js';

const FLOORS = { precision: 0.955, recall: 0.978, f1: 0.965, top1: 0.99 };
/**
 * Per-class set (issue 14): reached precision 0.92, recall 0.99, top-1 0.99; every class ≥ 0.9 but one.
 * A list that leaves ў out drops it in patronymics too (Пятроўна → Piatrona): 50 of 60 are found; the
 * misses are persons kept only in Russian Cyrillic (Германовна has no ў to leave out) and given-first
 * queries whose surname ends like a patronymic ("Lizaveta Jaremana Catovič").
 */
const CLASS_FLOORS = { precision: 0.9, recall: 0.975, top1: 0.98, perClass: 0.85, uDropped: 0.8 };

describe('screening evaluation (synthetic set)', () => {
  it('keeps precision, recall and F1 at the default threshold 0.7', { timeout: 120_000 }, () => {
    const persons = generatePersons(5000, 1);
    const queries = generateQueries(persons, 1500, 900, 2);
    const figures = evaluate(indexPersons(persons), queries, 0.7);
    const { misses: _misses, byKind, ...summary } = figures;
    console.log(
      `screening evaluation: precision ${summary.precision.toFixed(3)}, recall ${summary.recall.toFixed(3)}, F1 ${summary.f1.toFixed(3)}, top-1 ${summary.top1.toFixed(3)} ` +
        `(${summary.positives} positives, ${summary.negatives} hard negatives; TP ${summary.truePositives}, FP ${summary.falsePositives}, FN ${summary.falseNegatives})`,
    );
    for (const [kind, { n, ok }] of Object.entries(byKind)) console.log(`  ${kind}: ${ok}/${n}`);
    expect(summary.precision).toBeGreaterThanOrEqual(FLOORS.precision);
    expect(summary.recall).toBeGreaterThanOrEqual(FLOORS.recall);
    expect(summary.f1).toBeGreaterThanOrEqual(FLOORS.f1);
    expect(summary.top1).toBeGreaterThanOrEqual(FLOORS.top1);
  });

  it("finds persons written in other languages' conventions, per class", { timeout: 120_000 }, () => {
    // Classes of issue 14: 11 other languages' romanizations, ў as u/w/v/dropped, women's surnames as
    // Czech/Slovak, Lithuanian and Latvian adapt them, men's names with Lithuanian and Latvian endings
    // (rendered by test/fixtures/screening/conventions.ts).
    const persons = generatePersons(5000, 1);
    const queries = generateClassQueries(persons, 60, 3);
    const figures = evaluate(indexPersons(persons), queries, 0.7);
    const { misses: _misses, byKind, ...summary } = figures;
    console.log(
      `class evaluation: precision ${summary.precision.toFixed(3)}, recall ${summary.recall.toFixed(3)}, top-1 ${summary.top1.toFixed(3)} ` +
        `(${summary.positives} positives, ${summary.negatives} hard negatives; TP ${summary.truePositives}, FP ${summary.falsePositives}, FN ${summary.falseNegatives})`,
    );
    for (const [kind, { n, ok }] of Object.entries(byKind)) console.log(`  ${kind}: ${ok}/${n}`);
    expect(summary.recall).toBeGreaterThanOrEqual(CLASS_FLOORS.recall);
    expect(summary.precision).toBeGreaterThanOrEqual(CLASS_FLOORS.precision);
    expect(summary.top1).toBeGreaterThanOrEqual(CLASS_FLOORS.top1);
    for (const [kind, { n, ok }] of Object.entries(byKind)) {
      expect(ok / n, kind).toBeGreaterThanOrEqual(
        kind.startsWith('class-negative')
          ? 0.9
          : kind === 'class/u-as-dropped'
            ? CLASS_FLOORS.uDropped
            : CLASS_FLOORS.perClass,
      );
    }
  });

  it('the generator is deterministic', () => {
    const a = generatePersons(50, 9);
    const b = generatePersons(50, 9);
    expect(a).toEqual(b);
    expect(generateQueries(a, 20, 9, 3)).toEqual(generateQueries(b, 20, 9, 3));
    for (const p of a) expect(p.names.length).toBeGreaterThanOrEqual(1);
  });
});
