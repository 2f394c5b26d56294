/**
 * Prints the screening evaluation figures (and the misses, for tuning) on the synthetic set:
 *   npx tsx scripts/make-screening-eval.ts [persons] [positives] [negatives] [--misses] [--classes]
 * --classes also prints the per-class set (other languages' conventions, ў, foreign feminine
 * surnames; test/fixtures/screening/classes.ts), 60 positives per class.
 */
import { generateClassQueries } from '../test/fixtures/screening/classes.js';
import { evaluate, indexPersons } from '../test/fixtures/screening/evaluate.js';
import { generatePersons, generateQueries } from '../test/fixtures/screening/generator.js';

const [persons = 5000, positives = 1500, negatives = 900] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--'))
  .map(Number);
const population = generatePersons(persons, 1);
const queries = generateQueries(population, positives, negatives, 2);
const index = indexPersons(population);
const started = performance.now();
const figures = evaluate(index, queries);
const { misses, ...summary } = figures;
console.log(JSON.stringify(summary, null, 1));
console.log(`${((performance.now() - started) / queries.length).toFixed(2)} ms/query`);
if (process.argv.includes('--misses')) for (const m of misses) console.log(JSON.stringify(m));
if (process.argv.includes('--classes')) {
  const classes = evaluate(index, generateClassQueries(population, 60, 3));
  const { misses: classMisses, ...classSummary } = classes;
  console.log(JSON.stringify(classSummary, null, 1));
  if (process.argv.includes('--misses')) for (const m of classMisses) console.log(JSON.stringify(m));
}
