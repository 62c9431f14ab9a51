/**
 * Hatched fills as an SVG post-pass, for specs that ask in `usermeta.spm.hatch:
 * ["#d9d9d9"]`: every `fill="#d9d9d9"` in the SVG becomes a diagonal hatch on that
 * colour. Other tools rendering such a .vl.json show the plain grey. The maps no
 * longer ask: they draw their hatch inside the spec (charts/hatch.ts), so the
 * .vl.json looks the same in the Vega editor.
 */
import type { ChartSpec } from '../charts/types.js';

function hatchColors(spec: ChartSpec): string[] {
  const meta = (spec as { usermeta?: { spm?: { hatch?: unknown } } }).usermeta?.spm?.hatch;
  return Array.isArray(meta) ? meta.filter((c): c is string => typeof c === 'string' && /^#[0-9a-f]{6}$/i.test(c)) : [];
}

export function applyPatterns(svg: string, spec: ChartSpec): string {
  const colors = hatchColors(spec);
  if (!colors.length) return svg;
  let defs = '';
  colors.forEach((c, i) => {
    const id = `spm-hatch-${i}`;
    defs +=
      `<pattern id="${id}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">` +
      `<rect width="6" height="6" fill="${c}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#555555" stroke-width="1.6"/></pattern>`;
    svg = svg.split(`fill="${c}"`).join(`fill="url(#${id})"`);
  });
  // Vega writes <defs> only when it needs clip paths or gradients.
  if (svg.includes('<defs>')) return svg.replace('<defs>', `<defs>${defs}`);
  return svg.replace(/(<svg[^>]*>)/, `$1<defs>${defs}</defs>`);
}
