// npm run seed -- FILE.json: imports organisations and members into the bot's database
// (MONGODB_URI, or the embedded store under EMBEDDED_DB_PATH / .data/db).
import { readFile } from 'node:fs/promises';
import { config as readDotEnv } from 'dotenv';
import { connect } from '../services/db/connect';
import { importSeed } from '../services/organisations/importSeed';

async function main(): Promise<number> {
  readDotEnv({ quiet: true });
  const file = process.argv[2];
  if (!file) { process.stderr.write('Usage: npm run seed -- FILE.json\n'); return 2; }
  let content: unknown;
  try {
    content = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    process.stderr.write(`Cannot read ${file}: ${(err as Error).message}\n`);
    return 1;
  }
  const connection = await connect();
  try {
    const report = await importSeed(connection.db, content);
    for (const problem of report.problems) process.stdout.write(`skipped ${problem}\n`);
    process.stdout.write(`Imported ${report.organisations} organisation(s) and ${report.members} member(s); ${report.problems.length} row(s) skipped.\n`);
    return report.problems.length ? 1 : 0;
  } finally {
    await connection.close();
  }
}

main().then((code) => process.exit(code), (err: Error) => { process.stderr.write(`seed failed: ${err.message}\n`); process.exit(1); });
