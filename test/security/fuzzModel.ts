// Fuzzed input (issue 7), shared by test/security/fuzz.test.ts (a representative number of cases)
// and bench/security/fuzz.ts (10,000): fast-check generators for Teams activities and card
// payloads full of bad values, and the rules every answer must keep.
//
// The input space is one where nothing of tenant A's organisation may change, whoever is asking:
// users of tenant B (and a user without an Entra id) send anything, A's and B's ids included;
// tenant A's global admin sends only card payloads whose every field is of a wrong type or a
// query-operator object, and unknown verbs (a valid-looking payload from them could rightly
// change their own organisation, so it is not generated).
import fc from 'fast-check';
import type { Activity } from 'botbuilder';
import { COMMANDS } from '../../bot/commands';
import { TeamsUser, textOf } from '../support/botHarness';
import type { LocalAccount } from '../../bot/local/connector';
import { ORG_A, ORG_B, type TwoTenants } from './twoTenants';

/** Text that would mean a stack trace or internals reached the user (never generated as input). */
export const INTERNALS = /Error:|\bat [\w.<>$]+ \(|node_modules|\/work\/|\.ts:\d+|MongoServerError|E11000|TypeError|ReferenceError|something went wrong on my side/;

const BIG = 'x'.repeat(1024 * 1024 + 16); // over the server's 1 MB body limit
const LARGE = 'é'.repeat(100_000); // under it, but far longer than any field allows

const oddUnicode = fc.constantFrom(
  '\u202Eevil\u202C', '\u200B\u200C\u200D\uFEFF', 'e\u0301\u0301\u0301', '🧨💥👩‍👩‍👧‍👦', '\uD800', '\uDFFF', '\u0000', '\u0007\u001B[31m', '\r\n\r\n',
  'Ⓐⓓⓜⓘⓝ', '𝕒𝕕𝕞𝕚𝕟', 'İstanbul ı', 'ß', '<at>Bot</at>', '&nbsp;', '<script>alert(1)</script>', '${$root}', '{{t}}', "'; DROP TABLE members; --",
  '../../../etc/passwd', '%00', '\\u0000', 'null', 'undefined', 'NaN', '[object Object]', '__proto__', 'constructor',
);
const controlChars = fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), maxLength: 20 });
const anyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: oddUnicode },
  { weight: 1, arbitrary: controlChars },
  { weight: 1, arbitrary: fc.constantFrom(LARGE, `${'a'.repeat(5000)}@${'b'.repeat(300)}.example`) },
).filter((s) => !INTERNALS.test(s));

const operatorObject = fc.constantFrom<Record<string, unknown>>(
  { $gt: '' }, { $ne: null }, { $where: 'sleep(1000) || true' }, { $regex: '.*' }, { $in: [] }, { $exists: true },
  { $function: { body: 'return true', args: [], lang: 'js' } }, { $expr: { $eq: [1, 1] } }, { __proto__: { admin: true } }, { constructor: { prototype: { x: 1 } } },
);
const wrongType = fc.oneof(
  fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant([]), fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }), fc.constant(Number.MAX_SAFE_INTEGER * 4), fc.constant(-1),
);

/** Field names card payloads use; each generated payload has some of them. */
const FIELDS = [
  'requestId', 'reason', 'page', 'decision', 'invitationId', 'domain', 'addresses', 'language', 'teams', 'email', 'code', 'action', 'kind',
  'accountId', 'orgId', 'competencyId', 'role', 'displayName', 'roles', 'contactTypes', 'aadObjectId', 'note', 'command', 'phone', 'mcid',
] as const;

export type Actor = 'bAdmin' | 'bMember' | 'bNewcomer' | 'anonymous' | 'aAdmin';

export interface FuzzCase {
  actor: Actor;
  scope: 'personal' | 'groupChat' | 'channel';
  kind: string;
  fields: Partial<Activity>;
}

export function fuzzCases(fx: TwoTenants): fc.Arbitrary<FuzzCase> {
  const verbs = fx.bot.running.cardActions.verbs();
  const a = fx.a.data;
  // Other organisations' ids: A's for B's users.
  const aIds = fc.constantFrom(
    a.requestId, a.invitationId, a.roleRequestId, a.mcid, ORG_A, a.invitationCode, a.reportToken, ...a.competencyIds, ...a.memberAadObjectIds,
    'priya@fabrikam.example', 'emil@fabrikam.example', 'fabrikam.example',
  );
  const bValue = fc.oneof(
    { weight: 4, arbitrary: anyString }, { weight: 2, arbitrary: operatorObject }, { weight: 2, arbitrary: wrongType }, { weight: 3, arbitrary: aIds },
    { weight: 1, arbitrary: fc.constantFrom('en', 'fr', 'approve', 'reject', 'link', 'unlink', 'mcid', 'partnerUniversity', 'true', 'false', '0', ORG_B) },
  );
  const aValue = fc.oneof(operatorObject, wrongType);
  const payload = (value: fc.Arbitrary<unknown>) => fc.record(Object.fromEntries(FIELDS.map((f) => [f, value])) as Record<(typeof FIELDS)[number], fc.Arbitrary<unknown>>, { requiredKeys: [] })
    .chain((p) => fc.tuple(fc.constant(p), fc.option(fc.tuple(aIds, value), { nil: undefined })))
    .map(([p, tick]) => (tick ? { ...p, [`req_${tick[0]}`]: tick[1] } : p) as Record<string, unknown>);
  const unknownVerb = fc.oneof(anyString.filter((s) => !verbs.includes(s)), wrongType, operatorObject);
  const verb = (known: boolean) => (known ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...verbs) }, { weight: 1, arbitrary: unknownVerb }) : unknownVerb);

  const execute = (v: fc.Arbitrary<unknown>, data: fc.Arbitrary<unknown>) => fc.tuple(v, data).map(([verbValue, dataValue]) => ({
    kind: 'invoke adaptiveCard/action', fields: { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: verbValue, data: dataValue }, trigger: 'manual' } } as Partial<Activity>,
  }));
  const submit = (v: fc.Arbitrary<unknown>, data: fc.Arbitrary<Record<string, unknown>>) => fc.tuple(v, data).map(([verbValue, dataValue]) => ({
    kind: 'message submit', fields: { type: 'message', value: { ...dataValue, verb: verbValue } } as Partial<Activity>,
  }));

  const commandText = fc.tuple(fc.constantFrom(...COMMANDS.map((c) => c.name), 'cancel', 'skills', 'competency', '/help'), fc.oneof(anyString, aIds))
    .map(([c, rest]) => `${c} ${rest}`);
  const nonHttpsUrl = fc.oneof(anyString, fc.constantFrom('http://169.254.169.254/latest/meta-data', 'https://10.0.0.5/t.csv', 'https://127.0.0.1:1/t.csv', 'file:///etc/passwd', 'ftp://x/t.csv', 'javascript:alert(1)'));
  const bActivity = fc.oneof(
    { weight: 4, arbitrary: fc.oneof(anyString, commandText).map((text) => ({ kind: 'message text', fields: { type: 'message', text } as Partial<Activity> })) },
    { weight: 4, arbitrary: execute(verb(true), fc.oneof({ weight: 5, arbitrary: payload(bValue) }, { weight: 1, arbitrary: bValue })) },
    { weight: 3, arbitrary: submit(verb(true), payload(bValue)) },
    { weight: 1, arbitrary: payload(bValue).map((p) => ({ kind: 'message stale form', fields: { type: 'message', value: { form: 'association.profile', ...p } } as Partial<Activity> })) },
    { weight: 1, arbitrary: bValue.map((value) => ({ kind: 'message odd value', fields: { type: 'message', value, text: undefined } as Partial<Activity> })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('text/csv', 'application/vnd.microsoft.teams.file.download.info', 'image/png', 'application/vnd.microsoft.card.adaptive'), nonHttpsUrl, anyString).map(([contentType, url, name]) => ({
      kind: 'message attachment', fields: { type: 'message', text: '', attachments: [{ contentType, contentUrl: url, name: `${name}.csv`, content: { downloadUrl: url, fileType: 'csv', uniqueId: name } }] } as Partial<Activity>,
    })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('composeExtension/query', 'task/fetch', 'signin/verifyState', 'adaptiveCard/action', 'fileConsent/invoke', ''), bValue).map(([name, value]) => ({ kind: `invoke ${name || '(no name)'}`, fields: { type: 'invoke', name, value } as Partial<Activity> })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('conversationUpdate', 'installationUpdate', 'messageReaction', 'typing', 'event', 'endOfConversation', 'messageUpdate', 'messageDelete'), fc.oneof(fc.constantFrom('add', 'remove'), bValue), bValue).map(([type, action, extra]) => ({
      kind: type, fields: { type, action, membersAdded: [{ id: 'bot', name: 'Bot' }, { id: 'x', aadObjectId: extra }], reactionsAdded: [{ type: extra }], name: extra, value: extra } as unknown as Partial<Activity>,
    })) },
    { weight: 1, arbitrary: fc.tuple(bValue, bValue).map(([type, text]) => ({ kind: 'odd activity type', fields: { type, text } as unknown as Partial<Activity> })) },
    { weight: 1, arbitrary: fc.tuple(bValue, anyString).map(([tenant, text]) => ({ kind: 'message odd tenant', fields: { type: 'message', text, channelData: { tenant: { id: tenant } } } as Partial<Activity> })) },
  );
  const aActivity = fc.oneof(
    execute(verb(true), fc.oneof({ weight: 5, arbitrary: payload(aValue).filter((p) => Object.keys(p).some((k) => !k.startsWith('req_'))) }, { weight: 1, arbitrary: aValue })),
    submit(verb(true), payload(aValue).filter((p) => Object.keys(p).some((k) => !k.startsWith('req_')))),
    execute(unknownVerb, payload(bValue)),
  );
  const scope = fc.constantFrom<FuzzCase['scope']>('personal', 'personal', 'groupChat', 'channel');
  return fc.oneof(
    { weight: 24, arbitrary: fc.tuple(fc.constantFrom<Actor>('bAdmin', 'bMember', 'bNewcomer', 'anonymous'), scope, bActivity).map(([actor, s, act]) => ({ actor, scope: s, ...act })) },
    { weight: 8, arbitrary: fc.tuple(scope, aActivity).map(([s, act]) => ({ actor: 'aAdmin' as const, scope: s, ...act })) },
    { weight: 1, arbitrary: fc.constantFrom<FuzzCase>({ actor: 'bMember', scope: 'personal', kind: 'message 1 MB text', fields: { type: 'message', text: BIG } }) },
  );
}

export interface CaseResult { status: number; shown: string[]; invoke?: { statusCode?: number; type?: string; value?: unknown } }

let conversationSequence = 0;

/** Plays one case in a conversation of its own (so dialog state never carries over between cases). */
export async function playCase(fx: TwoTenants, c: FuzzCase): Promise<CaseResult> {
  const connector = fx.bot.running.connector!;
  const accounts: Record<Actor, LocalAccount> = {
    bAdmin: fx.b.admin.account, bMember: fx.b.member.account, bNewcomer: fx.b.newcomer.account, aAdmin: fx.a.admin.account,
    anonymous: { ...fx.b.newcomer.account, aadObjectId: undefined } as unknown as LocalAccount,
  };
  const account = accounts[c.actor];
  const type = c.scope === 'channel' ? 'channel' : c.scope;
  const conversation = connector.conversation(`fuzz-${c.scope}-${++conversationSequence}`, type as never, account.tenantId!, [account]);
  const user = new TeamsUser(fx.bot.url, connector, account, conversation);
  const result = await user.send(c.fields);
  const body = result.body as { statusCode?: number; type?: string; value?: unknown } | undefined;
  return {
    status: result.status,
    shown: result.replies.map((r) => `${textOf(r)} ${JSON.stringify(r.attachments ?? [])}`),
    invoke: c.fields.type === 'invoke' && c.fields.name === 'adaptiveCard/action' ? body : undefined,
  };
}

/** The rules every answer keeps; returns what is wrong (empty when all hold). */
export function problemsWith(c: FuzzCase, r: CaseResult): string[] {
  const problems: string[] = [];
  if (r.status >= 500) problems.push(`HTTP ${r.status}`);
  for (const text of r.shown) if (INTERNALS.test(text)) problems.push(`internals shown: ${text.slice(0, 300)}`);
  if (r.invoke) {
    if ((r.invoke.statusCode ?? 200) >= 500) problems.push(`invoke status ${r.invoke.statusCode}`);
    const value = r.invoke.value;
    const words = typeof value === 'string' ? value : (value as { message?: unknown } | undefined)?.message;
    if (r.invoke.type !== 'application/vnd.microsoft.card.adaptive' && (typeof words !== 'string' || !words.trim())) problems.push(`invoke answered without a message: ${JSON.stringify(r.invoke).slice(0, 200)}`);
    if (typeof words === 'string' && INTERNALS.test(words)) problems.push(`internals in the invoke answer: ${words.slice(0, 300)}`);
  }
  // A signed-in user's message always gets an answer they can read.
  const textMessage = c.fields.type === 'message' && c.actor !== 'anonymous' && r.status === 200;
  if (textMessage && !r.shown.some((s) => s.trim())) problems.push('a message got no answer');
  return problems;
}
