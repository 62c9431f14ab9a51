/** German Excel CSV: `;`, decimal comma, UTF-8 with BOM, CRLF. */
import fs from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { germanCell } from './format.js';
import { writeAtomic } from '../util/atomic.js';
import { bindable } from '../compute/params.js';

/** Stream the rows of `select` into `file` as German Excel CSV; returns the row count. */
export async function writeGermanCsv(conn: DuckDBConnection, select: string, file: string, params: unknown[] = []): Promise<number> {
  let rows = 0;
  await writeAtomic(file, async (tmp) => {
    const fd = fs.openSync(tmp, 'w');
    try {
      const result = await conn.stream(select, bindable(params));
      fs.writeSync(fd, '\uFEFF' + result.columnNames().join(';') + '\r\n');
      for await (const batch of result.yieldRowsJs()) {
        let out = '';
        for (const row of batch) {
          out += row.map(germanCell).join(';') + '\r\n';
          rows++;
        }
        fs.writeSync(fd, out);
      }
    } finally {
      fs.closeSync(fd);
    }
  });
  return rows;
}
