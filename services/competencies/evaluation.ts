// Competency evaluation as a pure function of a roster, a catalogue and a moment: per
// competency, level and option, whether it is met, the progress (people or points), what is
// missing, who counts with which credentials, and which retired credentials stop counting when.
// Each person counts once per requirement (or points rule), whatever they hold.
import {
  countsAt, type Catalogue, type Competency, type CompetencyLevel, type CompetencyOption, type Credential,
  type PeopleRequirement, type PointsRule,
} from './catalogue';
import type { Roster, RosterPerson } from './roster';
import { codesText, optionLabel, peopleText, pointsText } from './wording';
import type {
  CountingPerson, LevelResult, OptionResult, OrganisationEvaluation, PeopleRequirementResult, PointsRuleResult, RetiredCredentialStatus,
} from './results';

/** `held` may be shared between holders (see single()): replace it, never push to it. */
interface Holder { person: RosterPerson; held: readonly Credential[] }

/** Who holds which of a requirement's (or rule's) credentials, and who counts at `now`. */
interface Part {
  credentials: Credential[];
  /** Whether any credential is retired (otherwise every holder counts at any time). */
  retiring: boolean;
  /** In roster order, each person once. */
  holders: Holder[];
  /** The holders counting at the evaluation's moment, each with the credentials that count. */
  counting: Holder[];
}

type Parts = Map<PeopleRequirement | PointsRule, Part>;

// Evaluation runs on every status request, over every member: arrays rather than maps and no
// per-person temporary objects beyond the results, so 10,000 people cost little garbage.
function partsFor(catalogue: Catalogue, roster: Roster, now: Date): Parts {
  const parts: Parts = new Map();
  const byCredential = new Map<string, Array<{ part: Part; credential: Credential }>>();
  for (const c of catalogue.competencies) {
    for (const l of c.levels) {
      for (const o of l.options) {
        for (const p of o.model === 'people' ? o.requirements : o.rules) {
          const part: Part = { credentials: p.credentials, retiring: p.credentials.some((x) => x.stopsCountingAt), holders: [], counting: [] };
          parts.set(p, part);
          for (const credential of p.credentials) {
            const list = byCredential.get(credential.key) ?? [];
            list.push({ part, credential });
            byCredential.set(credential.key, list);
          }
        }
      }
    }
  }
  for (const person of roster.people) {
    for (const key of person.credentials) {
      const uses = byCredential.get(key);
      if (!uses) continue;
      for (const { part, credential } of uses) {
        const last = part.holders[part.holders.length - 1];
        if (last?.person !== person) part.holders.push({ person, held: single(credential) });
        else last.held = [...last.held, credential]; // rare: two of the part's credentials
      }
    }
  }
  // Who counts now, once per part: every result below reads it.
  for (const part of parts.values()) {
    if (!part.retiring) {
      part.counting = part.holders;
      continue;
    }
    for (const { person, held } of part.holders) {
      const valid = held.filter((c) => countsAt(c, now));
      if (valid.length) part.counting.push({ person, held: valid });
    }
  }
  return parts;
}

/** How many people count at another moment (for "met until"). */
const countAt = (part: Part, at: Date): number => {
  if (!part.retiring) return part.holders.length;
  let n = 0;
  for (const { held } of part.holders) if (held.some((c) => countsAt(c, at))) n += 1;
  return n;
};

const pointsOf = (rule: PointsRule, count: number) => Math.min(count * rule.pointsPerPerson, rule.maxPoints);

/** One shared [credential] and ["AZ-104"] per credential: most people hold one per part. */
const singleCredential = new WeakMap<Credential, Credential[]>();
function single(credential: Credential): Credential[] {
  let list = singleCredential.get(credential);
  if (!list) singleCredential.set(credential, (list = [credential]));
  return list;
}
const singleCode = new WeakMap<Credential, string[]>();
const codesOf = (held: readonly Credential[]): string[] => {
  if (held.length !== 1) return held.map((c) => c.code);
  let list = singleCode.get(held[0]);
  if (!list) singleCode.set(held[0], (list = [held[0].code]));
  return list;
};

function countingPeople(part: Part): CountingPerson[] {
  return part.counting.map(({ person, held }) => {
    let mcids = person.mcids;
    if (person.credentialMcids) {
      mcids = [];
      for (const c of held) {
        const mcid = person.credentialMcids[person.credentials.indexOf(c.key)];
        if (!mcids.includes(mcid)) mcids.push(mcid);
      }
    }
    return { tenantId: person.tenantId, aadObjectId: person.aadObjectId, mcids, codes: codesOf(held) };
  });
}

const validCodes = (part: Part, at: Date) => part.credentials.filter((c) => countsAt(c, at)).map((c) => c.code);

function optionMetAt(option: CompetencyOption, parts: Parts, count: (part: Part) => number): boolean {
  if (option.model === 'people') return option.requirements.every((r) => count(parts.get(r)!) >= r.people);
  let total = 0;
  for (const rule of option.rules) {
    const n = count(parts.get(rule)!);
    if (n < rule.minPeople) return false;
    total += pointsOf(rule, n);
  }
  return total >= option.threshold;
}

const countNow = (part: Part) => part.counting.length;

function evaluateOption(
  competency: Competency, level: CompetencyLevel, option: CompetencyOption, parts: Parts, now: Date,
): OptionResult {
  const label = optionLabel(competency, level, option);
  const optionParts = (option.model === 'people' ? option.requirements : option.rules).map((p) => parts.get(p)!);
  const retired = retiredStatus(optionParts, now);
  const met = optionMetAt(option, parts, countNow);
  const base = { id: option.id, name: option.name, met, retired, metUntil: met ? metUntil(option, parts, retired) : undefined };
  if (option.model === 'people') {
    const requirements = option.requirements.map((r): PeopleRequirementResult => {
      const part = parts.get(r)!;
      const count = countNow(part);
      const codes = validCodes(part, now);
      const missing = count < r.people ? `${peopleText(r.people - count)} with ${codesText(codes)} for ${label}` : undefined;
      return { id: r.id, description: r.description, required: r.people, count, met: count >= r.people, codes, missing, people: countingPeople(part) };
    });
    return {
      ...base, model: 'people', requirements,
      missing: requirements.flatMap((r) => (r.missing ? [r.missing] : [])),
      progress: { have: requirements.reduce((s, r) => s + Math.min(r.count, r.required), 0), need: requirements.reduce((s, r) => s + r.required, 0) },
    };
  }
  const rules = option.rules.map((r): PointsRuleResult => {
    const part = parts.get(r)!;
    const count = countNow(part);
    const points = pointsOf(r, count);
    return {
      id: r.id, description: r.description, pointsPerPerson: r.pointsPerPerson, maxPoints: r.maxPoints, minPeople: r.minPeople,
      count, points, capped: count * r.pointsPerPerson > r.maxPoints, met: count >= r.minPeople, codes: validCodes(part, now),
      people: countingPeople(part),
    };
  });
  const total = rules.reduce((s, r) => s + r.points, 0);
  const missing: string[] = [];
  if (total < option.threshold) {
    const room = rules.filter((r) => r.points < r.maxPoints)
      .map((r) => `${r.description.toLowerCase()} give ${r.pointsPerPerson} per person (${r.maxPoints - r.points} more possible)`);
    missing.push(`${pointsText(option.threshold - total)} for ${label}${room.length ? `: ${room.join('; ')}` : ''}`);
  }
  for (const r of rules) {
    if (!r.met) missing.push(`${peopleText(r.minPeople - r.count)} with ${codesText(r.codes)} (${r.description.toLowerCase()}) for ${label}`);
  }
  return { ...base, model: 'points', rules, missing, progress: { points: total, threshold: option.threshold } };
}

function retiredStatus(parts: Part[], now: Date): RetiredCredentialStatus[] {
  const byKey = new Map<string, { credential: Credential; holders: Set<RosterPerson> }>();
  for (const part of parts) {
    for (const credential of part.credentials) {
      if (!credential.countsUntil || !credential.stopsCountingAt) continue;
      const entry = byKey.get(credential.key) ?? { credential, holders: new Set<RosterPerson>() };
      for (const { person, held } of part.holders) if (held.includes(credential)) entry.holders.add(person);
      byKey.set(credential.key, entry);
    }
  }
  return [...byKey.values()].map(({ credential: c, holders }) => ({
    type: c.type, code: c.code, title: c.title, countsUntil: c.countsUntil!, stopsCountingAt: c.stopsCountingAt!,
    counting: countsAt(c, now), holders: holders.size,
  }));
}

/** If nothing else changes, the first moment a retirement makes the option stop being met. */
function metUntil(option: CompetencyOption, parts: Parts, retired: RetiredCredentialStatus[]): Date | undefined {
  const moments = [...new Set(retired.filter((r) => r.counting && r.holders > 0).map((r) => r.stopsCountingAt.getTime()))].sort((a, b) => a - b);
  for (const t of moments) if (!optionMetAt(option, parts, (part) => countAt(part, new Date(t)))) return new Date(t);
  return undefined;
}

/** How close an option is to being met (0 to 1), to pick which one's gaps a level reports. */
const ratio = (o: OptionResult) => (o.model === 'people'
  ? o.progress.have / o.progress.need
  : Math.min(1, o.progress.points / o.progress.threshold) - o.rules.filter((r) => !r.met).length * 0.01);

function evaluateLevel(competency: Competency, level: CompetencyLevel, parts: Parts, now: Date): LevelResult {
  const options = level.options.map((o) => evaluateOption(competency, level, o, parts, now));
  const metOptions = options.filter((o) => o.met);
  const met = metOptions.length > 0;
  const best = [...options].sort((a, b) => ratio(b) - ratio(a))[0];
  // Met until the last of its met options stops being met (never, if one has no end).
  const ends = metOptions.map((o) => o.metUntil?.getTime() ?? Infinity);
  const end = met ? Math.max(...ends) : Infinity;
  // The option to show: a met one, else the one closest to being met.
  const closest = met ? metOptions[0] : best;
  return {
    id: level.id, name: level.name, met, missing: met ? [] : best.missing, metUntil: Number.isFinite(end) ? new Date(end) : undefined,
    closest: closest.id, options,
  };
}

export function evaluateRoster(roster: Roster, catalogue: Catalogue, now: Date): OrganisationEvaluation {
  const parts = partsFor(catalogue, roster, now);
  return {
    orgId: roster.orgId,
    evaluatedAt: now,
    catalogueVersion: catalogue.version,
    countedPeople: roster.people.length,
    linkedMcids: roster.linkedMcids,
    competencies: catalogue.competencies.map((c) => {
      const levels = c.levels.map((l) => evaluateLevel(c, l, parts, now));
      return { id: c.id, name: c.name, kind: c.kind, met: levels.some((l) => l.met), levels };
    }),
  };
}

