/** Significance classes as chart categories (German labels, colours, shapes in a fixed order). */
import type { PublicPoint } from './mask.js';
import { SIG_STYLE } from './theme.js';
import { verdictLabel } from './vocabulary.js';
import type { IndicatorMeta, Sig } from './types.js';

export type SigKey = Sig | 'none';

/** Legend order: verdicts for rated indicators, higher/lower for neutral ones. */
export function sigDomain(polarity: IndicatorMeta['polarity']): SigKey[] {
  return polarity === 'neutral'
    ? ['higher', 'not_distinguishable', 'lower', 'none']
    : ['worse', 'not_distinguishable', 'better', 'none'];
}

export function sigKey(
  p: Pick<PublicPoint, 'sig_kreis' | 'sig_kommune' | 'value'>,
  ref: 'kreis' | 'kommune' = 'kreis',
): SigKey {
  if (p.value === null) return 'none';
  return (ref === 'kreis' ? p.sig_kreis : p.sig_kommune) ?? 'none';
}

/** A colour scale over the German labels, restricted to the classes present (so the legend lists only those). */
export function sigColorScale(polarity: IndicatorMeta['polarity'], present: ReadonlySet<SigKey>, refName: string) {
  const keys = sigDomain(polarity).filter((k) => present.has(k));
  return {
    domain: keys.map((k) => sigLabel(k, refName)),
    range: keys.map((k) => SIG_STYLE[k].color),
    shapes: keys.map((k) => SIG_STYLE[k].shape),
  };
}

/** `ungünstiger als Kreis Coesfeld` (the shared vocabulary). */
export function sigLabel(k: SigKey, refName: string): string {
  return verdictLabel(k, refName);
}
