// The directory port: what the bot needs from Microsoft Graph, in plain types. Services depend on
// this interface only, so they can be tested with a stub and never see a Graph SDK type.
//
// Every call names the tenant: the bot is multi-tenant and Graph tokens are issued per tenant, so
// a call can only ever read or change the directory of the organisation it names.

/** The built-in "Global Administrator" role; its template id is the same in every tenant. */
export const GLOBAL_ADMIN_ROLE_TEMPLATE_ID = '62e90394-69f5-4237-9190-012177145e10';

export interface DirectoryUser {
  /** Entra object id (what Teams calls aadObjectId). */
  id: string;
  displayName: string | null;
  mail: string | null;
  userPrincipalName: string | null;
  givenName: string | null;
  surname: string | null;
  jobTitle: string | null;
  /** Unknown when Graph did not say. */
  accountEnabled: boolean | null;
}

export interface NewUser {
  displayName: string;
  /** The sign-in name, e.g. jane@contoso.com; its domain must be verified in the tenant. */
  userPrincipalName: string;
  /** Defaults to the UPN's local part, reduced to the characters Graph accepts. */
  mailNickname?: string;
  givenName?: string;
  surname?: string;
  jobTitle?: string;
  /** Two-letter country code; needed before licences can be assigned. */
  usageLocation?: string;
}

export interface CreatedUser {
  user: DirectoryUser;
  /** Shown once to the admin who created the user; the user must change it at first sign-in. */
  temporaryPassword: string;
}

export interface MailMessage {
  to: string[];
  cc?: string[];
  subject: string;
  body: string;
  /** Default 'text'. */
  contentType?: 'text' | 'html';
  /** Default false: the sender is a service mailbox, its Sent Items would only fill up. */
  saveToSentItems?: boolean;
}

export interface AppInstallation {
  /** False when Graph answered 409 Conflict: the app was already installed for the user. */
  newlyInstalled: boolean;
}

export interface BotChat {
  /** The 1:1 chat between the bot and the user, for proactive messages. */
  chatId: string;
  /** The personal-scope installation the chat belongs to. */
  installationId: string;
}

export interface Directory {
  /** False when the bot has no Graph credentials: every call then fails with DirectoryUnavailableError. */
  readonly available: boolean;
  /** Matches mail or userPrincipalName, case-insensitively. Null when nobody matches. */
  findUserByEmail(tenantId: string, email: string): Promise<DirectoryUser | null>;
  /** Null when the user does not exist in that tenant. */
  getUser(tenantId: string, userId: string): Promise<DirectoryUser | null>;
  /** Users holding the Global Administrator role (service principals and groups are left out). */
  listGlobalAdmins(tenantId: string): Promise<DirectoryUser[]>;
  /** Creates an enabled user with a generated temporary password that must be changed at first sign-in. */
  createUser(tenantId: string, user: NewUser): Promise<CreatedUser>;
  /** Sends from the configured sender mailbox. */
  sendMail(tenantId: string, mail: MailMessage): Promise<void>;
  /** Installs the bot's Teams app in the user's personal scope; already installed is success. */
  installAppForUser(tenantId: string, userId: string): Promise<AppInstallation>;
  /** The bot's 1:1 chat with the user; null when the app is not installed for them. */
  findBotChat(tenantId: string, userId: string): Promise<BotChat | null>;
}

export type DirectoryOperation =
  | 'findUserByEmail'
  | 'getUser'
  | 'listGlobalAdmins'
  | 'createUser'
  | 'sendMail'
  | 'installAppForUser'
  | 'findBotChat';
