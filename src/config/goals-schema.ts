/**
 * zod schema of the goals (Zielsystem): a Kommune, the Kreis or a group of areas
 * declares goals on indicators, in `spm.yaml` under `ziele:` (a list) or in a file
 * named there (`ziele: ziele.yaml`, holding `ziele: [...]`). Field names are German
 * because planners write them; messages name the YAML path.
 */
import { z } from 'zod';

// the same rule as `identifier` in schema.ts (not imported: schema.ts imports this file)
const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'erwartet: Kleinbuchstaben, Ziffern und _ (z. B. "u7a_nichtteilnahme")');

/** A milestone: by `jahr` the value `wert` (without `wert`: the linear path's value in that year). */
export const MilestoneSchema = z
  .object({
    jahr: z.number().int().describe('Jahr des Meilensteins (zwischen startjahr und zieljahr)'),
    wert: z.number().optional().describe('Zwischenwert; ohne Angabe der Wert des linearen Zielpfads'),
  })
  .strict();

export const GoalSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'erwartet: Buchstaben, Ziffern, _ und - (z. B. "u7a_duelmen")')
      .describe('eindeutiger Schlüssel des Ziels'),
    titel: z.string().min(1).describe('das Ziel in Worten, z. B. "Nichtteilnahme an der U7a in Dülmen senken"'),
    gebiet: z
      .string()
      .min(1)
      .optional()
      .describe('Gebietsschlüssel: Kommune (AGS), Kreis, Sozialraum oder Gruppe einer Gliederung (areas.groupings)'),
    gebiete: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('mehrere Gebiete (z. B. Sozialräume eines Handlungsraums): jedes wird für sich bewertet'),
    gruppenname: z.string().min(1).optional().describe('Name der Gebietsgruppe bei gebiete, z. B. "Dülmen-Innenstadt"'),
    ebene: identifier
      .optional()
      .describe('Ebene oder Gliederung des Gebiets (z. B. "jugendamt"), nur nötig, wenn der Schlüssel mehrdeutig ist'),
    kennzahl: identifier.describe('id des Indikators, z. B. "u7a_nichtteilnahme"'),
    zielwert: z.number().optional().describe('Zielwert in der Einheit der Kennzahl (z. B. 5 für 5 %)'),
    richtung: z
      .enum(['sinken', 'steigen'])
      .optional()
      .describe('gewünschte Richtung; Vorgabe bei einem Zielwert: aus der Polarität der Kennzahl'),
    startjahr: z.number().int().describe('Jahr des Ausgangswerts'),
    zieljahr: z.number().int().describe('Jahr, bis zu dem das Ziel erreicht sein soll'),
    meilensteine: z.array(MilestoneSchema).default([]).describe('Zwischenziele [{ jahr, wert }]'),
    verantwortlich: z.string().min(1).optional().describe('wer für das Ziel verantwortlich ist'),
    handlungsfeld: z.string().min(1).optional().describe('Handlungsfeld, z. B. "Gesundheit in der frühen Kindheit"'),
    beschreibung: z.string().optional().describe('freier Text: Maßnahmen, Begründung'),
  })
  .strict()
  .superRefine((g, ctx) => {
    if ((g.gebiet === undefined) === (g.gebiete === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['gebiet'],
        message: 'genau eines angeben: gebiet (ein Gebiet) oder gebiete (eine Liste von Gebieten)',
      });
    if (g.gruppenname !== undefined && g.gebiete === undefined)
      ctx.addIssue({ code: 'custom', path: ['gruppenname'], message: 'gruppenname nur zusammen mit gebiete' });
    if (g.gebiete) {
      const seen = new Set<string>();
      g.gebiete.forEach((a, i) => {
        if (seen.has(a))
          ctx.addIssue({ code: 'custom', path: ['gebiete', i], message: `Gebiet "${a}" ist doppelt genannt` });
        seen.add(a);
      });
    }
    if (g.zielwert === undefined && g.richtung === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['zielwert'],
        message: 'zielwert (z. B. 5) oder richtung (sinken / steigen) angeben',
      });
    if (g.startjahr >= g.zieljahr)
      ctx.addIssue({
        code: 'custom',
        path: ['zieljahr'],
        message: `zieljahr (${g.zieljahr}) muss nach dem startjahr (${g.startjahr}) liegen`,
      });
    let last = g.startjahr;
    g.meilensteine.forEach((m, i) => {
      if (m.jahr <= g.startjahr || m.jahr >= g.zieljahr)
        ctx.addIssue({
          code: 'custom',
          path: ['meilensteine', i, 'jahr'],
          message: `Meilenstein ${m.jahr} muss zwischen startjahr (${g.startjahr}) und zieljahr (${g.zieljahr}) liegen`,
        });
      else if (m.jahr <= last)
        ctx.addIssue({
          code: 'custom',
          path: ['meilensteine', i, 'jahr'],
          message: 'Meilensteine aufsteigend nach Jahr und jedes Jahr nur einmal angeben',
        });
      last = Math.max(last, m.jahr);
      if (m.wert === undefined && g.zielwert === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['meilensteine', i, 'wert'],
          message: 'ohne zielwert gibt es keinen Zielpfad: wert des Meilensteins angeben',
        });
    });
  });

/** `ziele.yaml`: the goals under one key, so the file can grow other keys later. */
export const GoalsFileSchema = z.object({ ziele: z.array(GoalSchema) }).strict();

/** `ziele:` in spm.yaml: the goals themselves or the file that holds them. */
export const GoalsEntrySchema = z
  .union([z.string().min(1), z.array(GoalSchema)])
  .describe('Ziele je Kommune, Kreis oder Gebietsgruppe: Liste oder Datei (z. B. "ziele.yaml" mit ziele: [...])');

export type Goal = z.infer<typeof GoalSchema>;
export type GoalInput = z.input<typeof GoalSchema>;
export type Milestone = z.infer<typeof MilestoneSchema>;

/** A goal with where it was declared (file shown to the user and the lines of its keys). */
export interface LoadedGoal {
  def: Goal;
  /** `spm.yaml` or the goals file, project-relative. */
  file: string;
  /** Index in its list (for the YAML path `ziele[i]`). */
  index: number;
  /** Lines of `ziele[i]`, `ziele[i].gebiet`, `ziele[i].gebiete[j]`, `ziele[i].ebene` where known. */
  lines: Record<string, number>;
}
