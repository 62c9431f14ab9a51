/** Declared series breaks (`steckbrief.breaks`): rule labels and notes. */

export function breakLabel(year: number): string {
  return `Bruch ${year}`;
}

/** First clause of a break description, for a one-line note. */
function firstClause(description: string): string {
  const m = /^(.{10,}?)[:.;](\s|$)/.exec(description);
  return (m?.[1] ?? description).trim();
}

export function seriesBreakNotes(breaks: readonly { year: number; description: string }[]): string[] {
  return breaks.map((b) => `Reihenbruch ${b.year} (gestrichelte Linie): ${firstClause(b.description)}.`);
}
