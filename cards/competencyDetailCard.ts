// One competency in detail (seed 004 "click on the competency name … to view details … the full
// requirements and … retired exam validation dates"): per level and option, each requirement
// with who counts and by which exams, and which retired exams stop counting when. A Back button
// returns to the status card.
import template from './competencyDetail.json';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export interface DetailPartView {
  /** The requirement or rule, as the catalogue words it. */
  title: string;
  /** "1 of 2 people" / "2 people, 20 of at most 40 points (10 each)". */
  status: string;
  met: boolean;
  /** "Counting: AZ-104 or AZ-305". */
  counting: string;
  people: Array<{ name: string; detail: string }>;
  /** "… and 12 more" or ''. */
  more: string;
}

export interface DetailLevelView {
  heading: string;
  met: boolean;
  missing: string[];
  note: string;
  options: Array<{ title: string; total: string; parts: DetailPartView[] }>;
  retired: string[];
}

export interface CompetencyDetailCardData {
  orgId: string;
  title: string;
  subtitle: string;
  retiredTitle: string;
  backTitle: string;
  reportTitle: string;
  levels: DetailLevelView[];
}

export function competencyDetailCard(data: CompetencyDetailCardData): CardAttachment {
  return cardAttachment(expandCard(template, {
    ...data,
    levels: data.levels.map((l) => ({
      ...l,
      headingColor: l.met ? 'Good' : 'Default',
      options: l.options.map((o) => ({ ...o, parts: o.parts.map((p) => ({ ...p, statusColor: p.met ? 'Good' : 'Warning' })) })),
    })),
  }));
}
