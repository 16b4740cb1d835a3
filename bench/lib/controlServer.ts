// The bench-only control port of a server process (bot, echo): JSON routes on node:http, on a
// port of its own, never on the product's server. Every control server can report the process's
// memory (after a forced GC when the process runs with --expose-gc) and record a CPU profile of
// exactly the phase the bench asks for (V8's profiler through node:inspector, the same
// .cpuprofile format `node --cpu-prof` writes, without start-up and idle phases).
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export type Route = (url: URL, body: unknown) => Promise<unknown>;

export interface MemoryReport { rssMB: number; heapUsedMB: number; heapTotalMB: number; externalMB: number; arrayBuffersMB: number; gc: boolean }

/** Event-loop delay since the last reset, ms (sampled every 10 ms). */
export interface EventLoopReport { p50: number; p99: number; max: number }

export interface ControlServer { url: string; close(): Promise<void> }

export async function startControlServer(routes: Record<string, Route> = {}): Promise<ControlServer> {
  let session: Session | undefined;
  const post = <T>(method: string, params?: object) => new Promise<T>((resolve, reject) => {
    session!.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T)));
  });
  // How long turns waited for the event loop: a blocked loop shows here before it shows in p99.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const all: Record<string, Route> = {
    'POST /eventloop/reset': async () => { loopDelay.reset(); return {}; },
    'GET /eventloop': async () => {
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      const report: EventLoopReport = { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) };
      return report;
    },
    'GET /memory': async (url) => {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (url.searchParams.get('gc') === '1' && gc) {
        // Several passes with turns in between, so finalizers and weak references settle.
        for (let i = 0; i < 4; i++) { gc(); await new Promise((resolve) => setImmediate(resolve)); }
      }
      const m = process.memoryUsage();
      const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
      const report: MemoryReport = { rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), heapTotalMB: mb(m.heapTotal), externalMB: mb(m.external), arrayBuffersMB: mb(m.arrayBuffers), gc: Boolean(gc) };
      return report;
    },
    'POST /profile/start': async () => {
      session ??= new Session();
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.start');
      return { ok: true };
    },
    'POST /profile/stop': async (_url, body) => {
      const file = (body as { file?: string } | undefined)?.file;
      if (!session) throw new Error('no profile is being recorded');
      const { profile } = await post<{ profile: unknown }>('Profiler.stop');
      session.disconnect();
      session = undefined;
      if (file) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, JSON.stringify(profile));
      }
      return { file };
    },
    ...routes,
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = all[`${req.method} ${url.pathname}`];
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Not chained: restify (loaded in the same process) patches writeHead and it returns nothing.
      const answer = (status: number, type: string, body: string) => { res.writeHead(status, { 'content-type': type }); res.end(body); };
      if (!route) { answer(404, 'text/plain', 'not found'); return; }
      const text = Buffer.concat(chunks).toString();
      route(url, text ? JSON.parse(text) : undefined).then(
        (out) => answer(200, 'application/json', JSON.stringify(out ?? null)),
        (err: unknown) => answer(500, 'text/plain', String((err as Error)?.stack ?? err)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
