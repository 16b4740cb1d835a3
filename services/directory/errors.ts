// The few ways a directory call fails, as typed errors. Each names its `problem` as a code the
// bot layer words in the reader's language (bot/userText.ts directoryText, errors namespace);
// `message` is for logs. Neither ever holds a raw Graph error, a stack, a token or a secret, so
// nothing from Graph reaches a user unfiltered, and no English sentence is built here.
import type { DirectoryOperation } from './types';

/** What went wrong, for the user's sentence. */
export type DirectoryProblem =
  | 'throttled' // Graph kept answering 429
  | 'unreachable' // no answer from Graph
  | 'serverError' // Graph answered 5xx
  | 'refused' // Graph answered another 4xx
  | 'badAnswer' // an answer the bot could not use
  | 'unknownPerson' // the user id given is not one
  | 'unknownOrganisation' // the tenant id given is not one
  | 'signInUnreachable' // the token endpoint did not answer
  | 'signInRefused' // the token endpoint said no, for a reason other than consent or credentials
  | 'unavailable' // DirectoryUnavailableError: see its reason
  | 'forbidden' // DirectoryForbiddenError: see its permissions
  | 'conflict'; // DirectoryConflictError: the object already exists

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
    readonly problem: DirectoryProblem,
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
    super(operation, `Microsoft Graph unavailable for ${operation}: ${reason}`, 'unavailable', details);
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
    super(
      operation,
      `Microsoft Graph forbade ${operation}; needs ${permissions.join(' | ')}${namedByGraph ? '' : ' (documented)'}`,
      'forbidden',
      { ...details, status: 403 },
    );
  }
}

/** Graph refused to create something that already exists (e.g. a user with the same sign-in name). */
export class DirectoryConflictError extends DirectoryError {
  override name = 'DirectoryConflictError';

  constructor(operation: DirectoryOperation, details: DirectoryErrorDetails = {}) {
    super(operation, `Microsoft Graph conflict in ${operation}`, 'conflict', details);
  }
}
