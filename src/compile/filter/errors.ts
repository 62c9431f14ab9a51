/**
 * The one error the filter parser throws. `position` is 1-based and counts
 * characters (Unicode code points) as an editor shows them.
 *
 * @example
 * try { parseFilter('alter > 5; DROP TABLE t') } catch (e) { e.message }
 * // 'Unerwartetes Zeichen ";" an Position 10 (ein Filter ist ein einzelner Ausdruck, ohne ";")'
 */
export class FilterSyntaxError extends Error {
  /** 1-based character position of the problem (length + 1 at the end of the filter). */
  readonly position: number;
  /** The message without position and hint, e.g. `Unerwartetes Zeichen ";"`. */
  readonly detail: string;
  /** A suggestion for the fix, if any (German). */
  readonly hint: string | undefined;

  constructor(detail: string, position: number, hint?: string) {
    super(`${detail} an Position ${position}${hint ? ` (${hint})` : ''}`);
    this.name = 'FilterSyntaxError';
    this.position = position;
    this.detail = detail;
    this.hint = hint;
  }
}

/** 1-based code point position of the UTF-16 `index` in `text`. */
export function positionOf(text: string, index: number): number {
  let position = 1;
  for (let i = 0; i < index && i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    position++;
  }
  return position;
}
