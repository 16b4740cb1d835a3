// The TCP side: frames messages off each socket, runs them one at a time per connection (as
// mongod does), and acknowledges a write only once the journal has it on disk.
import net from 'node:net';
import { Engine } from './engine';
import { Journal } from './journal';
import { runCommand } from './commands';
import { MAX_MESSAGE_BYTES, parseMessage, readHeader, replyMessage } from './wire';
import { fromEngineError } from './errors';
import { serialize } from './values';

export class StoreServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private nextConnectionId = 1;
  private nextRequestId = 1;

  constructor(private readonly engine: Engine, private readonly journal: Journal | undefined) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private accept(socket: net.Socket): void {
    const connectionId = this.nextConnectionId++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    // Chunks are joined only once a whole message is there: a 16 MB document arrives in
    // hundreds of chunks, and joining on every chunk would copy it hundreds of times.
    let chunks: Buffer[] = [];
    let bytes = 0;
    let queue = Promise.resolve();
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      bytes += chunk.length;
      while (bytes >= 4) {
        if (chunks[0].length < 4) chunks = [Buffer.concat(chunks)];
        const length = chunks[0].readInt32LE(0);
        if (length < 16 || length > MAX_MESSAGE_BYTES) { socket.destroy(); return; }
        if (bytes < length) break;
        const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, bytes);
        const message = all.subarray(0, length);
        chunks = all.length > length ? [all.subarray(length)] : [];
        bytes -= length;
        queue = queue.then(() => this.handle(socket, connectionId, message));
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async handle(socket: net.Socket, connectionId: number, message: Buffer): Promise<void> {
    const header = readHeader(message);
    let cmd;
    try {
      cmd = parseMessage(message);
    } catch (e) {
      // Not a message we can answer in kind (a legacy opcode, a malformed frame): mongod closes.
      socket.destroy();
      return;
    }
    const before = this.journal?.position ?? 0;
    let reply = runCommand({ engine: this.engine, cmd, connectionId });
    if (this.journal && this.journal.position > before) {
      try {
        await this.journal.sync(this.journal.position);
      } catch (e) {
        reply = serialize(fromEngineError(new Error(`write not durable: ${(e as Error).message}`)).toReply());
      }
    }
    if (cmd.moreToCome || socket.destroyed) return;
    socket.write(replyMessage(reply, this.nextRequestId++, header.requestId, cmd.legacy));
  }
}
