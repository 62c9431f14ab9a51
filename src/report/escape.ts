/**
 * The one place where user strings (area names from CSV, indicator titles,
 * notes, source titles) become markup. Every renderer calls these; nothing else
 * concatenates user text into HTML, Markdown or a `<script>` element.
 *
 * @example
 * ```ts
 * escapeHtml('<script>alert(1)</script>') // '&lt;script&gt;alert(1)&lt;/script&gt;'
 * jsonForScript({ name: '</script>' })     // '{"name":"\u003c/script>"}'
 * ```
 */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values (double- or single-quoted) alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * JSON for `<script type="application/json">`: `<` as `\u003c` so that neither
 * `</script>` nor `<!--` can end or change the element; U+2028/2029 escaped too.
 * `JSON.parse` of the element's text gives the value back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Text for Markdown: HTML-escaped (Markdown passes raw HTML through) and the
 * Markdown syntax characters backslash-escaped, so a name stays literal text in
 * paragraphs, table cells and link texts.
 */
export function escapeMd(text: string): string {
  return escapeHtml(text)
    .replace(/[\\`*_[\]{}|#+!~]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

/** A file-name-safe id (AGS, indicator id): anything else becomes `_`. */
export function safeId(id: string): string {
  return id.replace(/[^0-9A-Za-z_-]/g, '_');
}
