/**
 * Runs an emulator server in a worker thread, so that a main thread that blocks (the Apps Script harness waits on
 * Atomics) can still reach it over real HTTP. The worker gets its seed by structured clone, or generates it.
 */
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { EmulatorAdmin } from './admin';
import { AffinityEmulator } from './emulator';
import { generateSeed, type GenerateOptions } from './generate';
import type { EmulatorSeed } from './seed';
import { dealflowSeed } from './seeds/dealflow';
import { startEmulatorServer } from './server';

export interface EmulatorWorkerOptions {
  /** Default: the bundled deal-flow seed (unless `generate` is given). */
  seed?: EmulatorSeed;
  generate?: GenerateOptions;
  baseUrl?: string;
  /** How rows carry their fields (`EmulatorOptions.rows`). */
  rows?: 'complete' | 'sparse';
  port?: number;
}

export interface EmulatorWorker {
  url: string;
  admin: EmulatorAdmin;
  close(): Promise<void>;
}

const MARK = '__affinityEmulatorWorker';

export function startEmulatorWorker(opts: EmulatorWorkerOptions = {}): Promise<EmulatorWorker> {
  const worker = new Worker(path.join(__dirname, 'worker-thread.cjs'), { workerData: { [MARK]: true, ...opts } });
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => reject(err);
    worker.once('error', fail);
    worker.once('exit', (code) => reject(new Error(`emulator worker exited (${code}) before it was ready`)));
    worker.once('message', (msg: { url?: string; error?: string }) => {
      worker.removeAllListeners('exit');
      worker.removeListener('error', fail);
      if (msg.error || !msg.url) {
        void worker.terminate();
        reject(new Error(`emulator worker failed: ${msg.error}`));
        return;
      }
      const url = msg.url;
      let exited = false;
      worker.on('error', (err) => console.error('affinity emulator worker:', err));
      worker.once('exit', () => (exited = true));
      resolve({
        url,
        admin: new EmulatorAdmin(url),
        close: () =>
          new Promise<void>((done) => {
            if (exited) return done();
            worker.once('exit', () => done());
            worker.postMessage('close');
          }),
      });
    });
  });
}

async function runInWorker(opts: EmulatorWorkerOptions): Promise<void> {
  const seed = opts.seed ?? (opts.generate ? generateSeed(opts.generate) : dealflowSeed());
  const emulator = new AffinityEmulator(seed, { baseUrl: opts.baseUrl, rows: opts.rows });
  const server = await startEmulatorServer(emulator, { port: opts.port });
  parentPort!.on('message', (msg) => {
    if (msg === 'close') void server.close().then(() => process.exit(0));
  });
  parentPort!.postMessage({ url: server.url });
}

if (!isMainThread && workerData?.[MARK]) {
  runInWorker(workerData as EmulatorWorkerOptions).catch((err: Error) =>
    parentPort!.postMessage({ error: err.stack ?? err.message }),
  );
}
