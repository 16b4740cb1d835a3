// The directory port on Microsoft Graph, through @microsoft/microsoft-graph-client with app-only
// (client credentials) tokens per tenant. Every failure leaves as a typed DirectoryError; lookups
// of something that is not there return null.
import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import type { Logger } from 'pino';
import { DirectoryConflictError, DirectoryError, DirectoryUnavailableError } from './errors';
import { createGraphClient } from './graphClient';
import { expectOk, readGraphFailure, toDirectoryError } from './graphErrors';
import { USER_FIELDS, isUserObject, toDirectoryUser } from './graphUser';
import { encodeFilter, odataString, pathSegment } from './odata';
import { generateTemporaryPassword } from './password';
import { ClientCredentialsTokenProvider } from './tokens';
import {
  GLOBAL_ADMIN_ROLE_TEMPLATE_ID,
  type AppInstallation,
  type BotChat,
  type CreatedUser,
  type Directory,
  type DirectoryOperation,
  type DirectoryUser,
  type MailMessage,
  type NewUser,
} from './types';

export interface GraphDirectoryOptions {
  clientId: string;
  clientSecret: string;
  tokenUrlTemplate: string;
  graphBaseUrl: string;
  senderMailbox?: string;
  teamsCatalogAppId?: string;
  logger?: Logger;
  /** Throttling answers asking to wait longer than this fail at once instead of being retried. */
  maxRetryAfterSeconds?: number;
}

// A role has at most a few pages; the cap only guards against a nextLink loop.
const MAX_PAGES = 50;

interface Collection {
  value?: unknown[];
  '@odata.nextLink'?: unknown;
}

export class GraphDirectory implements Directory {
  readonly available = true;
  private readonly tokens: ClientCredentialsTokenProvider;
  private readonly graphBaseUrl: string;

  constructor(private readonly options: GraphDirectoryOptions) {
    this.graphBaseUrl = new URL(options.graphBaseUrl).href.replace(/\/+$/, '');
    this.tokens = new ClientCredentialsTokenProvider({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      tokenUrlTemplate: options.tokenUrlTemplate,
      logger: options.logger,
    });
  }

  async findUserByEmail(tenantId: string, email: string): Promise<DirectoryUser | null> {
    const address = email.trim();
    if (address === '' || address.length > 320 || /[\u0000-\u001f\u007f]/.test(address)) return null;
    const literal = odataString(address);
    const page = await this.call('findUserByEmail', tenantId, (client) =>
      client
        .api('/users')
        .filter(encodeFilter(`mail eq ${literal} or userPrincipalName eq ${literal}`))
        .select(USER_FIELDS)
        .top(5)
        .get() as Promise<Collection>,
    );
    const users = (page.value ?? []).map(toDirectoryUser).filter((u): u is DirectoryUser => u !== null);
    // Graph compares case-insensitively; checking again here means only a real match is returned.
    const wanted = address.toLowerCase();
    return users.find((u) => u.mail?.toLowerCase() === wanted) ?? users.find((u) => u.userPrincipalName?.toLowerCase() === wanted) ?? null;
  }

  async getUser(tenantId: string, userId: string): Promise<DirectoryUser | null> {
    const segment = pathSegment(userId);
    if (!segment) return null;
    const found = await this.lookup('getUser', tenantId, (client) => client.api(`/users/${segment}`).select(USER_FIELDS).get() as Promise<unknown>);
    return found === null ? null : this.expectUser('getUser', found);
  }

  async listGlobalAdmins(tenantId: string): Promise<DirectoryUser[]> {
    const admins: DirectoryUser[] = [];
    let path: string | null = `/directoryRoles(roleTemplateId='${GLOBAL_ADMIN_ROLE_TEMPLATE_ID}')/members`;
    for (let pages = 0; path && pages < MAX_PAGES; pages++) {
      const current: string = path;
      const page = await this.lookup('listGlobalAdmins', tenantId, (client) =>
        // A nextLink already carries its own $select.
        (pages === 0 ? client.api(current).select(USER_FIELDS) : client.api(current)).get() as Promise<Collection>,
      );
      // 404: the role is not activated in this tenant, so nobody holds it.
      if (!page) break;
      for (const member of page.value ?? []) {
        const user = isUserObject(member) ? toDirectoryUser(member) : null;
        if (user) admins.push(user);
      }
      path = this.nextPath('listGlobalAdmins', page['@odata.nextLink']);
    }
    return admins;
  }

  async createUser(tenantId: string, input: NewUser): Promise<CreatedUser> {
    const temporaryPassword = generateTemporaryPassword();
    const body = {
      accountEnabled: true,
      displayName: input.displayName,
      userPrincipalName: input.userPrincipalName,
      mailNickname: input.mailNickname ?? mailNicknameFrom(input.userPrincipalName),
      givenName: input.givenName,
      surname: input.surname,
      jobTitle: input.jobTitle,
      usageLocation: input.usageLocation,
      passwordProfile: { forceChangePasswordNextSignIn: true, password: temporaryPassword },
    };
    const created = await this.call('createUser', tenantId, (client) =>
      (client.api('/users').post(body) as Promise<unknown>).catch((err: unknown) => {
        const failure = readGraphFailure(err);
        if (failure.status === 400 && /already exists/i.test(failure.message ?? '')) {
          throw new DirectoryConflictError('createUser', failure);
        }
        throw err;
      }),
    );
    return { user: this.expectUser('createUser', created), temporaryPassword };
  }

  async sendMail(tenantId: string, mail: MailMessage): Promise<void> {
    const sender = this.options.senderMailbox && pathSegment(this.options.senderMailbox);
    if (!sender) throw new DirectoryUnavailableError('sendMail', 'no-sender-mailbox');
    const recipients = (addresses: string[] = []) =>
      addresses.map((a) => a.trim()).filter(Boolean).map((address) => ({ emailAddress: { address } }));
    const toRecipients = recipients(mail.to);
    if (toRecipients.length === 0) throw new TypeError('sendMail needs at least one recipient');
    const message = {
      subject: mail.subject,
      body: { contentType: mail.contentType === 'html' ? 'HTML' : 'Text', content: mail.body },
      toRecipients,
      ccRecipients: recipients(mail.cc),
    };
    await this.call('sendMail', tenantId, async (client) =>
      // 202 with an empty body: read raw, so the body is consumed and failures keep their headers.
      expectOk(await client.api(`/users/${sender}/sendMail`).responseType(ResponseType.RAW).post({ message, saveToSentItems: mail.saveToSentItems ?? false })),
    );
    this.options.logger?.info({ tenantId, recipients: toRecipients.length + message.ccRecipients.length }, 'mail sent through graph');
  }

  async installAppForUser(tenantId: string, userId: string): Promise<AppInstallation> {
    const appId = this.teamsAppId('installAppForUser');
    const segment = this.userSegment('installAppForUser', userId);
    const bind = `${this.graphBaseUrl}/appCatalogs/teamsApps/${encodeURIComponent(appId)}`;
    return this.call('installAppForUser', tenantId, async (client) => {
      // 201 with an empty body: read raw, as for sendMail.
      const response: Response = await client.api(`/users/${segment}/teamwork/installedApps`).responseType(ResponseType.RAW).post({ 'teamsApp@odata.bind': bind });
      // 409 Conflict: already installed for this user, which is what we wanted.
      if (response.status === 409) {
        await response.body?.cancel();
        return { newlyInstalled: false };
      }
      await expectOk(response);
      return { newlyInstalled: true };
    });
  }

  async findBotChat(tenantId: string, userId: string): Promise<BotChat | null> {
    const appId = this.teamsAppId('findBotChat');
    const segment = this.userSegment('findBotChat', userId);
    const installations = await this.lookup('findBotChat', tenantId, (client) =>
      client
        .api(`/users/${segment}/teamwork/installedApps`)
        .expand('teamsAppDefinition')
        .filter(encodeFilter(`teamsAppDefinition/teamsAppId eq ${odataString(appId)}`))
        .get() as Promise<Collection>,
    );
    const installationId = (installations?.value ?? [])
      .map((i) => (i as { id?: unknown }).id)
      .find((id): id is string => typeof id === 'string' && pathSegment(id) !== null);
    if (!installationId) return null;
    const chat = await this.lookup('findBotChat', tenantId, (client) =>
      client.api(`/users/${segment}/teamwork/installedApps/${pathSegment(installationId)}/chat`).select('id').get() as Promise<{ id?: unknown }>,
    );
    return typeof chat?.id === 'string' ? { chatId: chat.id, installationId } : null;
  }

  /** Like call, but a 404 is an answer (null), not a failure. */
  private async lookup<T>(operation: DirectoryOperation, tenantId: string, run: (client: Client) => Promise<T>): Promise<T | null> {
    try {
      return await this.call(operation, tenantId, run);
    } catch (err) {
      if (err instanceof DirectoryError && err.status === 404 && !(err instanceof DirectoryUnavailableError)) return null;
      throw err;
    }
  }

  private async call<T>(operation: DirectoryOperation, tenantId: string, run: (client: Client) => Promise<T>, retriedAuth = false): Promise<T> {
    const log = this.options.logger;
    try {
      // Fetched before the client runs: a token failure thrown inside the client's middleware
      // would come back re-wrapped as a GraphError and lose its type. Then it is a cache hit.
      await this.tokens.getToken(tenantId, operation);
      const client = createGraphClient({
        graphBaseUrl: this.graphBaseUrl,
        authProvider: { getAccessToken: () => this.tokens.getToken(tenantId, operation) },
        maxRetryAfterSeconds: this.options.maxRetryAfterSeconds ?? 30,
      });
      const result = await run(client);
      log?.debug({ operation, tenantId }, 'graph call done');
      return result;
    } catch (err) {
      const error = toDirectoryError(operation, err);
      // 401: the cached token was revoked or expired early; one retry with a fresh one.
      if (error.status === 401 && !retriedAuth && !(error instanceof DirectoryUnavailableError)) {
        this.tokens.invalidate(tenantId);
        log?.info({ operation, tenantId }, 'graph token rejected; fetching a new one');
        return this.call(operation, tenantId, run, true);
      }
      const level = error.status === 404 ? 'debug' : 'warn';
      log?.[level]({ operation, tenantId, status: error.status, code: error.code, requestId: error.requestId, kind: error.name }, 'graph call failed');
      throw error;
    }
  }

  private expectUser(operation: DirectoryOperation, value: unknown): DirectoryUser {
    const user = toDirectoryUser(value);
    if (!user) throw new DirectoryError(operation, 'Graph returned no user object', 'badAnswer');
    return user;
  }

  /** The path of a nextLink, which must stay on the configured Graph (it will carry our token). */
  private nextPath(operation: DirectoryOperation, nextLink: unknown): string | null {
    if (typeof nextLink !== 'string') return null;
    if (!nextLink.startsWith(`${this.graphBaseUrl}/`)) {
      throw new DirectoryError(operation, 'Graph nextLink points outside the Graph base URL', 'badAnswer');
    }
    return nextLink.slice(this.graphBaseUrl.length);
  }

  private teamsAppId(operation: DirectoryOperation): string {
    if (!this.options.teamsCatalogAppId) throw new DirectoryUnavailableError(operation, 'no-teams-app');
    return this.options.teamsCatalogAppId;
  }

  private userSegment(operation: DirectoryOperation, userId: string): string {
    const segment = pathSegment(userId);
    if (!segment) throw new DirectoryError(operation, 'Invalid user id', 'unknownPerson');
    return segment;
  }
}

/** Graph accepts letters, digits and a few marks in mailNickname (max 64). */
function mailNicknameFrom(userPrincipalName: string): string {
  const local = userPrincipalName.split('@')[0].replace(/[^A-Za-z0-9._-]/g, '').replace(/^\.+|\.+$/g, '');
  return local.slice(0, 64) || `user${Date.now().toString(36)}`;
}
