// Shared set-up for the directory tests: a fake Graph per test file, fresh tenants per test
// (so recorded requests and cached tokens never cross tests), and a logger kept in memory.
import pino, { type Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { createDirectory, type Directory, type DirectoryOptions } from '../../services/directory';
import { startFakeGraph, type FakeGraph, type FakeGraphOptions } from '../support/fakeGraph';

export interface MemoryLog {
  logger: Logger;
  text(): string;
}

/** A trace-level pino logger with no redaction of its own: what our code logs is what lands here. */
export function memoryLog(): MemoryLog {
  const chunks: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (chunk: string) => void chunks.push(chunk) });
  return { logger, text: () => chunks.join('') };
}

export interface DirectoryFixture {
  graph: () => FakeGraph;
  /** A new consented tenant in the fake. */
  newTenant(): string;
  directory(extra?: Partial<DirectoryOptions>): Directory;
}

/** Starts the fake before the suite and closes it after. */
export function useFakeGraph(options: FakeGraphOptions = {}): DirectoryFixture {
  let fake: FakeGraph | undefined;
  before(async () => {
    fake = await startFakeGraph(options);
  });
  afterEach(() => fake?.clearFaults());
  after(async () => {
    await fake?.close();
  });
  const graph = () => {
    if (!fake) throw new Error('fake Graph not started');
    return fake;
  };
  return {
    graph,
    newTenant() {
      const id = randomUUID();
      graph().addTenant(id);
      return id;
    },
    directory: (extra = {}) => createDirectory(graph().directoryOptions({ senderMailbox: 'noreply@contoso.com', ...extra })),
  };
}
