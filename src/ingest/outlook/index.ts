import type { IngestLimits } from '../limits.js';
import { MEDIA_TYPES } from './sniff.js';
import type { ContainerEvent } from './types.js';

export { sniffOutlook, MEDIA_TYPES } from './sniff.js';
export type { ContainerEvent } from './types.js';

export interface ExtraReader {
  mediaTypes: string[];
  open(filePath: string, limits: IngestLimits): AsyncIterable<ContainerEvent>;
}

/**
 * Loads a reader's module on first use: the Outlook, 7-Zip (WebAssembly) and bzip2 libraries weigh
 * tens of megabytes, and most dumps contain none of these formats.
 */
async function* lazy(load: () => Promise<AsyncIterable<ContainerEvent>>): AsyncIterable<ContainerEvent> {
  yield* await load();
}

/** Readers for mail stores and archives the generic container readers do not handle. */
export const extraReaders: ExtraReader[] = [
  { mediaTypes: [MEDIA_TYPES.msg], open: (p) => lazy(async () => (await import('./msg.js')).readMsg(p)) },
  { mediaTypes: [MEDIA_TYPES.pst], open: (p, l) => lazy(async () => (await import('./pst.js')).readPst(p, l)) },
  {
    mediaTypes: [MEDIA_TYPES.tnef, 'application/vnd.ms-tnef'],
    open: (p, l) => lazy(async () => (await import('./tnef.js')).readTnef(p, l)),
  },
  {
    mediaTypes: [MEDIA_TYPES.sevenZip, MEDIA_TYPES.rar, 'application/x-rar-compressed'],
    open: (p, l) => lazy(async () => (await import('../sevenzip.js')).readSevenZip(p, l)),
  },
  { mediaTypes: [MEDIA_TYPES.bzip2], open: (p, l) => lazy(async () => (await import('./bzip2.js')).readBzip2(p, l)) },
  { mediaTypes: [MEDIA_TYPES.emlx], open: (p) => lazy(async () => (await import('../emlx.js')).readEmlx(p)) },
];

/** The reader for a media type, if one of these handles it. */
export function extraReaderFor(mediaType: string): ExtraReader | undefined {
  return extraReaders.find((r) => r.mediaTypes.includes(mediaType));
}
