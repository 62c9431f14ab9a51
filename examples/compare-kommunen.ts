/**
 * Example 2: two Kommunen side by side for the latest year, every indicator,
 * with the significance against the Kreis and the trend.
 *
 * Run: npx tsx examples/compare-kommunen.ts [project folder] [AGS A] [AGS B]
 */
import { Spm, type KennzahlRow } from '@spm-monitoring/spm';

const dir = process.argv[2] ?? 'data-samples/kreis-coesfeld';
const [a, b] = [process.argv[3] ?? '05558012', process.argv[4] ?? '05558016']; // Coesfeld, Dülmen

await using spm = await Spm.open(dir);
await spm.compute();
const rows = await spm.results({ levels: ['kommune', 'kreis'], areas: [a, b, spm.project.config.kreis.ags], poolYears: [1] });
const latest = Math.max(...rows.filter((r) => r.value !== null).map((r) => r.year));
const SIG: Record<string, string> = { worse: 'schlechter', better: 'besser', not_distinguishable: '≈', higher: 'höher', lower: 'niedriger' };
const fmt = (r: KennzahlRow | undefined): string =>
  r?.value === null || r?.value === undefined ? '–' : `${r.value.toLocaleString('de-DE', { maximumFractionDigits: 1 })} ${r.sig_kreis ? `(${SIG[r.sig_kreis]})` : ''}`;

const byIndicator = new Map<string, KennzahlRow[]>();
for (const r of rows.filter((x) => x.year === latest)) byIndicator.set(r.indicator_id, [...(byIndicator.get(r.indicator_id) ?? []), r]);
const name = (ags: string): string => rows.find((r) => r.area_id === ags)?.area_name ?? ags;
console.log(`Vergleich ${name(a)} – ${name(b)}, ${latest} (in Klammern: gegenüber dem Kreis)`);
console.log(`${'Kennzahl'.padEnd(40)} ${name(a).padEnd(22)} ${name(b).padEnd(22)} Kreis`);
for (const [id, rs] of byIndicator) {
  const kreis = rs.find((r) => r.level === 'kreis');
  console.log(`${id.slice(0, 40).padEnd(40)} ${fmt(rs.find((r) => r.area_id === a)).padEnd(22)} ${fmt(rs.find((r) => r.area_id === b)).padEnd(22)} ${fmt(kreis)}`);
}
