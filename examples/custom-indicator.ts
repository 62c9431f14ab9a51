/**
 * Example 1: a custom indicator for one Kommune, defined in TypeScript next to
 * the YAML Kennzahlenset: the share of children under 3 in Kita or
 * Kindertagespflege who are cared for in a Kindertagespflege (not in a Kita).
 *
 * Run: npx tsx examples/custom-indicator.ts [project folder] [Kommune AGS]
 */
import { Spm, defineIndicator } from '@spm-monitoring/spm';

const dir = process.argv[2] ?? 'data-samples/kreis-coesfeld';
const kommune = process.argv[3] ?? '05558016'; // Dülmen

const tagespflege = defineIndicator({
  id: 'kita_u3_anteil_tagespflege',
  title: 'Anteil der Kindertagespflege an der Betreuung unter 3',
  description: 'Betreute Kinder unter 3 in Kindertagespflege je 100 betreute Kinder unter 3',
  family: 'bildung',
  lebensphase: '0-3',
  unit: 'percent',
  polarity: 'neutral',
  numerator: { source: 'kita', measure: 'sum', column: 'kita_u3_tagespflege' },
  denominator: { source: 'kita', measure: 'sum', column: 'kita_u3_betreut' },
  steckbrief: {
    stichtag: '1. März',
    data_owner: 'Jugendamt',
    numerator_source: 'Kinder unter 3 in Kindertagespflege (Kita-Statistik)',
    denominator_source: 'betreute Kinder unter 3 (Kita-Statistik)',
    definition: 'eigene Auswertung für die Jugendhilfeplanung',
    suppression: 'wie Kita-Statistik',
  },
});

await using spm = await Spm.open(dir, { indicators: [tagespflege] });
await spm.compute({ indicators: [tagespflege.id] });
const rows = await spm.results({ indicators: [tagespflege.id], poolYears: [1] });
const mine = rows.filter((r) => r.area_id === kommune || r.kommune_ags === kommune);

const fmt = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : v.toLocaleString('de-DE', { maximumFractionDigits: 1 }));
console.log(`${tagespflege.title} – ${mine.find((r) => r.level === 'kommune')?.area_name ?? kommune}`);
for (const r of mine.filter((x) => x.year === Math.max(...mine.map((y) => y.year)))) {
  console.log(`${r.year}  ${r.level.padEnd(10)} ${r.area_name.padEnd(28)} ${fmt(r.value).padStart(6)} %  [${fmt(r.ci_low)}; ${fmt(r.ci_high)}]  ${r.suppression ?? r.status}`);
}
