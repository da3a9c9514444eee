import type { IngestLimits } from '../limits.js';
import { readEmlx } from '../emlx.js';
import { readSevenZip } from '../sevenzip.js';
import { readBzip2 } from './bzip2.js';
import { readMsg } from './msg.js';
import { readPst } from './pst.js';
import { MEDIA_TYPES } from './sniff.js';
import { readTnef } from './tnef.js';
import type { ContainerEvent } from './types.js';

export { sniffOutlook, MEDIA_TYPES } from './sniff.js';
export type { ContainerEvent } from './types.js';

export interface ExtraReader {
  mediaTypes: string[];
  open(filePath: string, limits: IngestLimits): AsyncIterable<ContainerEvent>;
}

/** Readers for mail stores and archives the generic container readers do not handle. */
export const extraReaders: ExtraReader[] = [
  { mediaTypes: [MEDIA_TYPES.msg], open: (p) => readMsg(p) },
  { mediaTypes: [MEDIA_TYPES.pst], open: readPst },
  { mediaTypes: [MEDIA_TYPES.tnef, 'application/vnd.ms-tnef'], open: readTnef },
  {
    mediaTypes: [MEDIA_TYPES.sevenZip, MEDIA_TYPES.rar, 'application/x-rar-compressed'],
    open: readSevenZip,
  },
  { mediaTypes: [MEDIA_TYPES.bzip2], open: readBzip2 },
  { mediaTypes: [MEDIA_TYPES.emlx], open: (p) => readEmlx(p) },
];

/** The reader for a media type, if one of these handles it. */
export function extraReaderFor(mediaType: string): ExtraReader | undefined {
  return extraReaders.find((r) => r.mediaTypes.includes(mediaType));
}
