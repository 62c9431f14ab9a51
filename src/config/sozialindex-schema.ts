/**
 * `sozialindex:` in spm.yaml: a composite need index per Sozialraum and its
 * Sozialraumtypen (src/steering). Checked here for shape; that the indicators
 * exist, publish Sozialraum values and have a direction is checked when the
 * index is built (it needs the loaded indicators).
 */
import { z } from 'zod';

// the same rule as `identifier` in schema.ts (which imports this file, so it cannot be imported back)
const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'erwartet: Kleinbuchstaben, Ziffern und _ (z. B. "sgb2_quote_unter_15")');

export const SozialindexIndicatorSchema = z.union([
  identifier,
  z
    .object({
      id: identifier,
      richtung: z
        .enum(['hoeher_ist_bedarf', 'niedriger_ist_bedarf'])
        .optional()
        .describe('Vorgabe aus der Polarität des Indikators; bei polarity: neutral anzugeben'),
      gewicht: z.number().positive().optional().describe('Gewicht bei gewichte: erklaert'),
    })
    .strict(),
]);

export const SozialindexSchema = z
  .object({
    indikatoren: z
      .array(SozialindexIndicatorSchema)
      .min(2)
      .describe('Indikator-ids (mit Sozialraum-Werten), z. B. sgb2_quote_unter_15, seu_sprachfoerderbedarf'),
    jahre: z
      .array(z.number().int())
      .min(1)
      .optional()
      .describe('Bezugsjahre des Index; Vorgabe: das letzte Jahr mit Sozialraum-Werten aller Indikatoren'),
    pool_jahre: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('1 = Einzeljahre; sonst die gepoolten Fenster (settings.pool_years), robuster für kleine Räume'),
    standardisierung: z
      .enum(['z', 'rang'])
      .default('z')
      .describe('z: z-Werte über die Sozialräume des Kreises; rang: Perzentilränge'),
    gewichte: z
      .enum(['gleich', 'erklaert', 'pca'])
      .default('gleich')
      .describe('gleich; erklaert (gewicht je Indikator); pca (Ladungen der ersten Hauptkomponente)'),
    fehlend: z
      .union([z.literal('kein_index'), z.object({ auslassen_mit_mindestens: z.number().int().min(1) }).strict()])
      .default('kein_index')
      .describe(
        'kein_index: ein gesperrter oder fehlender Eingangswert ergibt keinen Index; { auslassen_mit_mindestens: n }: Index aus den vorhandenen Werten (gekennzeichnet)',
      ),
    unsicherheit: z
      .object({
        ziehungen: z.number().int().min(100).max(100000).default(1000),
        seed: z.number().int().default(1),
        niveau: z.number().min(0.5).max(0.99).default(0.9),
      })
      .strict()
      .default({ ziehungen: 1000, seed: 1, niveau: 0.9 })
      .describe('Simulation des Rangs aus den Konfidenzintervallen der Eingangswerte'),
    typen: z
      .object({
        anzahl: z.number().int().min(2).max(10).default(4),
        seed: z.number().int().default(1),
        starts: z.number().int().min(1).max(1000).default(10),
      })
      .strict()
      .optional()
      .describe('Sozialraumtypen (k-means) aus denselben Indikatoren; weglassen = keine Typen'),
  })
  .strict();

export type SozialindexConfig = z.infer<typeof SozialindexSchema>;
