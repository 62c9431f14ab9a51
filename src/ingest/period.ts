/** Period cells: Kalenderjahr (year or Stichtag date) and Schuljahr ("2023/24"). */
import type { PeriodSpec } from '../config/schema.js';
import { msg } from './messages.js';

export type PeriodResult = { ok: true; year: number } | { ok: false; code: string; reason: string };

const YEAR_RE = /^(\d{4})$/;
const DATE_DE_RE = /^\d{1,2}\.\d{1,2}\.(\d{4})$/;
const DATE_ISO_RE = /^(\d{4})-\d{1,2}-\d{1,2}$/;
const SCHULJAHR_RE = /^(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$/;

function plausibleYear(y: number): boolean {
  return y >= 1900 && y <= 2100;
}

/** A calendar year written as year or date, or null. */
function calendarYear(s: string): number | null {
  const m = YEAR_RE.exec(s) ?? DATE_DE_RE.exec(s) ?? DATE_ISO_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  return plausibleYear(y) ? y : null;
}

/** Start year of a Schuljahr, or null. "2023/24" and "2023/2024" -> 2023. */
function schuljahrStart(s: string): number | null {
  const m = SCHULJAHR_RE.exec(s);
  if (!m) return null;
  const start = Number(m[1]);
  const endText = m[2]!;
  const end = endText.length === 2 ? Math.floor(start / 100) * 100 + Number(endText) : Number(endText);
  const expectedEnd = start + 1;
  if (endText.length === 2 ? end % 100 !== expectedEnd % 100 : end !== expectedEnd) return null;
  return plausibleYear(start) ? start : null;
}

/** Parses one period cell according to the source's period spec. */
export function parsePeriod(raw: string, spec: PeriodSpec, header: string): PeriodResult {
  const s = raw.trim();
  if (s === '') return { ok: false, code: 'missing_period', reason: msg.periodEmpty(header) };
  if (spec.kind === 'kalenderjahr') {
    const y = calendarYear(s);
    if (y !== null) return { ok: true, year: y };
    if (SCHULJAHR_RE.test(s))
      return { ok: false, code: 'period_kind_mismatch', reason: msg.periodSchuljahrInKalenderjahr(header, s) };
    return { ok: false, code: 'invalid_period', reason: msg.periodInvalidYear(header, s) };
  }
  const start = schuljahrStart(s);
  if (start !== null) return { ok: true, year: spec.schuljahr_rule === 'start_year' ? start : start + 1 };
  if (calendarYear(s) !== null)
    return {
      ok: false,
      code: 'period_kind_mismatch',
      reason: msg.periodKalenderjahrInSchuljahr(header, s, spec.schuljahr_rule),
    };
  return { ok: false, code: 'invalid_period', reason: msg.periodInvalidSchuljahr(header, s) };
}

/** Caches period parsing per distinct cell text (a file has few distinct periods). */
export class PeriodParser {
  private readonly cache = new Map<string, PeriodResult>();
  constructor(
    private readonly spec: PeriodSpec,
    private readonly header: string,
  ) {}
  parse(raw: string): PeriodResult {
    let r = this.cache.get(raw);
    if (r === undefined) {
      r = parsePeriod(raw, this.spec, this.header);
      if (this.cache.size < 10000) this.cache.set(raw, r);
    }
    return r;
  }
}
