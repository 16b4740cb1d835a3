// What a level still lacks, as data: the bot words it in the reader's language ("2 more people
// with AZ-104 for Cloud Platform Gold"), on status cards and at-risk alerts alike. Small and
// plain JSON (no people lists), so an alert can carry it through the outbox.
import type { LevelResult, OptionResult } from './results';

export type Gap =
  /** A requirement short of people: `missing` more people holding one of `codes`. */
  | { kind: 'people'; option?: string; requirement: string; missing: number; codes: string[] }
  /** A points option short of its threshold; `rules` are those that can still give points. */
  | { kind: 'points'; option?: string; missing: number; rules: Array<{ description: string; pointsPerPerson: number; room: number }> }
  /** A points rule short of its minimum number of people. */
  | { kind: 'rulePeople'; option?: string; rule: string; missing: number; codes: string[] };

/** The option a card shows for a level (a met one, else the closest to being met). */
export function shownOption(level: LevelResult): OptionResult {
  return level.options.find((o) => o.id === level.closest) ?? level.options[0];
}

/** What the level's shown option lacks; empty when the level is met. */
export function levelGaps(level: LevelResult): Gap[] {
  if (level.met) return [];
  const option = shownOption(level);
  // The option is named only when the level has several (otherwise it adds nothing).
  const name = level.options.length > 1 ? option.name : undefined;
  const gaps: Gap[] = [];
  if (option.model === 'people') {
    for (const r of option.requirements) {
      if (r.count < r.required) gaps.push({ kind: 'people', option: name, requirement: r.description, missing: r.required - r.count, codes: r.codes });
    }
    return gaps;
  }
  const { points, threshold } = option.progress;
  if (points < threshold) {
    gaps.push({
      kind: 'points', option: name, missing: round(threshold - points),
      rules: option.rules.filter((r) => r.points < r.maxPoints).map((r) => ({ description: r.description, pointsPerPerson: r.pointsPerPerson, room: round(r.maxPoints - r.points) })),
    });
  }
  for (const r of option.rules) {
    if (!r.met) gaps.push({ kind: 'rulePeople', option: name, rule: r.description, missing: r.minPeople - r.count, codes: r.codes });
  }
  return gaps;
}

const round = (n: number) => Math.round(n * 100) / 100;
