/**
 * Example 4: which Sozialräume need the most? The Sozialindex of the sample project
 * (spm.yaml `sozialindex:`), the ten highest with their 90-% rank intervals, and the same
 * index with principal-component weights computed from plain arrays.
 *
 * Run: npx tsx examples/sozialindex.ts [project folder]
 */
import { Spm, sozialindex } from '@spm-monitoring/spm';

const dir = process.argv[2] ?? 'data-samples/kreis-coesfeld';

await using spm = await Spm.open(dir);
await spm.compute();
const report = await spm.sozialindex();
const year = report.years[report.years.length - 1];
if (!year) throw new Error('kein Jahr mit Sozialindex');
const name = (id: string): string => report.areas.get(id)?.name ?? id;
console.log(`Sozialindex ${year.period}: ${year.index.ranked} von ${year.input.areas.length} Sozialräumen berechenbar`);
const top = year.index.rows.filter((r) => r.rank !== null).sort((a, b) => (a.rank as number) - (b.rank as number));
for (const r of top.slice(0, 10))
  console.log(
    `${String(r.rank).padStart(3)}  ${name(r.id).padEnd(26)} Index ${r.index?.toFixed(2).padStart(5)}  Rang ${r.rankLow}–${r.rankHigh}`,
  );

// the same inputs as plain arrays, weighted by the first principal component
const pca = sozialindex(year.input, { weights: 'pca', simulation: false });
console.log(`Gewichte (1. Hauptkomponente, ${((pca.explained ?? 0) * 100).toFixed(1)} % der Varianz):`);
for (const w of pca.weights) console.log(`  ${w.indicator.padEnd(34)} ${w.weight.toFixed(3)}`);
