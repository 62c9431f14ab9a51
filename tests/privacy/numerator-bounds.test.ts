/**
 * The numerator's bounds of `spm_priv_ub` (numeratorBounds in src/privacy/db.ts), in particular
 * what the fallback of cover-loop.ts may relax: a denominator below its indicator's minimum
 * publishes no counts in that row, so its numerator is judged there with what the status shows
 * (at most minimum − 1); but where the same count is published by another indicator (as its
 * numerator over a large enough denominator, or by a count indicator), the attacker has the
 * true count, and the bound stays the true one.
 */
import { describe, expect, it } from 'vitest';
import { memoryConnection } from './memory-db.js';
import { numeratorBounds } from '../../src/privacy/db.js';

describe('numeratorBounds', () => {
  const db = memoryConnection();

  /**
   * Indicator a: nicht teilgenommen (n) over Vorsorgeheft vorgelegt (d), min 20. Indicator c:
   * Vorsorgeheft vorgelegt (d) over examined children (e), min 20. Areas: s1 (e = 30: c publishes
   * d = 11), s2 (e = 15: nobody publishes d = 11). `count`: indicator k publishes d as a count
   * (no proportion) in s2; `missing`: c's denominator in s2 is missing (its row still shows d).
   */
  const setup = async (variant: 'none' | 'count' | 'missing') => {
    const e2 = variant === 'missing' ? 'NULL' : '15';
    await db().run(`CREATE OR REPLACE TABLE spm_cells AS SELECT * FROM (VALUES
      ('a', 'numerator', 's1', 2), ('a', 'denominator', 's1', 11),
      ('c', 'numerator', 's1', 11), ('c', 'denominator', 's1', 30),
      ('a', 'numerator', 's2', 2), ('a', 'denominator', 's2', 11),
      ('c', 'numerator', 's2', 11), ('c', 'denominator', 's2', ${e2})
      ${variant === 'count' ? ", ('k', 'numerator', 's2', 11), ('k', 'denominator', 's2', 15)" : ''}
    ) v(indicator_id, role, area_id, value)`);
    await db().run(`CREATE OR REPLACE TABLE spm_cells AS SELECT indicator_id, role, 'sozialraum' AS level, area_id,
      2024 AS year, 1 AS pool_years, value::DOUBLE AS value, value IS NULL AS missing, FALSE AS rejected,
      0 AS n_suppressed FROM spm_cells`);
    await db().run(`CREATE OR REPLACE TABLE spm_indicators AS SELECT * FROM (VALUES
      ('a', TRUE, 20.0), ('c', TRUE, 20.0), ('k', FALSE, 20.0)
    ) v(indicator_id, proportion, min_den)`);
    // measures: a's denominator, c's numerator and k's numerator are the same count
    await db().run(`CREATE OR REPLACE TABLE spm_priv_ir AS SELECT * FROM (VALUES
      ('a', 'numerator', 0), ('a', 'denominator', 1), ('c', 'numerator', 1), ('c', 'denominator', 2),
      ('k', 'numerator', 1), ('k', 'denominator', 2)
    ) v(indicator_id, role, mcode)`);
  };
  const bounds = async () =>
    (
      await db().runAndReadAll(
        `SELECT indicator_id, area_id, ub, ub_pub, ub_status FROM spm_priv_ub WHERE indicator_id = 'a' ORDER BY area_id`,
      )
    ).getRowObjectsJS();

  it('keeps the true bound where another indicator publishes the denominator, the status bound where none does', async () => {
    await setup('none');
    expect(await numeratorBounds(db(), 3)).toBe(true);
    expect(await bounds()).toEqual([
      // c publishes 11 as its numerator over 30: the attacker knows a's numerator <= 11
      { indicator_id: 'a', area_id: 's1', ub: 11, ub_pub: 11, ub_status: 11 },
      // below the minimum in both rows: the status says at most 19
      { indicator_id: 'a', area_id: 's2', ub: 11, ub_pub: null, ub_status: 19 },
    ]);
  });

  it('keeps the true bound where an indicator that is no proportion shows the count (a count, a rate)', async () => {
    await setup('count');
    await numeratorBounds(db(), 3);
    expect((await bounds())[1]).toEqual({ indicator_id: 'a', area_id: 's2', ub: 11, ub_pub: 11, ub_status: 11 });
  });

  it('keeps the true bound where the other row shows the count beside a missing denominator', async () => {
    await setup('missing');
    await numeratorBounds(db(), 3);
    expect((await bounds())[1]).toEqual({ indicator_id: 'a', area_id: 's2', ub: 11, ub_pub: 11, ub_status: 11 });
  });
});
