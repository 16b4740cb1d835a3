// Turns whatever the graph-client threw into one of our typed errors. Only the status, Graph's
// error code, its request-id and permission names (checked against a strict pattern) are kept;
// Graph's free-text message never reaches a user.
import { GraphError } from '@microsoft/microsoft-graph-client';
import { DirectoryError, DirectoryForbiddenError } from './errors';
import type { DirectoryOperation } from './types';

/** The least-privileged application permission documented for each call. */
export const REQUIRED_PERMISSION: Record<DirectoryOperation, string> = {
  findUserByEmail: 'User.Read.All',
  getUser: 'User.Read.All',
  listGlobalAdmins: 'RoleManagement.Read.Directory',
  createUser: 'User.ReadWrite.All',
  sendMail: 'Mail.Send',
  // The "Self" variants only touch the bot's own app; they need webApplicationInfo in the manifest.
  installAppForUser: 'TeamsAppInstallation.ReadWriteSelfForUser.All',
  findBotChat: 'TeamsAppInstallation.ReadWriteSelfForUser.All',
};

const PERMISSION_NAME = /^[A-Za-z]+(\.[A-Za-z]+){1,4}$/;

export interface GraphFailure {
  status?: number;
  code?: string;
  message?: string;
  requestId?: string;
  retryAfterSeconds?: number;
}

/** The useful parts of a GraphError, whichever way the client built it. */
export function readGraphFailure(err: unknown): GraphFailure {
  if (!(err instanceof GraphError)) return {};
  const failure: GraphFailure = { status: err.statusCode > 0 ? err.statusCode : undefined };
  let body: unknown = err.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      body = undefined;
    }
  }
  // A JSON error response is stored as the inner `error` object; a text one as the whole body.
  const inner = (body as { error?: unknown } | undefined)?.error ?? body;
  if (inner && typeof inner === 'object') {
    const e = inner as { code?: unknown; message?: unknown; innerError?: { 'request-id'?: unknown } };
    if (typeof e.code === 'string') failure.code = e.code;
    if (typeof e.message === 'string') failure.message = e.message;
    if (typeof e.innerError?.['request-id'] === 'string') failure.requestId = e.innerError['request-id'];
  }
  failure.code ??= err.code ?? undefined;
  failure.requestId ??= err.requestId ?? undefined;
  const retryAfter = err.headers?.get('Retry-After');
  if (retryAfter && Number.isFinite(Number(retryAfter)) && Number(retryAfter) >= 0) failure.retryAfterSeconds = Number(retryAfter);
  return failure;
}

/**
 * For calls made with ResponseType.RAW (body-less answers such as sendMail's 202): consumes the
 * body, and turns a failure into the same GraphError the client would have thrown, headers
 * included (the client drops them for non-JSON reads, and with them Retry-After).
 */
export async function expectOk(response: Response): Promise<void> {
  const text = await response.text();
  if (response.ok) return;
  const error = new GraphError(response.status);
  error.body = text;
  error.headers = response.headers;
  throw error;
}

/** Permissions a 403 message names, e.g. "API requires one of 'A.Read.All, B.Read.All'". */
export function permissionsNamedIn(message: string | undefined): string[] {
  const match = message && /requires one of '([^']*)'/i.exec(message);
  if (!match) return [];
  return match[1]
    .split(',')
    .map((p) => p.trim())
    .filter((p) => PERMISSION_NAME.test(p));
}

export function toDirectoryError(operation: DirectoryOperation, err: unknown): DirectoryError {
  if (err instanceof DirectoryError) return err;
  const failure = readGraphFailure(err);
  const details = { status: failure.status, code: failure.code, requestId: failure.requestId, retryAfterSeconds: failure.retryAfterSeconds };
  const label = [failure.status, failure.code].filter((x) => x !== undefined).join(' ');
  switch (true) {
    case failure.status === 403: {
      const named = permissionsNamedIn(failure.message);
      return named.length > 0
        ? new DirectoryForbiddenError(operation, named, true, details)
        : new DirectoryForbiddenError(operation, [REQUIRED_PERMISSION[operation]], false, details);
    }
    case failure.status === 429:
      return new DirectoryError(operation, `Graph throttled ${operation}`, 'throttled', details);
    case failure.status === undefined:
      return new DirectoryError(operation, `Graph unreachable for ${operation}`, 'unreachable', details);
    case failure.status! >= 500:
      return new DirectoryError(operation, `Graph failed ${operation} (${label})`, 'serverError', details);
    default:
      return new DirectoryError(operation, `Graph refused ${operation} (${label})`, 'refused', details);
  }
}
