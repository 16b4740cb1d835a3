// What every scenario gets: the run's options, the shared connector and echo baseline (started
// once per run, on first use), a way to start a fresh bot process, and a progress log.
import path from 'node:path';
import type { Attempt, ConnectorInfo, ConnectorStats } from '../servers/connectorServer';
import type { EchoInfo } from '../servers/echoServer';
import type { StoreInfo } from '../servers/storeServer';
import type { AssociationCounts, BotInfo, CountsReport, EnqueueReport, EnqueueRequestBody, SeedPendingBody, SeedPendingReport } from '../servers/botServer';
import type { LocalAccount } from '../../bot/local/connector';
import type { EventLoopReport, MemoryReport } from './controlServer';
import { getJson, postJson, waitFor } from './http';
import { OUT_DIR, startServer, type ServerProcess } from './processes';
import { TeamsTraffic } from './teams';

export interface BenchOptions {
  quick: boolean;
  /** Record CPU profiles of the bot and the echo during measured phases (bench/out/profiles/). */
  profile: boolean;
  /** The bot's embedded store in memory only, instead of a journal in a temporary folder. */
  memoryStore: boolean;
  /** The embedded store in a process of its own, reached through MONGODB_URI (a diagnostic variant). */
  storeProcess: boolean;
  /** Overrides for the paired echo/bot rounds. */
  rounds?: number;
  durationSeconds?: number;
}

export class ConnectorHandle {
  constructor(readonly process: ServerProcess<ConnectorInfo>) {}
  get url() { return this.process.info.url; }
  get serviceUrl() { return this.process.info.serviceUrl; }
  /** Forgets every conversation and recorded request; `record` keeps an attempt log from now on. */
  reset(record = false) { return postJson(`${this.url}/_bench/reset`, { record }); }
  faults(rate: number, status = 429, retryAfterSeconds = 1, seed = 1) { return postJson(`${this.url}/_bench/faults`, { rate, status, retryAfterSeconds, seed }); }
  attempts() { return getJson<{ attempts: Attempt[] }>(`${this.url}/_bench/attempts`).then((r) => r.attempts); }
  transcripts(prefix: string) { return getJson<{ transcripts: Record<string, string[]> }>(`${this.url}/_bench/transcripts?prefix=${encodeURIComponent(prefix)}`).then((r) => r.transcripts); }
  stats() { return getJson<ConnectorStats>(`${this.url}/_bench/stats`); }
  /** Accounts its member lookups answer for (what Teams knows of each user: e-mail, UPN). */
  accounts(accounts: LocalAccount[]) { return postJson(`${this.url}/_bench/accounts`, { accounts }); }
}

export class BotHandle {
  constructor(readonly process: ServerProcess<BotInfo>, readonly store?: ServerProcess<StoreInfo>) {}
  get url() { return this.process.info.url; }
  get info() { return this.process.info; }
  /** The bot process's memory, after a forced GC when `gc` (needs --expose-gc). */
  memory(gc = true) { return getJson<MemoryReport>(`${this.info.controlUrl}/memory?gc=${gc ? 1 : 0}`); }
  counts() { return getJson<CountsReport>(`${this.info.controlUrl}/counts`); }
  /** Store commands the bot sent since the last reset, by name (a bot started with BENCH_COUNT_COMMANDS=1). */
  commands() { return getJson<Record<string, number>>(`${this.info.controlUrl}/commands`); }
  resetCommands() { return postJson(`${this.info.controlUrl}/commands/reset`); }
  /** Event-loop delay in the bot process since the last reset. */
  eventLoop() { return getJson<EventLoopReport>(`${this.info.controlUrl}/eventloop`); }
  resetEventLoop() { return postJson(`${this.info.controlUrl}/eventloop/reset`); }
  enqueue(body: EnqueueRequestBody) { return postJson<EnqueueReport>(`${this.info.controlUrl}/enqueue`, body); }
  /** Organisations and members through the product's seed import (`npm run seed`). */
  seedOrganisation(content: { organisations: unknown[]; members: unknown[] }) { return postJson(`${this.info.controlUrl}/seed/organisation`, content); }
  /** Pending requests through submitAssociation, with their approval cards and reminders. */
  seedPending(body: SeedPendingBody) { return postJson<SeedPendingReport>(`${this.info.controlUrl}/seed/pending`, body); }
  associations(partnerId: string) { return getJson<AssociationCounts>(`${this.info.controlUrl}/associations?partnerId=${encodeURIComponent(partnerId)}`); }
  /** Waits until the outbox has nothing pending or leased (every notification delivered or dead). */
  async outboxSettled(timeoutMs = 300_000): Promise<void> {
    // Polled on the cheap count: grouping the whole outbox four times a second cost the store
    // thread more than the deliveries being waited for.
    await waitFor(async () => {
      const { undelivered } = await getJson<{ undelivered: number }>(`${this.info.controlUrl}/outbox/undelivered`);
      return undelivered === 0 ? true : undefined;
    }, { timeoutMs, intervalMs: 250, what: 'the outbox to be delivered' });
  }
  async stop() {
    const code = await this.process.stop();
    await this.store?.stop();
    return code;
  }
}

export class BenchContext {
  private readonly started = Date.now();
  private connectorStarting: Promise<ConnectorHandle> | undefined;
  private echoStarting: Promise<ServerProcess<EchoInfo>> | undefined;
  private readonly bots = new Set<BotHandle>();

  constructor(readonly options: BenchOptions) {}

  log(message: string): void {
    process.stderr.write(`[bench ${((Date.now() - this.started) / 1000).toFixed(1).padStart(6)}s] ${message}\n`);
  }

  connector(): Promise<ConnectorHandle> {
    return (this.connectorStarting ??= startServer<ConnectorInfo>({ name: 'connector', script: 'bench/servers/connectorServer.ts' })
      .then((p) => { this.log(`connector pid ${p.pid} at ${p.info.url}`); return new ConnectorHandle(p); }));
  }

  echo(): Promise<ServerProcess<EchoInfo>> {
    return (this.echoStarting ??= startServer<EchoInfo>({ name: 'echo', script: 'bench/servers/echoServer.ts' })
      .then((p) => { this.log(`echo baseline pid ${p.pid} at ${p.info.url}`); return p; }));
  }

  /** Traffic whose replies go to the shared connector. */
  async traffic(): Promise<TeamsTraffic> {
    return new TeamsTraffic((await this.connector()).serviceUrl);
  }

  /** A fresh bot process with a fresh store; `env` adds settings (OUTBOX_* …). */
  async startBot(name: string, options: { env?: Record<string, string>; nodeFlags?: string[] } = {}): Promise<BotHandle> {
    const store = this.options.storeProcess
      ? await startServer<StoreInfo>({ name: `store-${name}`, script: 'bench/servers/storeServer.ts', env: { BENCH_STORE: this.options.memoryStore ? 'memory' : 'journal' } })
      : undefined;
    const p = await startServer<BotInfo>({
      name: `bot-${name}`,
      script: 'bench/servers/botServer.ts',
      nodeFlags: options.nodeFlags,
      // The embedded store, always: a MONGODB_URI or app id from the caller's shell must not leak in.
      env: {
        MONGODB_URI: undefined, MicrosoftAppId: undefined, MicrosoftAppPassword: undefined, EMBEDDED_DB_PATH: undefined,
        BENCH_STORE: this.options.memoryStore ? 'memory' : 'journal', LOG_LEVEL: 'warn',
        BENCH_MONGODB_URI: store ? `${store.info.uri.replace(/\/?$/, '/')}bench_${name}` : undefined,
        ...options.env,
      },
    });
    const handle = new BotHandle(p, store);
    this.bots.add(handle);
    this.log(`bot "${name}" pid ${p.pid} at ${p.info.url} (${p.info.store})`);
    return handle;
  }

  async stopBot(bot: BotHandle): Promise<void> {
    this.bots.delete(bot);
    const code = await bot.stop();
    if (code !== 0) this.log(`bot pid ${bot.process.pid} exited with code ${code} (see ${bot.process.logFile})`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.bots].map((b) => this.stopBot(b)));
    const echo = await this.echoStarting?.catch(() => undefined);
    const connector = await this.connectorStarting?.catch(() => undefined);
    await Promise.all([echo?.stop(), connector?.process.stop()]);
  }

  /**
   * Runs `work`; with --profile, the process behind `controlUrl` records a CPU profile of exactly
   * that phase into bench/out/profiles/<name>.cpuprofile.
   */
  async profiled<T>(controlUrl: string, name: string, work: () => Promise<T>): Promise<T> {
    if (!this.options.profile) return work();
    await postJson(`${controlUrl}/profile/start`);
    try {
      return await work();
    } finally {
      await postJson(`${controlUrl}/profile/stop`, { file: path.join(OUT_DIR, 'profiles', `${name}.cpuprofile`) });
    }
  }
}
