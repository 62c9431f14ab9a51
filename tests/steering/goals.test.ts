/**
 * Goal evaluation on hand-built published rows: every verdict with numbers that can
 * be checked by hand, the path through milestones, groups, and the data-protection
 * rule (a masked value gives "nicht beurteilbar" and no number derived from it).
 */
import { describe, expect, it } from 'vitest';
import type { Goal, GoalInput, LoadedGoal } from '../../src/config/goals-schema.js';
import { GoalSchema } from '../../src/config/goals-schema.js';
import type { Indicator } from '../../src/config/schema.js';
import { nullRow, type KennzahlRow } from '../../src/publish/schema.js';
import { evaluateGoals, pathPoints, pathValue, type GoalEvaluation } from '../../src/steering/goals.js';

const IND = {
  worse: { id: 'u7a', title: 'Nichtteilnahme U7a', unit: 'percent', polarity: 'worse' },
  better: { id: 'kita', title: 'Kita-Quote U3', unit: 'percent', polarity: 'better' },
  rate: { id: 'msq', title: 'Mindestsicherungsquote', unit: 'percent', polarity: 'worse' },
} as unknown as Record<string, Indicator>;

type Cell = number | 'gesperrt' | 'unter_mindestnenner' | [number, number, number];

/** Published rows of one area: year -> value, [value, ci_low, ci_high], or a masked/invalid cell. */
function series(indicator: string, area: string, cells: Record<number, Cell>, level = 'kommune'): KennzahlRow[] {
  return Object.entries(cells).map(([y, c]) => {
    const r = {
      ...nullRow(),
      indicator_id: indicator,
      area_id: area,
      area_name: `Gebiet ${area}`,
      level,
      year: Number(y),
    };
    Object.assign(r, { pool_years: 1, kommune_ags: level === 'kreis' ? null : area.slice(0, 8) });
    if (c === 'gesperrt') Object.assign(r, { status: 'masked', suppression: 'gesperrt' });
    else if (c === 'unter_mindestnenner') Object.assign(r, { status: 'below_min_denominator' });
    else if (typeof c === 'number') Object.assign(r, { status: 'ok', value: c, ci_low: c - 1, ci_high: c + 1 });
    else Object.assign(r, { status: 'ok', value: c[0], ci_low: c[1], ci_high: c[2] });
    return r as unknown as KennzahlRow;
  });
}

function goal(input: Partial<GoalInput>): LoadedGoal {
  const def: Goal = GoalSchema.parse({
    id: 'z',
    titel: 'Ziel',
    gebiet: '05558016',
    kennzahl: 'u7a',
    startjahr: 2019,
    zieljahr: 2027,
    ...input,
  });
  return { def, file: 'ziele.yaml', index: 0, lines: {} };
}

function one(g: LoadedGoal, rows: KennzahlRow[]): GoalEvaluation {
  const r = evaluateGoals([g], rows, Object.values(IND));
  expect(r).toHaveLength(1);
  return r[0]!;
}

describe('an area a boundary change ended', () => {
  it('is not judged on its last old value: the indicator has 2024, the area ends in 2022', () => {
    const rows = [
      ...series('u7a', '05558016', { 2019: 8, 2021: 7, 2022: 6 }),
      ...series('u7a', '05558020', { 2019: 8, 2021: 7, 2022: 6, 2024: 5 }),
    ];
    const e = one(goal({ zielwert: 4 }), rows);
    expect(e.verdict).toBe('nicht_beurteilbar');
    expect(e.current_year).toBe(2024);
    expect(e.current_value).toBeNull();
    expect(e.reason).toBe(
      'Das Gebiet hat 2024 keine Werte mehr (letzte 2022; Gebietsänderung: geteilt, zusammengelegt oder umbenannt?); sein letzter Wert ist nicht der aktuelle.',
    );
    // the area that goes on is judged in 2024
    const other = one(goal({ zielwert: 4, gebiet: '05558020' }), rows);
    expect(other.current_year).toBe(2024);
    expect(other.verdict).toBe('auf_kurs');
  });
});

describe('Zielwert goals', () => {
  it('auf Kurs: 8 % in 2019 -> 4 % in 2027, path in 2023 = 8 - 4 * 4/8 = 6; 5,5 (4–7) is on course, not gesichert', () => {
    const e = one(goal({ zielwert: 4 }), series('u7a', '05558016', { 2019: 8, 2021: 7, 2023: [5.5, 4, 7] }));
    expect(e.verdict).toBe('auf_kurs');
    expect(e.current_year).toBe(2023);
    expect(e.start_value).toBe(8);
    expect(e.path_value).toBeCloseTo(6, 12);
    expect(e.path_diff).toBeCloseTo(-0.5, 12);
    expect(e.gesichert).toBe(false);
    expect(e.caveat).toBe(
      'Der Unterschied zum Zielpfad liegt innerhalb des Konfidenzintervalls; der Verlauf ist statistisch nicht gesichert.',
    );
  });

  it('nicht auf Kurs, gesichert: 7,5 (7,1–7,9) is above the path value 6 and its interval excludes it', () => {
    const e = one(goal({ zielwert: 4 }), series('u7a', '05558016', { 2019: 8, 2023: [7.5, 7.1, 7.9] }));
    expect(e.verdict).toBe('nicht_auf_kurs');
    expect(e.gesichert).toBe(true);
    expect(e.caveat).toMatch(/statistisch gesichert ungünstiger als der Zielpfad/);
  });

  it('erreicht: 4,6 <= 5 by the point estimate; the interval 3,0–6,9 contains 5: not gesichert', () => {
    const e = one(goal({ zielwert: 5 }), series('u7a', '05558016', { 2019: 7.8, 2024: [4.6, 3, 6.9] }));
    expect(e.verdict).toBe('erreicht');
    expect(e.gesichert).toBe(false);
    expect(e.caveat).toMatch(/Zielerreichung ist statistisch nicht gesichert/);
  });

  it('erreicht and gesichert when the whole interval lies on the target side (4,0; 3,1–4,8 <= 5)', () => {
    const e = one(goal({ zielwert: 5 }), series('u7a', '05558016', { 2019: 7.8, 2024: [4, 3.1, 4.8] }));
    expect(e.verdict).toBe('erreicht');
    expect(e.gesichert).toBe(true);
  });

  it('polarity better: steigen is favourable (30 % in 2020 -> 40 % in 2025: path 2023 = 36)', () => {
    const g = goal({ kennzahl: 'kita', zielwert: 40, startjahr: 2020, zieljahr: 2025 });
    const below = one(g, series('kita', '05558016', { 2020: 30, 2023: 35 }));
    expect(below.richtung).toBe('steigen');
    expect(below.path_value).toBeCloseTo(36, 12);
    expect(below.verdict).toBe('nicht_auf_kurs');
    expect(one(g, series('kita', '05558016', { 2020: 30, 2023: 37 })).verdict).toBe('auf_kurs');
    expect(one(g, series('kita', '05558016', { 2020: 30, 2023: 41 })).verdict).toBe('erreicht');
  });

  it('the Zieljahr passed without the target: evaluated at the Zieljahr, nicht auf Kurs (later years are ignored)', () => {
    const g = goal({ zielwert: 4, startjahr: 2019, zieljahr: 2022 });
    const e = one(g, series('u7a', '05558016', { 2019: 8, 2022: [6, 5.5, 6.5], 2024: 3 }));
    expect(e.current_year).toBe(2022);
    expect(e.current_value).toBe(6);
    expect(e.verdict).toBe('nicht_auf_kurs');
    expect(e.path_value).toBe(4);
    expect(e.caveat).toMatch(/Zieljahr ist erreicht, das Ziel nicht/);
  });

  it('the path runs through the milestones: 7,8 (2019) -> 6 (2022) -> 4 (2026) requires 5 in 2024', () => {
    const g = goal({ zielwert: 4, zieljahr: 2026, meilensteine: [{ jahr: 2022, wert: 6 }] });
    expect(pathValue(pathPoints(g.def, 7.8), 2024)).toBeCloseTo(5, 12);
    expect(pathValue(pathPoints(g.def, 7.8), 2020)).toBeCloseTo(7.2, 12);
    const e = one(g, series('u7a', '05558016', { 2019: 7.8, 2022: 6.02, 2024: 4.6 }));
    expect(e.path_value).toBeCloseTo(5, 12);
    expect(e.verdict).toBe('auf_kurs');
    expect(e.meilensteine).toEqual([{ jahr: 2022, soll: 6, ist: 6.02, status: 'ok', erreicht: false }]);
  });

  it('a milestone without a value takes the linear path (8 -> 4 over 2019–2027: 6 in 2023)', () => {
    const g = goal({ zielwert: 4, meilensteine: [{ jahr: 2023 }, { jahr: 2025 }] });
    const e = one(g, series('u7a', '05558016', { 2019: 8, 2023: 5.9, 2024: 5.5 }));
    expect(e.meilensteine[0]).toMatchObject({ jahr: 2023, ist: 5.9, erreicht: true });
    expect(e.meilensteine[0]!.soll).toBeCloseTo(6, 12);
    expect(e.meilensteine[1]).toMatchObject({ jahr: 2025, ist: null, status: null, erreicht: null });
    expect(e.meilensteine[1]!.soll).toBeCloseTo(5, 12);
  });

  it('without an interval (a published rate) the verdict rests on the point estimate and says so', () => {
    const rows = series('msq', '05558016', { 2019: 10, 2023: 7.5 }).map((r) => ({ ...r, ci_low: null, ci_high: null }));
    const e = one(goal({ kennzahl: 'msq', zielwert: 6 }), rows);
    expect(e.verdict).toBe('auf_kurs'); // path 2023 = 10 - 4 * 4/8 = 8; 7,5 <= 8
    expect(e.gesichert).toBeNull();
    expect(e.caveat).toMatch(/kein Konfidenzintervall .* nur auf dem Punktwert/);
  });
});

describe('direction goals', () => {
  it('sinken: 16 % -> 21,2 % (19,6–23,0) is nicht auf Kurs, gesichert (the interval excludes 16)', () => {
    const e = one(
      goal({ gebiet: '05558', richtung: 'sinken' }),
      series('u7a', '05558', { 2019: 16, 2024: [21.2, 19.6, 23] }, 'kreis'),
    );
    expect(e.zielart).toBe('richtung');
    expect(e.verdict).toBe('nicht_auf_kurs');
    expect(e.gesichert).toBe(true);
    expect(e.path_value).toBeNull();
    expect(e.kommune_ags).toBeNull();
  });

  it('sinken: 16 -> 15 (14–16,5) is auf Kurs but not gesichert', () => {
    const e = one(goal({ richtung: 'sinken' }), series('u7a', '05558016', { 2019: 16, 2024: [15, 14, 16.5] }));
    expect(e.verdict).toBe('auf_kurs');
    expect(e.gesichert).toBe(false);
    expect(e.caveat).toMatch(/innerhalb des Konfidenzintervalls; der Verlauf ist statistisch nicht gesichert/);
  });

  it('at the Zieljahr an improvement is erreicht; no change is nicht auf Kurs', () => {
    const g = goal({ richtung: 'sinken', zieljahr: 2024 });
    expect(one(g, series('u7a', '05558016', { 2019: 16, 2024: 12 })).verdict).toBe('erreicht');
    expect(one(g, series('u7a', '05558016', { 2019: 16, 2024: 16 })).verdict).toBe('nicht_auf_kurs');
  });
});

describe('nicht beurteilbar', () => {
  const g = goal({ zielwert: 4 });
  it.each([
    ['start masked', { 2019: 'gesperrt', 2023: 5 }, /^Startwert 2019: gesperrt/],
    ['current masked', { 2019: 8, 2023: 'gesperrt' }, /^Aktueller Wert 2023: gesperrt/],
    ['start below the minimum denominator', { 2019: 'unter_mindestnenner', 2023: 5 }, /Mindestnenner nicht erreicht/],
    ['start year missing', { 2020: 8, 2023: 5 }, /^Startwert 2019: kein Wert/],
    ['only the start year', { 2019: 8 }, /Noch kein Jahr nach dem Startjahr 2019/],
  ] as [string, Record<number, Cell>, RegExp][])('%s', (_name, cells, reason) => {
    const e = one(g, series('u7a', '05558016', cells));
    expect(e.verdict).toBe('nicht_beurteilbar');
    expect(e.reason).toMatch(reason);
    expect(e.path_value).toBeNull();
    expect(e.path_diff).toBeNull();
    expect(e.gesichert).toBeNull();
  });

  it('no rows for the area (e.g. a Kommune-only indicator for a Sozialraum)', () => {
    const e = one(goal({ gebiet: '05558016-01', zielwert: 4 }), series('u7a', '05558016', { 2019: 8, 2023: 5 }));
    expect(e.verdict).toBe('nicht_beurteilbar');
    expect(e.reason).toMatch(/keine veröffentlichten Werte/);
  });
});

describe('data protection', () => {
  it('a masked row is never used, even if a number were left in it: no value, interval, path or verdict from it', () => {
    // as if an unmasked table were passed by mistake: suppression says gesperrt, the value is still there
    const leaky = series('u7a', '05558016', { 2019: 8, 2023: 'gesperrt' }).map((r) =>
      r.year === 2023 ? { ...r, value: 5.5, ci_low: 4, ci_high: 7 } : r,
    );
    const e = one(goal({ zielwert: 4, meilensteine: [{ jahr: 2023, wert: 6 }] }), leaky);
    expect(e.verdict).toBe('nicht_beurteilbar');
    expect([e.current_value, e.ci_low, e.ci_high, e.path_value, e.path_diff, e.gesichert]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(e.meilensteine).toEqual([{ jahr: 2023, soll: 6, ist: null, status: 'masked', erreicht: null }]);
    expect(JSON.stringify(e)).not.toMatch(/5\.5|"ci_low":4|"ci_high":7/);
  });

  it('a masked start gives no path at all (the path would carry the start value)', () => {
    const g = goal({ zielwert: 4, meilensteine: [{ jahr: 2021 }] });
    const e = one(g, series('u7a', '05558016', { 2019: 'gesperrt', 2021: 7, 2023: 5 }));
    expect(e.start_value).toBeNull();
    expect(e.meilensteine[0]).toMatchObject({ soll: null, ist: 7, erreicht: null });
  });
});

describe('goals on several areas', () => {
  const rows = [
    ...series('u7a', '05558016-01', { 2019: 10, 2023: 7 }, 'sozialraum'),
    ...series('u7a', '05558016-02', { 2019: 10, 2023: 9.9 }, 'sozialraum'),
    ...series('u7a', '05558016-03', { 2019: 'gesperrt', 2023: 5 }, 'sozialraum'),
  ];
  it('each area is evaluated on its own; the summary row counts them and forms no common value', () => {
    const g = goal({
      gebiet: undefined,
      gebiete: ['05558016-01', '05558016-03'],
      gruppenname: 'Innenstadt',
      richtung: 'sinken',
    });
    const r = evaluateGoals([g], rows, Object.values(IND));
    expect(r.map((e) => [e.teil, e.area_id, e.verdict])).toEqual([
      ['gruppe', null, 'nicht_beurteilbar'],
      ['gebiet', '05558016-01', 'auf_kurs'],
      ['gebiet', '05558016-03', 'nicht_beurteilbar'],
    ]);
    expect(r[0]).toMatchObject({
      gruppe: 'Innenstadt',
      area_name: 'Innenstadt',
      counts: { auf_kurs: 1, nicht_beurteilbar: 1 },
    });
    expect(r[0]!.current_value).toBeNull();
    expect(r[0]!.start_value).toBeNull();
  });

  it('auf Kurs when all are on course; nicht auf Kurs as soon as one is off course', () => {
    const on = goal({ gebiet: undefined, gebiete: ['05558016-01'], richtung: 'sinken' });
    expect(evaluateGoals([on], rows, Object.values(IND))[0]!.verdict).toBe('auf_kurs');
    const off = goal({ gebiet: undefined, gebiete: ['05558016-01', '05558016-02', '05558016-03'], zielwert: 5 });
    // -02: path 2023 = 10 - 5 * 4/8 = 7.5, value 9.9: off course
    expect(evaluateGoals([off], rows, Object.values(IND))[0]!.verdict).toBe('nicht_auf_kurs');
  });
});
