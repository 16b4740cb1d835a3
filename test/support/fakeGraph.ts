// A local fake of Microsoft Graph and the Entra token endpoint, over real HTTP on 127.0.0.1, so
// the directory code (and later end-to-end tests) run through the real graph-client unchanged.
//
// - Tenants hold users, global admins, the Teams app catalog, app installations (each with the
//   bot's 1:1 chat) and sent mail. Tests seed them with the helpers and inspect `tenants`.
// - The token endpoint checks client id, secret, scope and that the tenant exists and consented;
//   Graph calls must carry a token it issued, and are served from that token's tenant only.
// - Every request is recorded (`requests`), with what was answered.
// - failNext() makes the next N calls to a path answer 429 / 503 (with Retry-After, default 0 so
//   the graph-client's retry does not slow tests), 500, 403 or any status.
// - $filter supports eq / ne / and / or / not / parentheses over strings, numbers, null and
//   booleans, like Graph, and deliberately also evaluates `1 eq 1`: a filter built without
//   escaping would really leak every user here, so injection tests mean something.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DirectoryOptions } from '../../services/directory';

export const GLOBAL_ADMIN_TEMPLATE_ID = '62e90394-69f5-4237-9190-012177145e10';
/** The bot's app id in every fake tenant's Teams app catalog. */
export const FAKE_TEAMS_APP_ID = 'b8c7a3f2-5d1e-4f6a-9b0c-2e3d4f5a6b7c';
export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

export interface FakeUser {
  id: string;
  displayName: string | null;
  mail: string | null;
  userPrincipalName: string;
  givenName: string | null;
  surname: string | null;
  jobTitle: string | null;
  accountEnabled: boolean;
  mailNickname: string;
  usageLocation: string | null;
  /** Only set for users created through POST /users: what the bot sent. */
  passwordProfile?: { password: string; forceChangePasswordNextSignIn: boolean };
}

/** A non-user role member (service principal, group), as Graph lists them among users. */
export interface FakeDirectoryObject {
  id: string;
  '@odata.type': string;
  displayName: string;
}

export interface FakeInstallation {
  id: string;
  userId: string;
  teamsAppId: string;
  chatId: string;
}

export interface FakeSentMail {
  sender: string;
  subject: string;
  contentType: string;
  content: string;
  to: string[];
  cc: string[];
  saveToSentItems: boolean | undefined;
}

export interface FakeTenant {
  id: string;
  /** False: the token endpoint answers AADSTS700016 (app not consented in this tenant). */
  consented: boolean;
  users: FakeUser[];
  /** Object ids holding Global Administrator: users or entries of otherObjects. */
  globalAdminIds: string[];
  otherObjects: FakeDirectoryObject[];
  catalogAppIds: string[];
  installations: FakeInstallation[];
  sentMail: FakeSentMail[];
}

export interface RecordedRequest {
  kind: 'token' | 'graph';
  method: string;
  /** Decoded path without the Graph version, e.g. /users/abc/sendMail; for tokens /{tenant}/oauth2/v2.0/token. */
  path: string;
  /** Decoded query parameters, keys lower-cased ($filter, $select…). */
  query: Record<string, string>;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Token requests: the tenant in the URL. Graph requests: the tenant of the bearer token. */
  tenantId?: string;
  status: number;
  response?: unknown;
}

export interface Fault {
  status: number;
  /** How many of the next matching calls fail; default 1. */
  times?: number;
  /** Retry-After on 429/503 answers; default 0. */
  retryAfterSeconds?: number;
  /** Only calls with this method; default any. */
  method?: string;
  /** Only calls for this tenant (the token's tenant, or the token URL's); default any. */
  tenantId?: string;
  code?: string;
  message?: string;
}

export interface FakeGraphOptions {
  clientId?: string;
  clientSecret?: string;
  tokenLifetimeSeconds?: number;
  /** Page size of collections that page (role members, users); default 100. */
  pageSize?: number;
}

export interface FakeGraph {
  /** Graph base URL including the version, e.g. http://127.0.0.1:PORT/v1.0 */
  baseUrl: string;
  /** Token endpoint template with {tenant}. */
  tokenUrlTemplate: string;
  clientId: string;
  clientSecret: string;
  teamsAppId: string;
  tenants: Map<string, FakeTenant>;
  requests: RecordedRequest[];
  /** Every access token issued, so tests can check none leaked into logs. */
  issuedTokens: string[];
  graphRequests(): RecordedRequest[];
  tokenRequests(tenantId?: string): RecordedRequest[];
  addTenant(tenantId: string, options?: { consented?: boolean }): FakeTenant;
  tenant(tenantId: string): FakeTenant;
  addUser(tenantId: string, user: Partial<FakeUser> & { userPrincipalName: string }): FakeUser;
  addGlobalAdmin(tenantId: string, user: FakeUser | string): void;
  addServicePrincipalAdmin(tenantId: string, displayName: string): FakeDirectoryObject;
  installApp(tenantId: string, userId: string, teamsAppId?: string): FakeInstallation;
  /** The next calls whose path equals (case-insensitively) or matches `path` answer with the fault. */
  failNext(path: string | RegExp, fault: Fault): void;
  /** Disarms every fault not yet used up. */
  clearFaults(): void;
  /** Makes every issued token invalid (Graph answers 401), as after a key rollover. */
  revokeTokens(): void;
  /** Options for createDirectory() pointing at this fake. */
  directoryOptions(extra?: Partial<DirectoryOptions>): DirectoryOptions;
  close(): Promise<void>;
}

interface IssuedToken {
  tenantId: string;
  expiresAt: number;
}

interface PendingFault extends Fault {
  path: string | RegExp;
  remaining: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const VERSION = 'v1.0';

export async function startFakeGraph(options: FakeGraphOptions = {}): Promise<FakeGraph> {
  const clientId = options.clientId ?? randomUUID();
  const clientSecret = options.clientSecret ?? `fake-secret-${randomBytes(12).toString('hex')}`;
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const pageSize = options.pageSize ?? 100;
  const tenants = new Map<string, FakeTenant>();
  const tokens = new Map<string, IssuedToken>();
  const faults: PendingFault[] = [];
  const requests: RecordedRequest[] = [];
  const issuedTokens: string[] = [];
  let baseUrl = '';

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  baseUrl = `${origin}/${VERSION}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const segments = url.pathname.split('/').filter(Boolean).map(safeDecode);
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) query[key.toLowerCase()] = value;
    const raw = await readBody(req);
    const isToken = segments.length === 4 && segments[1] === 'oauth2' && segments[2] === 'v2.0' && segments[3] === 'token';
    const graphSegments = segments[0] === VERSION ? segments.slice(1) : segments;
    const record: RecordedRequest = {
      kind: isToken ? 'token' : 'graph',
      method: req.method ?? 'GET',
      path: '/' + (isToken ? segments : graphSegments).join('/'),
      query,
      url: req.url ?? '/',
      headers: req.headers,
      body: raw,
      tenantId: isToken ? segments[0] : undefined,
      status: 0,
    };
    requests.push(record);
    const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      record.response = body;
      const payload = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, { ...(payload ? { 'content-type': 'application/json' } : {}), 'content-length': Buffer.byteLength(payload), ...headers });
      res.end(payload);
    };
    try {
      const body = parseBody(req, raw);
      record.body = body;
      if (isToken) {
        const fault = takeFault(record);
        if (fault) throw faultError(fault);
        reply(200, issueToken(segments[0], body));
        return;
      }
      // Graph checks the token first, then throttles or refuses.
      const tenant = authenticate(req.headers.authorization);
      record.tenantId = tenant.id;
      const fault = takeFault(record);
      if (fault) throw faultError(fault, route(record.method, graphSegments)?.forbidden);
      const matched = route(record.method, graphSegments);
      if (!matched) throw new HttpError(400, 'BadRequest', `The fake Graph server does not serve ${record.method} ${record.path}`);
      const result = matched.run(tenant, matched.params, query, body);
      reply(result.status, result.body);
    } catch (err) {
      if (err instanceof HttpError) {
        const requestId = randomUUID();
        const body = isToken
          ? { error: err.code, error_description: err.message, error_codes: aadCodes(err.message) }
          : { error: { code: err.code, message: err.message, innerError: { date: new Date().toISOString(), 'request-id': requestId, 'client-request-id': requestId } } };
        reply(err.status, body, { 'request-id': requestId, ...err.headers });
      } else {
        reply(500, { error: { code: 'InternalServerError', message: `fake Graph bug: ${(err as Error).message}` } });
      }
    }
  }

  // ---- faults ----------------------------------------------------------------------------

  function takeFault({ method, path, tenantId }: RecordedRequest): PendingFault | undefined {
    const fault = faults.find(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method.toUpperCase() === method) &&
        (!f.tenantId || f.tenantId === tenantId) &&
        (typeof f.path === 'string' ? f.path.toLowerCase() === path.toLowerCase() : f.path.test(path)),
    );
    if (fault) fault.remaining--;
    return fault;
  }

  function faultError(fault: PendingFault, forbidden?: { code: string; message: string }): HttpError {
    const headers: Record<string, string> = {};
    if (fault.status === 429 || fault.status === 503) headers['retry-after'] = String(fault.retryAfterSeconds ?? 0);
    const defaults: Record<number, [string, string]> = {
      429: ['TooManyRequests', 'Too many requests.'],
      500: ['InternalServerError', 'An internal server error occurred.'],
      503: ['ServiceUnavailable', 'The service is temporarily unavailable.'],
      403: [forbidden?.code ?? 'Authorization_RequestDenied', forbidden?.message ?? 'Insufficient privileges to complete the operation.'],
    };
    const [code, message] = defaults[fault.status] ?? ['Fault', `Injected ${fault.status}.`];
    return new HttpError(fault.status, fault.code ?? code, fault.message ?? message, headers);
  }

  // ---- tokens ----------------------------------------------------------------------------

  function issueToken(tenantId: string, body: unknown) {
    const form = (body ?? {}) as Record<string, string>;
    if (form.grant_type !== 'client_credentials') throw new HttpError(400, 'unsupported_grant_type', 'AADSTS70003: The grant type is not supported.');
    if (form.client_id !== clientId) throw new HttpError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${form.client_id}' was not found in the directory.`);
    if (form.client_secret !== clientSecret) throw new HttpError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    if (form.scope !== GRAPH_DEFAULT_SCOPE) throw new HttpError(400, 'invalid_scope', 'AADSTS70011: The provided value for the input parameter scope is not valid.');
    const tenant = tenants.get(tenantId);
    if (!tenant) throw new HttpError(400, 'invalid_request', `AADSTS90002: Tenant '${tenantId}' not found.`);
    if (!tenant.consented) throw new HttpError(400, 'unauthorized_client', 'AADSTS700016: Application was not found in the directory. The tenant administrator has not consented.');
    const accessToken = `fake-at-${randomBytes(24).toString('base64url')}`;
    tokens.set(accessToken, { tenantId, expiresAt: Date.now() + lifetime * 1000 });
    issuedTokens.push(accessToken);
    return { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken };
  }

  function authenticate(header: string | undefined): FakeTenant {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token) throw new HttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const issued = tokens.get(token);
    if (!issued) throw new HttpError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    if (Date.now() >= issued.expiresAt) throw new HttpError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
    const tenant = tenants.get(issued.tenantId);
    if (!tenant) throw new HttpError(401, 'InvalidAuthenticationToken', 'Token tenant no longer exists.');
    return tenant;
  }

  // ---- routes ----------------------------------------------------------------------------

  type Run = (tenant: FakeTenant, params: string[], query: Record<string, string>, body: unknown) => { status: number; body?: unknown };
  interface Route {
    method: string;
    pattern: (string | null)[];
    forbidden: { code: string; message: string };
    run: Run;
  }
  const directoryDenied = { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' };
  const mailDenied = { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' };
  const teamsDenied = {
    code: 'Forbidden',
    message: "Missing role permissions on the request. API requires one of 'TeamsAppInstallation.ReadWriteSelfForUser.All, TeamsAppInstallation.ReadWriteForUser.All'. Roles on the request ''.",
  };
  const ROLE_MEMBERS = new RegExp(`^directoryRoles\\(roleTemplateId='([^']*)'\\)$`, 'i');

  // null in a pattern captures one segment.
  const routes: Route[] = [
    { method: 'GET', pattern: ['users'], forbidden: directoryDenied, run: listUsers },
    { method: 'POST', pattern: ['users'], forbidden: directoryDenied, run: createUser },
    { method: 'GET', pattern: ['users', null], forbidden: directoryDenied, run: (t, [id], q) => ({ status: 200, body: project(userOr404(t, id), q) }) },
    { method: 'POST', pattern: ['users', null, 'sendMail'], forbidden: mailDenied, run: sendMail },
    { method: 'GET', pattern: ['users', null, 'teamwork', 'installedApps'], forbidden: teamsDenied, run: listInstallations },
    { method: 'POST', pattern: ['users', null, 'teamwork', 'installedApps'], forbidden: teamsDenied, run: install },
    { method: 'GET', pattern: ['users', null, 'teamwork', 'installedApps', null, 'chat'], forbidden: teamsDenied, run: installationChat },
    { method: 'GET', pattern: [null, 'members'], forbidden: directoryDenied, run: roleMembers },
  ];

  function route(method: string, segments: string[]): { run: Run; params: string[]; forbidden: Route['forbidden'] } | undefined {
    for (const r of routes) {
      if (r.method !== method || r.pattern.length !== segments.length) continue;
      const params: string[] = [];
      const ok = r.pattern.every((p, i) => (p === null ? (params.push(segments[i]), true) : p.toLowerCase() === segments[i].toLowerCase()));
      if (ok) return { run: r.run, params, forbidden: r.forbidden };
    }
    return undefined;
  }

  function listUsers(tenant: FakeTenant, _params: string[], query: Record<string, string>) {
    const matches = filterBy(tenant.users, query.$filter);
    const top = query.$top ? Number(query.$top) : pageSize;
    return { status: 200, body: { '@odata.context': `${baseUrl}/$metadata#users`, value: matches.slice(0, top).map((u) => project(u, query)) } };
  }

  function createUser(tenant: FakeTenant, _params: string[], _query: Record<string, string>, body: unknown) {
    const input = requireJson(body);
    const password = (input.passwordProfile as { password?: unknown } | undefined)?.password;
    const forceChange = (input.passwordProfile as { forceChangePasswordNextSignIn?: unknown } | undefined)?.forceChangePasswordNextSignIn;
    for (const [name, ok] of [
      ['accountEnabled', typeof input.accountEnabled === 'boolean'],
      ['displayName', typeof input.displayName === 'string' && input.displayName !== ''],
      ['mailNickname', typeof input.mailNickname === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(input.mailNickname)],
      ['userPrincipalName', typeof input.userPrincipalName === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.userPrincipalName)],
      ['passwordProfile', typeof password === 'string'],
    ] as const) {
      if (!ok) throw new HttpError(400, 'Request_BadRequest', `Invalid value specified for property '${name}' of resource 'User'.`);
    }
    const upn = input.userPrincipalName as string;
    if (tenant.users.some((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase())) {
      throw new HttpError(400, 'Request_BadRequest', 'Another object with the same value for property userPrincipalName already exists.');
    }
    if (!complexEnough(password as string)) {
      throw new HttpError(400, 'Request_BadRequest', 'The specified password does not comply with password complexity requirements. Please provide a different password.');
    }
    const user = addUser(tenant.id, {
      userPrincipalName: upn,
      displayName: input.displayName as string,
      mailNickname: input.mailNickname as string,
      mail: null,
      givenName: (input.givenName as string | undefined) ?? null,
      surname: (input.surname as string | undefined) ?? null,
      jobTitle: (input.jobTitle as string | undefined) ?? null,
      usageLocation: (input.usageLocation as string | undefined) ?? null,
      accountEnabled: input.accountEnabled as boolean,
      passwordProfile: { password: password as string, forceChangePasswordNextSignIn: forceChange === true },
    });
    return { status: 201, body: { '@odata.context': `${baseUrl}/$metadata#users/$entity`, ...publicUser(user), passwordProfile: null } };
  }

  function sendMail(tenant: FakeTenant, [senderId]: string[], _query: Record<string, string>, body: unknown) {
    const sender = findUser(tenant, senderId);
    if (!sender) throw new HttpError(404, 'ErrorInvalidUser', `The requested user '${senderId}' is invalid.`);
    const input = requireJson(body);
    const message = input.message as Record<string, unknown> | undefined;
    const addresses = (list: unknown): string[] | null =>
      Array.isArray(list) && list.every((r) => typeof (r as { emailAddress?: { address?: unknown } })?.emailAddress?.address === 'string')
        ? list.map((r) => (r as { emailAddress: { address: string } }).emailAddress.address)
        : null;
    const to = addresses(message?.toRecipients);
    const cc = message?.ccRecipients === undefined ? [] : addresses(message.ccRecipients);
    const content = message?.body as { contentType?: unknown; content?: unknown } | undefined;
    if (!message || !to || to.length === 0 || !cc || typeof content?.content !== 'string' || typeof message.subject !== 'string') {
      throw new HttpError(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid., A message can\'t be sent because it contains no recipients.');
    }
    tenant.sentMail.push({
      sender: sender.userPrincipalName,
      subject: message.subject,
      contentType: String(content.contentType ?? 'Text'),
      content: content.content,
      to,
      cc,
      saveToSentItems: typeof input.saveToSentItems === 'boolean' ? input.saveToSentItems : undefined,
    });
    return { status: 202 };
  }

  function install(tenant: FakeTenant, [userKey]: string[], _query: Record<string, string>, body: unknown) {
    const user = userOr404(tenant, userKey);
    const bind = requireJson(body)['teamsApp@odata.bind'];
    const appId = typeof bind === 'string' ? /\/appCatalogs\/teamsApps\/([^/?#]+)$/.exec(bind)?.[1] : undefined;
    if (!appId) throw new HttpError(400, 'BadRequest', 'teamsApp@odata.bind is missing or malformed.');
    const teamsAppId = safeDecode(appId);
    if (!tenant.catalogAppIds.includes(teamsAppId)) throw new HttpError(404, 'NotFound', 'The app is not in the app catalog.');
    if (tenant.installations.some((i) => i.userId === user.id && i.teamsAppId === teamsAppId)) {
      throw new HttpError(409, 'Conflict', 'App is already installed.');
    }
    installApp(tenant.id, user.id, teamsAppId);
    return { status: 201 };
  }

  function listInstallations(tenant: FakeTenant, [userKey]: string[], query: Record<string, string>) {
    const user = userOr404(tenant, userKey);
    const expand = (query.$expand ?? '').split(',').map((s) => s.trim().toLowerCase());
    const views = tenant.installations
      .filter((i) => i.userId === user.id)
      .map((i) => ({
        id: i.id,
        teamsApp: { id: i.teamsAppId, externalId: i.teamsAppId, displayName: 'MPN Association Bot', distributionMethod: 'organization' },
        teamsAppDefinition: { id: Buffer.from(`${i.teamsAppId}##1.0.0`).toString('base64'), teamsAppId: i.teamsAppId, displayName: 'MPN Association Bot', version: '1.0.0' },
      }));
    const value = filterBy(views, query.$filter).map((v) => ({
      id: v.id,
      ...(expand.includes('teamsapp') ? { teamsApp: v.teamsApp } : {}),
      ...(expand.includes('teamsappdefinition') ? { teamsAppDefinition: v.teamsAppDefinition } : {}),
    }));
    return { status: 200, body: { '@odata.context': `${baseUrl}/$metadata#users('${user.id}')/teamwork/installedApps`, value } };
  }

  function installationChat(tenant: FakeTenant, [userKey, installationId]: string[]) {
    const user = userOr404(tenant, userKey);
    const installation = tenant.installations.find((i) => i.userId === user.id && i.id === installationId);
    if (!installation) throw new HttpError(404, 'NotFound', 'The installation was not found.');
    return { status: 200, body: { id: installation.chatId, topic: null, chatType: 'oneOnOne', tenantId: tenant.id } };
  }

  function roleMembers(tenant: FakeTenant, [roleKey]: string[], query: Record<string, string>) {
    const templateId = ROLE_MEMBERS.exec(roleKey)?.[1];
    if (templateId !== GLOBAL_ADMIN_TEMPLATE_ID) throw new HttpError(404, 'Request_ResourceNotFound', `Resource '${roleKey}' does not exist.`);
    const members = tenant.globalAdminIds
      .map((id) => {
        const user = tenant.users.find((u) => u.id === id);
        if (user) return { '@odata.type': '#microsoft.graph.user', ...project(user, query) };
        return tenant.otherObjects.find((o) => o.id === id);
      })
      .filter((m) => m !== undefined);
    const offset = Number(query.$skiptoken ?? 0);
    const page = members.slice(offset, offset + pageSize);
    const next = offset + pageSize < members.length ? offset + pageSize : undefined;
    const nextQuery = new URLSearchParams({ ...(query.$select ? { $select: query.$select } : {}), $skiptoken: String(next) });
    return {
      status: 200,
      body: {
        '@odata.context': `${baseUrl}/$metadata#directoryObjects`,
        ...(next !== undefined ? { '@odata.nextLink': `${baseUrl}/${roleKey}/members?${nextQuery}` } : {}),
        value: page,
      },
    };
  }

  // ---- model helpers -----------------------------------------------------------------------

  function findUser(tenant: FakeTenant, key: string): FakeUser | undefined {
    const lower = key.toLowerCase();
    return tenant.users.find((u) => u.id === key || u.userPrincipalName.toLowerCase() === lower);
  }

  function userOr404(tenant: FakeTenant, key: string): FakeUser {
    const user = findUser(tenant, key);
    if (!user) throw new HttpError(404, 'Request_ResourceNotFound', `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
    return user;
  }

  function addTenant(tenantId: string, opts: { consented?: boolean } = {}): FakeTenant {
    const existing = tenants.get(tenantId);
    if (existing) {
      if (opts.consented !== undefined) existing.consented = opts.consented;
      return existing;
    }
    const tenant: FakeTenant = {
      id: tenantId,
      consented: opts.consented ?? true,
      users: [],
      globalAdminIds: [],
      otherObjects: [],
      catalogAppIds: [FAKE_TEAMS_APP_ID],
      installations: [],
      sentMail: [],
    };
    tenants.set(tenantId, tenant);
    return tenant;
  }

  function tenant(tenantId: string): FakeTenant {
    const t = tenants.get(tenantId);
    if (!t) throw new Error(`fake Graph: no tenant ${tenantId}; call addTenant first`);
    return t;
  }

  function addUser(tenantId: string, user: Partial<FakeUser> & { userPrincipalName: string }): FakeUser {
    const local = user.userPrincipalName.split('@')[0];
    const created: FakeUser = {
      id: user.id ?? randomUUID(),
      displayName: user.displayName ?? local,
      mail: user.mail === undefined ? user.userPrincipalName : user.mail,
      userPrincipalName: user.userPrincipalName,
      givenName: user.givenName ?? null,
      surname: user.surname ?? null,
      jobTitle: user.jobTitle ?? null,
      accountEnabled: user.accountEnabled ?? true,
      mailNickname: user.mailNickname ?? local.replace(/[^A-Za-z0-9._-]/g, ''),
      usageLocation: user.usageLocation ?? null,
      ...(user.passwordProfile ? { passwordProfile: user.passwordProfile } : {}),
    };
    tenant(tenantId).users.push(created);
    return created;
  }

  function installApp(tenantId: string, userId: string, teamsAppId = FAKE_TEAMS_APP_ID): FakeInstallation {
    const installation: FakeInstallation = {
      // Real installation ids are base64 and may hold '/', '+' and '='; so do these.
      id: Buffer.from(`${userId}##${teamsAppId}##${randomBytes(3).toString('hex')}`).toString('base64'),
      userId,
      teamsAppId,
      chatId: `19:${userId}_${clientId}@unq.gbl.spaces`,
    };
    tenant(tenantId).installations.push(installation);
    return installation;
  }

  return {
    baseUrl,
    tokenUrlTemplate: `${origin}/{tenant}/oauth2/v2.0/token`,
    clientId,
    clientSecret,
    teamsAppId: FAKE_TEAMS_APP_ID,
    tenants,
    requests,
    issuedTokens,
    graphRequests: () => requests.filter((r) => r.kind === 'graph'),
    tokenRequests: (tenantId) => requests.filter((r) => r.kind === 'token' && (tenantId === undefined || r.tenantId === tenantId)),
    addTenant,
    tenant,
    addUser,
    addGlobalAdmin(tenantId, user) {
      tenant(tenantId).globalAdminIds.push(typeof user === 'string' ? user : user.id);
    },
    addServicePrincipalAdmin(tenantId, displayName) {
      const object = { id: randomUUID(), '@odata.type': '#microsoft.graph.servicePrincipal', displayName };
      const t = tenant(tenantId);
      t.otherObjects.push(object);
      t.globalAdminIds.push(object.id);
      return object;
    },
    installApp,
    failNext(path, fault) {
      faults.push({ ...fault, path, remaining: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    revokeTokens() {
      tokens.clear();
    },
    directoryOptions(extra = {}) {
      return { clientId, clientSecret, tokenUrlTemplate: `${origin}/{tenant}/oauth2/v2.0/token`, graphBaseUrl: baseUrl, teamsCatalogAppId: FAKE_TEAMS_APP_ID, ...extra };
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

// ---- HTTP helpers ------------------------------------------------------------------------

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(req: IncomingMessage, raw: string): unknown {
  if (raw === '') return undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(raw));
  if (type === 'application/json') {
    try {
      return JSON.parse(raw);
    } catch {
      throw new HttpError(400, 'BadRequest', 'Unable to read JSON request payload.');
    }
  }
  throw new HttpError(415, 'UnsupportedMediaType', `Unsupported content type '${type}'.`);
}

function requireJson(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  return body as Record<string, unknown>;
}

function aadCodes(message: string): number[] {
  const code = /^AADSTS(\d+)/.exec(message)?.[1];
  return code ? [Number(code)] : [];
}

function complexEnough(password: string): boolean {
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  return password.length >= 8 && password.length <= 256 && classes >= 3;
}

function publicUser(user: FakeUser): Record<string, unknown> {
  const { passwordProfile: _hidden, mailNickname: _nick, ...rest } = user;
  return rest;
}

/** Applies $select (id always kept), as Graph does. */
function project(user: FakeUser, query: Record<string, string>): Record<string, unknown> {
  const all = publicUser(user);
  if (!query.$select) return all;
  const fields = new Set(['id', ...query.$select.split(',').map((f) => f.trim())]);
  return Object.fromEntries(Object.entries(all).filter(([key]) => fields.has(key)));
}

// ---- $filter -----------------------------------------------------------------------------

type Value = string | number | boolean | null;
type Expr = (item: unknown) => Value;
type Token = { kind: 'str' | 'num' | 'word' | '(' | ')'; text: string };

function filterBy<T>(items: T[], filter: string | undefined): T[] {
  if (filter === undefined || filter.trim() === '') return items;
  const predicate = parseFilter(filter);
  return items.filter((item) => predicate(item) === true);
}

function parseFilter(source: string): Expr {
  const tokens = tokenize(source);
  let pos = 0;
  const peekWord = (word: string) => tokens[pos]?.kind === 'word' && tokens[pos].text.toLowerCase() === word;
  const fail = (why: string): never => {
    throw new HttpError(400, 'BadRequest', `Invalid filter clause: ${why}`);
  };

  const orExpr = (): Expr => {
    let left = andExpr();
    while (peekWord('or')) {
      pos++;
      const l = left;
      const r = andExpr();
      left = (item) => l(item) === true || r(item) === true;
    }
    return left;
  };
  const andExpr = (): Expr => {
    let left = notExpr();
    while (peekWord('and')) {
      pos++;
      const l = left;
      const r = notExpr();
      left = (item) => l(item) === true && r(item) === true;
    }
    return left;
  };
  const notExpr = (): Expr => {
    if (peekWord('not')) {
      pos++;
      const inner = notExpr();
      return (item) => inner(item) !== true;
    }
    return comparison();
  };
  const comparison = (): Expr => {
    if (tokens[pos]?.kind === '(') {
      pos++;
      const inner = orExpr();
      if (tokens[pos++]?.kind !== ')') fail("expected ')'");
      return inner;
    }
    const left = operand();
    const op = tokens[pos]?.kind === 'word' ? tokens[pos].text.toLowerCase() : '';
    if (op !== 'eq' && op !== 'ne') return fail(`expected eq or ne at '${tokens[pos]?.text ?? 'end'}'`);
    pos++;
    const right = operand();
    return (item) => equal(left(item), right(item)) === (op === 'eq');
  };
  const operand = (): Expr => {
    const token = tokens[pos++];
    if (!token) return fail('unexpected end');
    if (token.kind === 'str') return () => token.text;
    if (token.kind === 'num') return () => Number(token.text);
    if (token.kind !== 'word') return fail(`unexpected '${token.text}'`);
    const lower = token.text.toLowerCase();
    if (lower === 'null') return () => null;
    if (lower === 'true' || lower === 'false') return () => lower === 'true';
    const path = token.text.split('/');
    return (item) => {
      let value: unknown = item;
      for (const key of path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
      return value === undefined ? null : (value as Value);
    };
  };

  const expr = orExpr();
  if (pos !== tokens.length) fail(`unexpected '${tokens[pos].text}'`);
  return expr;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c, text: c });
      i++;
    } else if (c === "'") {
      // A string literal; '' inside it is one quote.
      let text = '';
      i++;
      for (;;) {
        if (i >= source.length) throw new HttpError(400, 'BadRequest', 'Invalid filter clause: unterminated string literal');
        if (source[i] === "'") {
          if (source[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += source[i++];
      }
      tokens.push({ kind: 'str', text });
    } else {
      const match = /^(-?\d+(?:\.\d+)?)|^([A-Za-z_][A-Za-z0-9_./]*)/.exec(source.slice(i));
      if (!match) throw new HttpError(400, 'BadRequest', `Invalid filter clause: unexpected '${c}'`);
      tokens.push({ kind: match[1] !== undefined ? 'num' : 'word', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

/** Graph compares directory strings case-insensitively. */
function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}
