// The composition root. For now it only opens the data layer (MONGODB_URI, or the embedded
// store under .data/db) and says so: the HTTP endpoint for Teams arrives with the runtime issue.
import { connect } from '../services/db/connect';

async function main(): Promise<void> {
  const connection = await connect();
  const where = connection.mode === 'embedded'
    ? `embedded store at ${connection.uri} (data in ${process.env.EMBEDDED_DB_PATH || '.data/db'})`
    : 'the MongoDB in MONGODB_URI';
  process.stdout.write(`MPN Association Bot: data layer ready on ${where}, database '${connection.db.databaseName}'.\n`);
  process.stdout.write('The Teams endpoint (/api/messages) is not built yet; this process keeps the store open for tools. Ctrl+C stops it.\n');
  const stop = () => { connection.close().then(() => process.exit(0), () => process.exit(1)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: Error) => {
  process.stderr.write(`start-up failed: ${e.message}\n`);
  process.exit(1);
});
