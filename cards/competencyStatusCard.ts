// The competency status card (seed 004 "expand a competency to quickly check progress"): every
// competency and level with its progress, met ✓ or what is missing, a Details button per
// competency, and the skills report. Progress is Teams' ProgressBar where the client has it;
// others (older clients, Web Chat) show its fallback, a text bar with the numbers.
import template from './competencyStatus.json';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export interface LevelStatusView {
  /** "Gold: met ✓" / "Gold: 3 of 4 people". */
  heading: string;
  met: boolean;
  have: number;
  need: number;
  /** "3 of 4 people", for the text fallback of the bar. */
  progress: string;
  /** What is missing, one sentence each (empty when met). */
  missing: string[];
  /** E.g. when retired exams end it; '' for none. */
  note: string;
}

export interface CompetencyStatusCardData {
  orgId: string;
  title: string;
  summary: string;
  message?: string;
  detailsTitle: string;
  reportTitle: string;
  refreshTitle: string;
  competencies: Array<{ id: string; name: string; levels: LevelStatusView[] }>;
}

const BAR_CELLS = 10;

/** "▰▰▰▰▰▰▱▱▱▱": the progress in text, for clients without ProgressBar. */
export function textBar(have: number, need: number): string {
  const filled = need > 0 ? Math.round((Math.min(have, need) / need) * BAR_CELLS) : BAR_CELLS;
  return `${'▰'.repeat(filled)}${'▱'.repeat(BAR_CELLS - filled)}`;
}

export function competencyStatusCard(data: CompetencyStatusCardData): CardAttachment {
  return cardAttachment(expandCard(template, {
    ...data,
    message: data.message ?? '',
    competencies: data.competencies.map((c) => ({
      id: c.id,
      name: c.name,
      levels: c.levels.map((l) => ({
        heading: l.heading,
        headingColor: l.met ? 'Good' : 'Default',
        // ProgressBar wants 0 ≤ value ≤ max.
        value: Math.max(0, Math.min(l.have, l.need)),
        max: Math.max(l.need, 1),
        barColor: l.met ? 'Good' : 'Accent',
        progressText: `${textBar(l.have, l.need)} ${l.progress}`,
        missing: l.missing,
        note: l.note,
      })),
    })),
  }));
}
