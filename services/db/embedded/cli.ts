// `npm run db -- --port 27018 --dbpath ./.data/db`: the embedded store on its own, for tools and
// for several bot instances sharing one store. Prints its mongodb:// URI once it listens.
import { parseArgs } from 'node:util';
import { startEmbeddedStore } from './index';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '27017' },
      dbpath: { type: 'string' },
      memory: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: npm run db -- [--port 27017] [--dbpath ./.data/db | --memory]\n');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, got '${values.port}'`);
  }
  const dbPath = values.memory ? undefined : (values.dbpath ?? '.data/db');
  const store = await startEmbeddedStore({ port, dbPath, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`embedded MongoDB-compatible store listening: ${store.uri} (${dbPath ? `data in ${dbPath}` : 'memory only'})\n`);
  const stop = () => { store.stop().then(() => process.exit(0), () => process.exit(1)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: Error) => {
  process.stderr.write(`store: ${e.message}\n`);
  process.exit(1);
});
