// The embedded store's worker thread (started by storeThread.ts): the same store as in process,
// on an event loop of its own, reached by the driver over its socket as ever.
import { parentPort, workerData } from 'node:worker_threads';
import { startEmbeddedStore, type EmbeddedStoreOptions } from './index';
import type { FromStoreThread, ToStoreThread } from './storeThread';

const port = parentPort;
if (!port) throw new Error('services/db/embedded/thread.ts runs only as a worker thread (see storeThread.ts)');
const send = (message: FromStoreThread) => port.postMessage(message);

const options = workerData as Omit<EmbeddedStoreOptions, 'log'>;
startEmbeddedStore({ ...options, log: (line) => send({ type: 'log', line }) }).then(
  (store) => {
    port.on('message', (message: ToStoreThread) => {
      if (message.type !== 'stop') return;
      store.stop().then(
        () => { send({ type: 'stopped' }); port.close(); },
        (err: Error) => { send({ type: 'failed', message: err.message }); port.close(); },
      );
    });
    send({ type: 'ready', uri: store.uri, port: store.port });
  },
  (err: Error) => { send({ type: 'failed', message: err.message }); port.close(); },
);
