/**
 * Example 3: export the Kennzahlen for R (Arrow IPC and Parquet with typed
 * columns) and print the R code that reads them.
 *
 * Run: npx tsx examples/export-for-r.ts [project folder] [output folder]
 */
import path from 'node:path';
import { Spm } from '@spm-monitoring/spm';

const dir = process.argv[2] ?? 'data-samples/kreis-coesfeld';
const out = path.resolve(process.argv[3] ?? 'out-r');

await using spm = await Spm.open(dir);
await spm.compute();
const files = await spm.export(out, { formats: ['arrow', 'parquet'] });
for (const f of files) console.log(`${f.file}${f.rows !== undefined ? ` (${f.rows} Zeilen)` : ''}  sha256 ${f.sha256.slice(0, 12)}…`);
console.log(`
# in R:
library(arrow)
k <- read_ipc_file("${path.join(out, 'kennzahlen.arrow')}")
# oder: k <- read_parquet("${path.join(out, 'kennzahlen.parquet')}")
subset(k, indicator_id == "sgb2_quote_unter_15" & level == "kommune" & year == max(year))`);
