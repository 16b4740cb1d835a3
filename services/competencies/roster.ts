// Who counts for an organisation, and what they hold: its active members (status 'associated')
// with MCIDs linked to it, and those MCIDs' credentials. Two `distinct` reads by organisation
// that return one short string per member and per linked MCID, because the cost of a bulk read
// on the embedded store (and in the driver) is per document returned or visited: 10,000 members
// and 50,000 records come back as two arrays of strings. Members are matched by Entra object id
// within the organisation's tenant. See bench/competencies.ts.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import { memberId, type MemberDoc } from '../people/members';
import type { OrganisationDoc } from '../organisations/organisation';
import { splitRosterLine, type McidDoc } from '../certifications/records';
import { partnerIdSchema } from '../certifications/inputs';

export interface RosterPerson {
  /** memberId: `${tenantId}:${aadObjectId}`. */
  member: string;
  tenantId: string;
  aadObjectId: string;
  /** Their MCIDs linked to this organisation. */
  mcids: string[];
  /** Credential keys (`type:code`) they hold, each once (may be shared: read-only) … */
  credentials: readonly string[];
  /** … and, at the same index, the MCID that holds it; absent when they have one MCID. */
  credentialMcids?: string[];
}

export interface Roster {
  orgId: string;
  /** Only people who are active members and have at least one linked MCID, by member id. */
  people: RosterPerson[];
  /** MCIDs linked to the organisation, counted or not (a removed member's stay linked). */
  linkedMcids: number;
}

export async function loadRoster(db: Db, orgId: string): Promise<Roster> {
  partnerIdSchema.parse(orgId); // a caller's mistake must not become a query operator
  const [org, active, lines] = await Promise.all([
    db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: orgId }, { projection: { tenantId: 1 } }),
    db.collection<MemberDoc>(collections.members).distinct('aadObjectId', { orgId, status: 'associated' }),
    db.collection<McidDoc>(collections.mcids).distinct('linked.roster', { 'linked.orgId': orgId }),
  ]);
  if (!org) return { orgId, people: [], linkedMcids: 0 };
  const activeMembers = new Set<string>(active as string[]);
  // Many people hold the same set of credentials: one parsed list per distinct set.
  const lists = new Map<string, readonly string[]>();
  // Sorting the lines sorts by person, then MCID: people come out in a stable order, and one
  // person's MCIDs are next to each other.
  const sorted = (lines as string[]).sort();
  const people: RosterPerson[] = [];
  let person: RosterPerson | undefined;
  for (const line of sorted) {
    const { aadObjectId, mcid, list } = splitRosterLine(line);
    if (!activeMembers.has(aadObjectId)) continue;
    let credentials = lists.get(list);
    if (!credentials) lists.set(list, (credentials = list ? list.split(',') : []));
    if (person?.aadObjectId !== aadObjectId) {
      person = { member: memberId(org.tenantId, aadObjectId), tenantId: org.tenantId, aadObjectId, mcids: [mcid], credentials };
      people.push(person);
      continue;
    }
    // A second MCID of the same person: add what it holds beyond the first, noting which MCID.
    const own = [...person.credentials];
    const from = person.credentialMcids ?? own.map(() => person!.mcids[0]);
    for (const key of credentials) {
      if (own.includes(key)) continue;
      own.push(key);
      from.push(mcid);
    }
    person.mcids.push(mcid);
    person.credentials = own;
    person.credentialMcids = from;
  }
  return { orgId, people, linkedMcids: sorted.length };
}
