// English wording of evaluation results ("2 more people with AZ-104 for Cloud Platform Gold")
// for the results' `missing` and drops' `label` fields: logs, tests and benches. People never see
// these: the bot words the same data (gaps.ts) in their language (bot/actions/competencyWording.ts,
// i18n namespace `competencies`).
import type { Competency, CompetencyLevel, CompetencyOption } from './catalogue';

/** "Cloud Platform Gold", or just the designation's name when it has a single level. */
export function levelLabel(competency: Pick<Competency, 'name' | 'kind'> & { levels: readonly unknown[] }, level: Pick<CompetencyLevel, 'name'>): string {
  return competency.kind === 'designation' && competency.levels.length === 1 ? competency.name : `${competency.name} ${level.name}`;
}

/** The level's label, plus the option when the level has several ("… (Data engineering option)"). */
export function optionLabel(competency: Competency, level: CompetencyLevel, option: CompetencyOption): string {
  const base = levelLabel(competency, level);
  return level.options.length > 1 ? `${base} (${option.name} option)` : base;
}

/** "AZ-104", "AZ-104 or AZ-305", "AZ-104, AZ-305 or AZ-500", "one of AZ-104, AZ-305, AZ-500 and 3 more". */
export function codesText(codes: readonly string[]): string {
  if (codes.length === 0) return 'a credential that still counts';
  if (codes.length === 1) return codes[0];
  if (codes.length <= 4) return `${codes.slice(0, -1).join(', ')} or ${codes[codes.length - 1]}`;
  return `one of ${codes.slice(0, 3).join(', ')} and ${codes.length - 3} more`;
}

export const peopleText = (n: number): string => `${n} more ${n === 1 ? 'person' : 'people'}`;

export const pointsText = (n: number): string => {
  const rounded = Math.round(n * 100) / 100;
  return `${rounded} more point${rounded === 1 ? '' : 's'}`;
};
