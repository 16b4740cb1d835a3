// The few ways a directory call fails, as typed errors. Each carries `userMessage`, a sentence a
// dialog can show as it is; `message` is for logs. Neither ever holds a raw Graph error, a stack,
// a token or a secret, so nothing from Graph reaches a user unfiltered.
import type { DirectoryOperation } from './types';

/** What each operation does, in words a user understands ("The bot can't … right now"). */
const ACTION: Record<DirectoryOperation, string> = {
  findUserByEmail: 'look people up in your directory',
  getUser: "read people's directory profiles",
  listGlobalAdmins: 'find out who your global administrators are',
  createUser: 'create users in your directory',
  sendMail: 'send e-mail',
  installAppForUser: 'add the bot to people’s Teams',
  findBotChat: 'find its chats with people',
};

export function describeAction(operation: DirectoryOperation): string {
  return ACTION[operation];
}

export interface DirectoryErrorDetails {
  status?: number;
  /** Graph's error code, e.g. "Request_ResourceNotFound". */
  code?: string;
  /** Graph's request-id, for support; safe to log. */
  requestId?: string;
  /** From Retry-After when Graph kept throttling after the client's own retries. */
  retryAfterSeconds?: number;
}

export class DirectoryError extends Error {
  override name = 'DirectoryError';
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly retryAfterSeconds?: number;

  constructor(
    readonly operation: DirectoryOperation,
    message: string,
    readonly userMessage: string,
    details: DirectoryErrorDetails = {},
  ) {
    super(message);
    this.status = details.status;
    this.code = details.code;
    this.requestId = details.requestId;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** The bot has no Graph access (no credentials, no consent in this tenant, or a setting missing). */
export class DirectoryUnavailableError extends DirectoryError {
  override name = 'DirectoryUnavailableError';

  constructor(
    operation: DirectoryOperation,
    readonly reason: 'no-credentials' | 'not-consented' | 'credentials-rejected' | 'no-sender-mailbox' | 'no-teams-app',
    details: DirectoryErrorDetails = {},
  ) {
    super(operation, `Microsoft Graph unavailable for ${operation}: ${reason}`, unavailableSentence(reason), details);
  }
}

function unavailableSentence(reason: DirectoryUnavailableError['reason']): string {
  switch (reason) {
    case 'no-credentials':
      return 'This needs Microsoft Graph access, which this bot has not been given yet; ask your administrator to give the bot an app registration secret for Microsoft Graph and grant it admin consent.';
    case 'not-consented':
      return 'This needs Microsoft Graph access, which your organisation has not granted this bot yet; ask your administrator to grant the bot admin consent in Microsoft Entra.';
    case 'credentials-rejected':
      return "This needs Microsoft Graph access, but Microsoft refused the bot's credentials; ask your administrator to check the bot's app registration secret.";
    case 'no-sender-mailbox':
      return 'Sending e-mail needs a sender mailbox, which this bot has not been given yet; ask your administrator to configure one.';
    case 'no-teams-app':
      return "This needs the bot's Teams app id, which this bot has not been given yet; ask your administrator to configure it.";
  }
}

/** Graph answered 403: the app registration lacks a permission (or admin consent for it). */
export class DirectoryForbiddenError extends DirectoryError {
  override name = 'DirectoryForbiddenError';

  constructor(
    operation: DirectoryOperation,
    /** Permissions that would allow the call: as Graph named them, else the documented least-privileged one. */
    readonly permissions: string[],
    /** True when Graph's answer named them; false when they come from the documentation. */
    readonly namedByGraph: boolean,
    details: DirectoryErrorDetails = {},
  ) {
    const needs = permissions.length === 1 ? `the ${permissions[0]} permission` : `one of the permissions ${permissions.join(', ')}`;
    super(
      operation,
      `Microsoft Graph forbade ${operation}; needs ${permissions.join(' | ')}${namedByGraph ? '' : ' (documented)'}`,
      `The bot is not allowed to ${describeAction(operation)}: it needs ${needs} in Microsoft Graph. Ask your administrator to grant it and give admin consent.`,
      { ...details, status: 403 },
    );
  }
}

/** Graph refused to create something that already exists (e.g. a user with the same sign-in name). */
export class DirectoryConflictError extends DirectoryError {
  override name = 'DirectoryConflictError';

  constructor(operation: DirectoryOperation, userMessage: string, details: DirectoryErrorDetails = {}) {
    super(operation, `Microsoft Graph conflict in ${operation}`, userMessage, details);
  }
}
