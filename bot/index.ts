// The process entry: read .env and the environment, start the bot, say where to talk to it, and
// shut down cleanly on SIGTERM/SIGINT.
import { config as readDotEnv } from 'dotenv';
import { startBot } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';

async function main(): Promise<void> {
  readDotEnv({ quiet: true });
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const bot = await startBot({ config, logger });
  const store = bot.storeMode === 'embedded'
    ? `the embedded store (data in ${config.EMBEDDED_DB_PATH ?? '.data/db'})`
    : 'the MongoDB in MONGODB_URI';
  const lines = [`MPN Association Bot is running on ${bot.url}, using ${store}.`];
  if (config.localMode) {
    lines.push(`Local mode (no MicrosoftAppId): listening on 127.0.0.1 only, no token checks.`);
    lines.push(`Talk to it in your browser: ${bot.url}/`);
  } else {
    lines.push(`Teams messaging endpoint: ${bot.url}/api/messages (put your public https URL + /api/messages in the Azure Bot resource).`);
  }
  lines.push(`Health: ${bot.url}/healthz`);
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing turns in flight');
    bot.close().then(() => process.exit(0), (err: unknown) => { logger.error({ err }, 'shutdown failed'); process.exit(1); });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  // A configuration mistake is one line naming the variable; anything else is a start-up failure.
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `Start-up failed: ${(err as Error).message}\n`);
  process.exit(1);
});
