// Handshake and server-level commands. The store presents itself as a standalone MongoDB 7.0
// (wire version 21): within what driver 7 accepts, and without compression or topology
// streaming, so the driver polls with plain hello and sends plain OP_MSG.
import { Handler } from './context';
import { ErrorCodes, StoreError } from '../errors';
import { MAX_BSON_BYTES, MAX_MESSAGE_BYTES } from '../wire';

export const SERVER_VERSION = '7.0.0';
export const MAX_WIRE_VERSION = 21;

const hello = (legacyName: boolean): Handler => (ctx) => ({
  ...(legacyName ? { ismaster: true } : { isWritablePrimary: true }),
  helloOk: true,
  maxBsonObjectSize: MAX_BSON_BYTES,
  maxMessageSizeBytes: MAX_MESSAGE_BYTES,
  maxWriteBatchSize: 100_000,
  localTime: new Date(),
  logicalSessionTimeoutMinutes: 30,
  connectionId: ctx.connectionId,
  minWireVersion: 0,
  maxWireVersion: MAX_WIRE_VERSION,
  readOnly: false,
  ok: 1,
});

const buildInfo: Handler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'mpn-embedded-store',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_BYTES,
  storageEngines: ['embedded'],
  modules: [],
  ok: 1,
});

export const adminCommands: Record<string, Handler> = {
  hello: hello(false),
  isMaster: hello(true),
  ismaster: hello(true),
  ping: () => ({ ok: 1 }),
  buildInfo,
  buildinfo: buildInfo,
  // Sessions are accepted and ignored: every single-document write is atomic anyway.
  endSessions: () => ({ ok: 1 }),
  killSessions: () => ({ ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  listDatabases: (ctx) => {
    if (ctx.db !== 'admin') {
      throw new StoreError(ErrorCodes.Unauthorized, 'listDatabases may only be run against the admin database.');
    }
    const databases = ctx.engine.databaseNames().map((name) => {
      const sizeOnDisk = ctx.engine.collections(name)
        .reduce((n, c) => n + [...c.docs.values()].reduce((m, d) => m + d.raw.length, 0), 0);
      return { name, sizeOnDisk, empty: sizeOnDisk === 0 };
    });
    if (ctx.cmd.body.nameOnly) return { databases: databases.map(({ name }) => ({ name })), ok: 1 };
    const totalSize = databases.reduce((n, d) => n + d.sizeOnDisk, 0);
    return { databases, totalSize, totalSizeMb: Math.round(totalSize / 1048576), ok: 1 };
  },
};
