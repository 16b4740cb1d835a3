// The skills report (seed 004: "the name of the users who have taken exams, MC ID, type of exam,
// title, date, competency the exam counts towards"), as a CSV stream. Rows are read from the
// database a chunk of MCIDs at a time, and the stream pulls the next chunk only when the reader
// has taken the previous rows (Readable.from over an async generator), so a report of any size
// is sent with the memory of one chunk. Only active members' linked MCIDs are in it.
import { Readable } from 'node:stream';
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import type { Identity } from '../access/identity';
import type { MemberDoc } from '../people/members';
import type { OrganisationDoc } from '../organisations/organisation';
import { credentialKey, isoDay, type CertificationRecordDoc } from '../certifications/records';
import { authorizeCompetencyAdmin } from '../competencies/access';
import { countsAt, defaultCatalogue, type Catalogue } from '../competencies/catalogue';
import { loadRoster } from '../competencies/roster';
import { csvLine } from './csv';
import {
  DEFAULT_LINK_TTL_MS, MAX_LINK_TTL_MS, ReportLinkError, signReportLink, verifyReportLink, type ReportSecret,
} from './reportLinks';

export const SKILLS_REPORT_COLUMNS = ['User name', 'E-mail', 'MCID', 'Type', 'Code', 'Title', 'Date', 'Counts toward'] as const;

export interface SkillsReportOptions {
  catalogue?: Catalogue;
  now?: Date;
  /** MCIDs per query (default 100): short $in lists stay cheap on every store. */
  chunkSize?: number;
  /** Start with a UTF-8 byte order mark so spreadsheets read accents right (default true). */
  bom?: boolean;
}

/** The report's rows (header first), as cells. */
export async function* skillsReportRows(db: Db, orgId: string, options: SkillsReportOptions = {}): AsyncGenerator<string[]> {
  for await (const rows of skillsReportChunks(db, orgId, options)) yield* rows;
}

/**
 * The report's rows a chunk of people at a time (the header first, alone). Chunks rather than
 * rows because each step of an async generator costs a promise: per row, that was a third of
 * the time of a 100,000-row report.
 */
export async function* skillsReportChunks(db: Db, orgId: string, options: SkillsReportOptions = {}): AsyncGenerator<string[][]> {
  const catalogue = options.catalogue ?? defaultCatalogue();
  const now = options.now ?? new Date();
  const chunkSize = Math.max(1, options.chunkSize ?? 100);
  yield [[...SKILLS_REPORT_COLUMNS]];
  const roster = await loadRoster(db, orgId);
  // In MCID order, chunk by chunk: each person's records come together, by date.
  const owners = new Map<string, string>();
  for (const p of roster.people) for (const mcid of p.mcids) owners.set(mcid, p.member);
  const mcids = [...owners.keys()].sort();
  const toward = new Map<string, string>();
  const towardText = (key: string) => {
    let text = toward.get(key);
    if (text === undefined) toward.set(key, (text = countsTowardText(catalogue, key, now)));
    return text;
  };
  // Most deployments serve one organisation, which then holds (nearly) every MCID of the
  // directory: a range of MCIDs is then the cheapest read, and the few other MCIDs it brings
  // are dropped here. Otherwise each chunk is read by its exact MCIDs.
  const directorySize = await db.collection(collections.mcids).estimatedDocumentCount();
  const byRange = mcids.length > 0 && directorySize <= mcids.length * 1.1;
  const records = db.collection<CertificationRecordDoc>(collections.certificationRecords);
  // One chunk's members and records (chunkSize people's worth), ordered here rather than by the
  // server, which on the embedded store would sort with BSON comparisons.
  const read = async (chunk: string[]) => {
    const filter = byRange ? { mcid: { $gte: chunk[0], $lte: chunk[chunk.length - 1] } } : { mcid: { $in: chunk } };
    const [memberDocs, found] = await Promise.all([
      db.collection<MemberDoc>(collections.members)
        .find({ _id: { $in: [...new Set(chunk.map((m) => owners.get(m)!))] }, orgId, status: 'associated' }, { projection: { displayName: 1, email: 1 } })
        .toArray(),
      records.find(filter, { projection: REPORT_FIELDS }).batchSize(5000).toArray(),
    ]);
    const docs = found.filter((r) => owners.has(r.mcid));
    docs.sort((a, b) => compare(a.mcid, b.mcid) || a.date.getTime() - b.date.getTime() || compare(a.code, b.code));
    return { members: new Map(memberDocs.map((m) => [m._id, m])), docs };
  };
  const chunkAt = (i: number) => mcids.slice(i, i + chunkSize);
  // The next chunk is asked for while this one is turned into rows: the store (its own thread,
  // or server) then works while we do, instead of each waiting for the other.
  let ahead = mcids.length ? read(chunkAt(0)) : undefined;
  for (let i = 0; i < mcids.length; i += chunkSize) {
    const { members, docs } = await ahead!;
    ahead = i + chunkSize < mcids.length ? read(chunkAt(i + chunkSize)) : undefined;
    // Awaited at the next step; if the reader stops before then, its failure has no one to tell.
    ahead?.catch(() => undefined);
    // The driver sends a query some promise steps after it is asked: let it, before this chunk's
    // rows keep the thread busy (without this the store got the query only after them).
    await new Promise<void>((resolve) => setImmediate(resolve));
    const rows: string[][] = [];
    for (const r of docs) {
      const member = members.get(owners.get(r.mcid)!);
      if (!member) continue; // removed between the roster read and now
      rows.push([member.displayName, member.email, r.mcid, r.type, r.code, r.title, isoDay(r.date), towardText(credentialKey(r.type, r.code))]);
    }
    if (rows.length) yield rows;
  }
}

// Only what a row shows: the record's key, the profile's e-mail and name and the import's
// provenance would roughly double what the store encodes and the driver decodes.
const REPORT_FIELDS = { _id: 0, mcid: 1, type: 1, code: 1, title: 1, date: 1 } as const;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** "Cloud Platform (Silver, Gold); Solutions Partner for Infrastructure (Azure)". */
export function countsTowardText(catalogue: Catalogue, key: string, now: Date): string {
  const byCompetency = new Map<string, string[]>();
  for (const use of catalogue.uses.get(key) ?? []) {
    if (!countsAt(use.credential, now)) continue;
    const single = use.competency.kind === 'designation' && use.competency.levels.length === 1;
    const levels = byCompetency.get(use.competency.name) ?? [];
    if (!single) levels.push(use.level.name);
    byCompetency.set(use.competency.name, levels);
  }
  return [...byCompetency].map(([name, levels]) => (levels.length ? `${name} (${levels.join(', ')})` : name)).join('; ');
}

/** The report as a CSV byte stream with backpressure. */
export function skillsReportCsv(db: Db, orgId: string, options: SkillsReportOptions = {}): Readable {
  async function* lines(): AsyncGenerator<string> {
    // Lines are handed on in pieces of at least ~16 KB (a chunk of people's rows).
    let pending = options.bom === false ? '' : '\uFEFF';
    for await (const rows of skillsReportChunks(db, orgId, options)) {
      for (const row of rows) pending += csvLine(row);
      if (pending.length >= 16_384) {
        yield pending;
        pending = '';
      }
    }
    if (pending) yield pending;
  }
  return Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 });
}

export interface ReportLinkOptions {
  secret: ReportSecret;
  ttlMs?: number;
  now?: Date;
}

/** A download link token for a global admin or MPN partner admin of the organisation. */
export async function createSkillsReportLink(db: Db, who: Identity, orgId: string, options: ReportLinkOptions): Promise<{ token: string; expiresAt: Date }> {
  const access = await authorizeCompetencyAdmin(db, who, orgId);
  const now = options.now ?? new Date();
  const ttl = Math.min(Math.max(60_000, options.ttlMs ?? DEFAULT_LINK_TTL_MS), MAX_LINK_TTL_MS);
  const expiresAt = new Date(now.getTime() + ttl);
  return { token: signReportLink({ orgId: access.orgId, tenantId: access.tenantId, expiresAt }, options.secret), expiresAt };
}

export interface OpenedReport {
  filename: string;
  contentType: string;
  body: Readable;
}

/** Opens the report a link points at; throws ReportLinkError for a bad, expired or other-org token. */
export async function openSkillsReport(
  db: Db, token: unknown, orgId: string, options: Omit<ReportLinkOptions, 'ttlMs'> & SkillsReportOptions,
): Promise<OpenedReport> {
  const claims = verifyReportLink(token, options.secret, { orgId, now: options.now });
  // The organisation must still be the one the link was made for (same tenant).
  const org = await db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: claims.orgId }, { projection: { tenantId: 1 } });
  if (!org || org.tenantId !== claims.tenantId) throw new ReportLinkError('wrongOrganisation', 'This report link is for another organisation.');
  const day = isoDay(options.now ?? new Date());
  return {
    filename: `skills-report-${claims.orgId}-${day}.csv`,
    contentType: 'text/csv; charset=utf-8',
    body: skillsReportCsv(db, claims.orgId, options),
  };
}


export interface SkillsReportSummary {
  orgId: string;
  organisation: string;
  /** Data rows the CSV will have (one per exam or certification record). */
  rows: number;
  /** Active members with a linked MCID: the people in the report. */
  people: number;
  /** Competencies (and designations) at least one of those records counts toward now. */
  competencies: number;
}

/** What the report holds, for the card that offers the link; for competency admins only. */
export async function skillsReportSummary(db: Db, who: Identity, orgId: string, options: Pick<SkillsReportOptions, 'catalogue' | 'now' | 'chunkSize'> = {}): Promise<SkillsReportSummary> {
  const access = await authorizeCompetencyAdmin(db, who, orgId);
  const catalogue = options.catalogue ?? defaultCatalogue();
  const now = options.now ?? new Date();
  const roster = await loadRoster(db, access.orgId);
  const mcids = roster.people.flatMap((p) => p.mcids);
  const chunkSize = Math.max(1, options.chunkSize ?? 100);
  let rows = 0;
  // Counted chunk by chunk, like the report is read: short $in lists, nothing held.
  const records = db.collection<CertificationRecordDoc>(collections.certificationRecords);
  for (let i = 0; i < mcids.length; i += chunkSize) rows += await records.countDocuments({ mcid: { $in: mcids.slice(i, i + chunkSize) } });
  const competencies = new Set<string>();
  const seen = new Set<readonly string[]>();
  for (const person of roster.people) {
    if (seen.has(person.credentials)) continue; // many people share one list
    seen.add(person.credentials);
    for (const key of person.credentials) {
      for (const use of catalogue.uses.get(key) ?? []) if (countsAt(use.credential, now)) competencies.add(use.competency.id);
    }
  }
  return { orgId: access.orgId, organisation: access.legalName, rows, people: roster.people.length, competencies: competencies.size };
}
