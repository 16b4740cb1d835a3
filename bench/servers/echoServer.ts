// The baseline: Bot Framework's echo bot on the same stack as ours (restify 11 with the same
// body parser settings, botbuilder's CloudAdapter with no app id, an ActivityHandler), replying
// through the same connector. Whatever it costs per turn is what the framework and the
// transport cost; the bot's scenarios are judged as a ratio to it, measured in the same run.
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory } from 'botbuilder';
import { startControlServer } from '../lib/controlServer';
import { announceReady, onShutdown } from '../lib/processes';

export interface EchoInfo { url: string; controlUrl: string; pid: number }

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(MessageFactory.text(`Echo: ${context.activity.text ?? ''}`));
      await next();
    });
  }
}

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
adapter.onTurnError = async (_context, error) => { process.stderr.write(`echo turn failed: ${String(error)}\n`); };
const bot = new EchoBot();

const server = restify.createServer({ name: 'bench-echo', handleUncaughtExceptions: false });
const jsonOnly: restify.plugins.JsonBodyParserOptions & { maxBodySize: number } = { maxBodySize: 1024 * 1024, mapParams: false };
server.use(restify.plugins.jsonBodyParser(jsonOnly)); // as the bot's server does
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});

void (async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Bench-only: memory and CPU profiles, on a port of its own (as for the bot).
  const control = await startControlServer();
  const info: EchoInfo = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, controlUrl: control.url, pid: process.pid };
  announceReady(info);
  onShutdown(async () => {
    await control.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
})();
