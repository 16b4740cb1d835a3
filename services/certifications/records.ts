// The certification directory's documents (DESIGN §3: exam records come from a directory that
// is a port with one implementation, MongoDB filled from transcript CSVs).
//
// - certificationRecords: one document per record, keyed by its natural key
//   (MCID + type + code + date), so importing the same transcript twice changes nothing.
// - mcids: one document per MCID. It carries the MCID's credentials (type:code, sorted) and
//   where the MCID is linked. While linked, `linked.roster` repeats who holds it and what it
//   holds in one string, so competency evaluation reads an organisation with one `distinct` on
//   one scalar field: the cheapest bulk read on the embedded store (whose cost is per document
//   visited) and on MongoDB alike. Every write that changes the link or the credentials is
//   guarded by both revisions and rewrites that string, so it is never stale.
export const CERTIFICATION_TYPES = ['exam', 'certification', 'assessment'] as const;
export type CertificationType = (typeof CERTIFICATION_TYPES)[number];

export interface CertificationRecord {
  mcid: string;
  /** The address on the certification profile (lower case); where ownership codes are sent. */
  email: string;
  name: string;
  type: CertificationType;
  /** Upper case, e.g. AZ-104. */
  code: string;
  title: string;
  /** The day it was passed or earned, at 00:00 UTC. */
  date: Date;
}

export interface CertificationRecordDoc extends CertificationRecord {
  _id: string;
  importedAt: Date;
  /** The Partner ID whose admin imported it first (provenance only). */
  importedFor?: string;
}

/** Where an MCID or a Partner University account is linked: one organisation at a time. */
export interface LinkedState {
  orgId: string;
  tenantId: string;
  aadObjectId: string;
  /** memberId(tenantId, aadObjectId). */
  member: string;
  at: Date;
  /** MCIDs only: rosterLine(aadObjectId, mcid, credentials). */
  roster?: string;
}

/** Fields shared by every linkable account document (MCIDs, Partner University accounts). */
export interface LinkableDoc {
  _id: string;
  linked?: LinkedState;
  /** When recent new associations were started (only the last few are kept). */
  associations?: Date[];
  /** Bumped by every link state change; guards them against each other. */
  rev?: number;
}

export interface McidDoc extends LinkableDoc {
  holder: { name: string; email: string };
  /** `type:code` of every record of this MCID, sorted, each once. */
  credentials: string[];
  /** Bumped by every credential change; guards concurrent imports against each other. */
  credRev: number;
}

/** YYYY-MM-DD in UTC (by hand: toISOString costs more, and reports call this per row). */
export function isoDay(date: Date): string {
  const m = date.getUTCMonth() + 1;
  const d = date.getUTCDate();
  return `${date.getUTCFullYear()}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export const credentialKey = (type: string, code: string): string => `${type}:${code}`;

export const recordKey = (r: Pick<CertificationRecord, 'mcid' | 'type' | 'code' | 'date'>): string =>
  `${r.mcid}|${r.type}|${r.code}|${isoDay(r.date)}`;

/**
 * Who holds a linked MCID and what it holds: `${aadObjectId}|${mcid}|${credentials joined by ','}`.
 * The holder's tenant is the organisation's (a link needs a membership in it), so it is left out:
 * the shorter the line, the cheaper an organisation's roster is to read.
 */
export const rosterLine = (aadObjectId: string, mcid: string, credentials: readonly string[]): string =>
  `${aadObjectId}|${mcid}|${credentials.join(',')}`;

/** A roster line's parts; the credential list stays joined (many people share the same list). */
export function splitRosterLine(line: string): { aadObjectId: string; mcid: string; list: string } {
  const first = line.indexOf('|');
  const second = line.indexOf('|', first + 1);
  return { aadObjectId: line.slice(0, first), mcid: line.slice(first + 1, second), list: line.slice(second + 1) };
}
