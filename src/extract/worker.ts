// Runs extractors off the main thread: a parser that hangs, loops or exhausts memory on a hostile
// file takes down this worker only; the pool reports the item unreadable and starts a fresh one.
import { parentPort } from 'node:worker_threads';
import { HeapGovernor } from '../util/heap.js';
import { extract } from './index.js';

export interface ExtractRequest {
  id: number;
  bytes: Uint8Array;
  mediaType: string;
  name?: string;
}

// pdf.js leaves much garbage per file; without this the worker's heap drifts up over a long ingest.
const heap = new HeapGovernor(12 * 1024 * 1024, 10);

parentPort?.on('message', (req: ExtractRequest) => {
  extract(Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength), req.mediaType, req.name)
    .then((result) => {
      parentPort?.postMessage({ id: req.id, result });
      heap.tick();
    })
    .catch((err: unknown) => parentPort?.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) }));
});
