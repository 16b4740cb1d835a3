// The competency catalogue (DESIGN §3) is data, not code: catalogue.json ships a sample, and any
// other file in the same format can be loaded without a release. One format describes both
// models Microsoft has used:
// - "people": each requirement needs N distinct associated people holding one of a set of
//   exams or certifications (competencies with Silver / Gold levels and options);
// - "points": each certified person earns points per rule, capped per rule, against a
//   threshold (Solutions Partner designations).
// Retired credentials carry `countsUntil`, the last day (UTC) they still count.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CERTIFICATION_TYPES, credentialKey, type CertificationType } from '../certifications/records';
import sample from './catalogue.json';

export interface Credential {
  /** `type:code`, as on MCID documents. */
  key: string;
  type: CertificationType;
  code: string;
  title?: string;
  /** Retired: the last day it counts (YYYY-MM-DD, UTC) … */
  countsUntil?: string;
  /** … and the moment it stops counting (the next midnight UTC). */
  stopsCountingAt?: Date;
}

export interface PeopleRequirement { id: string; description: string; people: number; credentials: Credential[] }
export interface PointsRule {
  id: string; description: string; pointsPerPerson: number; maxPoints: number; minPeople: number; credentials: Credential[];
}

export type CompetencyOption =
  | { model: 'people'; id: string; name: string; requirements: PeopleRequirement[] }
  | { model: 'points'; id: string; name: string; threshold: number; rules: PointsRule[] };

export interface CompetencyLevel { id: string; name: string; options: CompetencyOption[] }
export interface Competency { id: string; name: string; kind: 'competency' | 'designation'; levels: CompetencyLevel[] }

export interface CredentialUse { competency: Competency; level: CompetencyLevel; credential: Credential }

export interface Catalogue {
  version: string;
  competencies: Competency[];
  /** Every place a credential counts, by credential key. */
  uses: Map<string, CredentialUse[]>;
}

/** The catalogue cannot be used; `message` names the place in the file. */
export class CatalogueError extends Error {}

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'an id of lower-case letters, digits and hyphens');
const name = z.string().trim().min(1).max(120);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written YYYY-MM-DD')
  .refine((v) => new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v, 'a real day');

const credentialSchema = z.union([
  z.string(),
  z.strictObject({
    type: z.enum(CERTIFICATION_TYPES).default('exam'),
    code: z.string(),
    title: z.string().trim().min(1).max(300).optional(),
    countsUntil: day.optional(),
  }),
]).transform((c) => (typeof c === 'string' ? { type: 'exam' as const, code: c } : c))
  .pipe(z.object({
    type: z.enum(CERTIFICATION_TYPES),
    code: z.string().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9-]{0,39}$/, 'a code of letters, digits and hyphens, like AZ-104'),
    title: z.string().optional(),
    countsUntil: z.string().optional(),
  }));

const credentials = z.array(credentialSchema).min(1);

const optionSchema = z.discriminatedUnion('model', [
  z.strictObject({
    model: z.literal('people'), id: slug, name,
    requirements: z.array(z.strictObject({
      id: slug, description: name, people: z.int().min(1), credentials,
    })).min(1),
  }),
  z.strictObject({
    model: z.literal('points'), id: slug, name, threshold: z.number().positive(),
    rules: z.array(z.strictObject({
      id: slug, description: name, pointsPerPerson: z.number().positive(), maxPoints: z.number().positive(),
      minPeople: z.int().min(0).default(0), credentials,
    })).min(1),
  }),
]);

const catalogueSchema = z.strictObject({
  version: z.string().trim().min(1),
  description: z.string().optional(),
  competencies: z.array(z.strictObject({
    id: slug, name, kind: z.enum(['competency', 'designation']).default('competency'),
    levels: z.array(z.strictObject({ id: slug, name, options: z.array(optionSchema).min(1) })).min(1),
  })).min(1),
}).superRefine((cat, ctx) => {
  const unique = (ids: string[], path: (string | number)[], what: string) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [...path, i, 'id'], message: `${what} id "${id}" is used twice` });
      seen.add(id);
    });
  };
  unique(cat.competencies.map((c) => c.id), ['competencies'], 'competency');
  cat.competencies.forEach((c, ci) => {
    unique(c.levels.map((l) => l.id), ['competencies', ci, 'levels'], 'level');
    c.levels.forEach((l, li) => {
      const at = ['competencies', ci, 'levels', li, 'options'];
      unique(l.options.map((o) => o.id), at, 'option');
      l.options.forEach((o, oi) => {
        const parts = o.model === 'people' ? o.requirements : o.rules;
        unique(parts.map((p) => p.id), [...at, oi, o.model === 'people' ? 'requirements' : 'rules'], o.model === 'people' ? 'requirement' : 'rule');
        if (o.model === 'points') {
          o.rules.forEach((r, ri) => {
            if (r.maxPoints < r.pointsPerPerson) ctx.addIssue({ code: 'custom', path: [...at, oi, 'rules', ri, 'maxPoints'], message: 'maxPoints is below pointsPerPerson' });
          });
          const reachable = o.rules.reduce((sum, r) => sum + r.maxPoints, 0);
          if (reachable < o.threshold) ctx.addIssue({ code: 'custom', path: [...at, oi, 'threshold'], message: `the threshold ${o.threshold} is above the ${reachable} points the rules can give` });
        }
      });
    });
  });
});

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** Checks and compiles a catalogue; throws CatalogueError naming the first problem's place. */
export function parseCatalogue(json: unknown): Catalogue {
  const parsed = catalogueSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CatalogueError(`Competency catalogue: ${pathText(issue.path) || 'file'}: ${issue.message}`);
  }
  const toCredential = (c: { type: CertificationType; code: string; title?: string; countsUntil?: string }): Credential => ({
    key: credentialKey(c.type, c.code), type: c.type, code: c.code, title: c.title, countsUntil: c.countsUntil,
    stopsCountingAt: c.countsUntil ? new Date(Date.parse(`${c.countsUntil}T00:00:00Z`) + 86_400_000) : undefined,
  });
  const competencies: Competency[] = parsed.data.competencies.map((c) => ({
    id: c.id, name: c.name, kind: c.kind,
    levels: c.levels.map((l) => ({
      id: l.id, name: l.name,
      options: l.options.map((o): CompetencyOption => (o.model === 'people'
        ? { model: 'people', id: o.id, name: o.name, requirements: o.requirements.map((r) => ({ ...r, credentials: dedupe(r.credentials.map(toCredential)) })) }
        : { model: 'points', id: o.id, name: o.name, threshold: o.threshold, rules: o.rules.map((r) => ({ ...r, credentials: dedupe(r.credentials.map(toCredential)) })) })),
    })),
  }));
  const uses = new Map<string, CredentialUse[]>();
  for (const competency of competencies) {
    for (const level of competency.levels) {
      for (const credential of credentialsOfLevel(level)) {
        const list = uses.get(credential.key) ?? [];
        list.push({ competency, level, credential });
        uses.set(credential.key, list);
      }
    }
  }
  return { version: parsed.data.version, competencies, uses };
}

const dedupe = (list: Credential[]) => [...new Map(list.map((c) => [c.key, c])).values()];

/** Every credential a level's options accept, each once. */
export function credentialsOfLevel(level: CompetencyLevel): Credential[] {
  return dedupe(level.options.flatMap((o) => (o.model === 'people' ? o.requirements : o.rules).flatMap((p) => p.credentials)));
}

/** A credential counts at `at` unless it is retired and its last day has passed. */
export function countsAt(credential: Credential, at: Date): boolean {
  return !credential.stopsCountingAt || at.getTime() < credential.stopsCountingAt.getTime();
}

export async function loadCatalogueFile(path: string): Promise<Catalogue> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CatalogueError(`Competency catalogue: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CatalogueError(`Competency catalogue: ${path} is not valid JSON (${(err as Error).message}).`);
  }
  return parseCatalogue(json);
}

let bundled: Catalogue | undefined;

/** The catalogue shipped with the bot (catalogue.json), parsed once. */
export function defaultCatalogue(): Catalogue {
  bundled ??= parseCatalogue(sample);
  return bundled;
}
