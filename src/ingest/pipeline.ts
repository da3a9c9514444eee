import { createReadStream, promises as fsp, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { claimOf, describeMediaType } from './name-claim.js';
import type { Finding, ItemKind } from '../model.js';
import type { Case } from '../store/case.js';
import type { StoredBlob } from '../store/blobs.js';
import { openContainer, type ContainerEvent, type ProblemCode } from './containers/index.js';
import { DEFAULT_LIMITS, type IngestLimits } from './limits.js';
import { extractParts, partName } from './mime.js';
import { extraReaderFor, sniffOutlook } from './outlook/index.js';
import { isContainer, kindOf, sniffMediaType } from './sniff.js';
import { messageBytes } from './message-start.js';
import { HeapGovernor } from '../util/heap.js';

/** Emails larger than this are stored and hashed but not parsed for attachments. */
const MAX_PARSED_EMAIL_BYTES = 256 * 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;
const SMALL_FILE_BYTES = 1024 * 1024;

export interface IngestProgress {
  /** Items stored so far: files, archive members, messages of mailboxes, attachments. */
  items: number;
  /** Bytes of input files stored (a file counts as soon as it is stored, before it is unpacked). */
  bytes: number;
  /** Bytes of input files stored and fully unpacked: the share of the work really done. */
  doneBytes: number;
  totalBytes: number;
  /** Input files stored and fully unpacked, of all the files under the paths given. */
  files: number;
  totalFiles: number;
  current: string;
}

export interface IngestOptions {
  limits?: IngestLimits;
  onProgress?: (p: IngestProgress) => void;
  /** Called for each problem as it is found, for the user's console. */
  onProblem?: (path: string, message: string) => void;
}

export interface IngestStats {
  /** Occurrences visited (including ones already in the case). */
  visited: number;
  newItems: number;
  newOccurrences: number;
  /** Top-level bytes read. */
  bytes: number;
  /** Items or entries that could not be read fully. */
  problems: number;
}

type Problem = { check: string; message: string; evidence: Finding['evidence'] };

/**
 * Walks the inputs depth-first in a fixed order, storing every byte sequence once and recording
 * every place it occurs. Idempotent: an occurrence already expanded is skipped, so a re-run after an
 * interruption continues where it stopped and yields exactly the case an uninterrupted run yields.
 */
export class Ingestor {
  private readonly limits: IngestLimits;
  private stats: IngestStats = { visited: 0, newItems: 0, newOccurrences: 0, bytes: 0, problems: 0 };
  private totalBytes = 0;
  private totalFiles = 0;
  private doneBytes = 0;
  private doneFiles = 0;
  // Each stored message leaves parse garbage; without this the heap of a 1 GB mbox ingest drifts
  // ~60 MB above the ~20 MB it really holds.
  private readonly heap = new HeapGovernor(16 * 1024 * 1024);

  constructor(
    private readonly kase: Case,
    private readonly opts: IngestOptions = {},
  ) {
    this.limits = opts.limits ?? DEFAULT_LIMITS;
  }

  async ingest(inputs: string[]): Promise<IngestStats> {
    const roots = inputs.map((p) => {
      const abs = resolve(p);
      return { abs, name: this.kase.rootNameFor(abs, basename(abs)) };
    });
    this.totalBytes = 0;
    this.totalFiles = 0;
    for (const r of roots) {
      const size = await sizeOf(r.abs);
      this.totalBytes += size.bytes;
      this.totalFiles += size.files;
    }
    for (const r of roots) await this.ingestFsPath(r.abs, r.name);
    return this.stats;
  }

  private async ingestFsPath(abs: string, occPath: string): Promise<void> {
    let st;
    try {
      st = await fsp.lstat(abs);
    } catch (err) {
      this.report(occPath, `cannot read ${abs}: ${(err as Error).message}`);
      return;
    }
    if (st.isSymbolicLink()) {
      // Links in a dump could point anywhere on the analyst's machine; never followed.
      this.report(occPath, `symbolic link not followed: ${abs}`);
      return;
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = (await fsp.readdir(abs)).sort();
      } catch (err) {
        this.report(occPath, `cannot list folder ${abs}: ${(err as Error).message}`);
        return;
      }
      for (const n of names) await this.ingestFsPath(join(abs, n), `${occPath}/${n}`);
      return;
    }
    if (!st.isFile()) return;
    const known = this.kase.occurrenceAt(occPath);
    if (known?.expanded && known.sourceSize === st.size) {
      this.stats.visited++;
      this.stats.bytes += st.size;
      this.fileDone(st.size, occPath);
      return;
    }
    let blob: StoredBlob;
    try {
      // Small files in one read; large ones streamed so memory stays flat.
      blob =
        st.size <= SMALL_FILE_BYTES
          ? await this.kase.blobs.putBuffer(readFileSync(abs))
          : await this.kase.blobs.putStream(createReadStream(abs, { highWaterMark: 1024 * 1024 }));
    } catch (err) {
      this.report(occPath, `cannot read ${abs}: ${(err as Error).message}. Check permissions and run the ingest again.`);
      return;
    }
    this.stats.bytes += st.size;
    await this.ingestBlob(blob, occPath, null, 0, st.size);
    this.fileDone(st.size, occPath);
  }

  private async ingestBlob(
    blob: StoredBlob,
    occPath: string,
    parentId: number | null,
    depth: number,
    sourceSize: number | null = null,
  ): Promise<void> {
    this.stats.visited++;
    this.heap.tick();
    const head = await this.kase.blobs.readHead(blob.sha256, SNIFF_BYTES);
    const { mediaType, kind } = await sniff(head, basename(occPath.split('!').pop() ?? occPath));
    const itemId = this.kase.transaction(() => {
      const { id, created } = this.kase.upsertItem(blob.sha256, blob.size, mediaType, kind);
      if (created) this.stats.newItems++;
      if (this.kase.addOccurrence(id, occPath, parentId, sourceSize)) this.stats.newOccurrences++;
      return id;
    });
    this.progress(occPath);
    if (this.kase.occurrenceAt(occPath)?.expanded) return;
    const problems = (await this.expand(itemId, blob, occPath, mediaType, kind, depth)).map((p) => aboutTheFile(p, blob, occPath, mediaType));
    this.kase.transaction(() => {
      for (const p of problems) this.kase.addFinding(itemId, 'ingest', { ...p, severity: 'warning' });
      this.kase.markExpanded(occPath);
    });
    for (const p of problems) this.report(occPath, p.message);
  }

  private async expand(
    itemId: number,
    blob: StoredBlob,
    occPath: string,
    mediaType: string,
    kind: ItemKind,
    depth: number,
  ): Promise<Problem[]> {
    const extra = extraReaderFor(mediaType);
    const wantsExpansion = extra !== undefined || kind === 'email' || isContainer(mediaType);
    if (!wantsExpansion) return [];
    if (depth >= this.limits.maxDepth) {
      return [
        {
          check: 'ingest.limit',
          message: `not opened: nested ${depth} containers deep (limit ${this.limits.maxDepth}; raise it with --max-depth)`,
          evidence: { depth, limit: this.limits.maxDepth },
        },
      ];
    }
    try {
      if (extra) return await this.expandEntries(itemId, occPath, depth, extra.open(blob.path, this.limits));
      if (kind === 'email') return await this.expandEmail(itemId, blob, occPath, depth);
      const name = basename(occPath.split('!').pop() ?? occPath);
      return await this.expandEntries(itemId, occPath, depth, openContainer(blob.path, mediaType, this.limits, { name }));
    } catch (err) {
      return [unreadable(`${(err as Error).message}`)];
    }
  }

  /** Members of an archive, mailbox or mail store, each stored and then ingested in turn. */
  private async expandEntries(
    itemId: number,
    occPath: string,
    depth: number,
    events: AsyncIterable<ContainerEvent>,
  ): Promise<Problem[]> {
    const problems: Problem[] = [];
    for await (const ev of events) {
      if (ev.type === 'problem') {
        problems.push({
          check: CHECK_FOR_PROBLEM[ev.code],
          message: ev.name ? `${ev.name}: ${ev.reason}` : ev.reason,
          evidence: { code: ev.code, ...(ev.name ? { entry: ev.name } : {}), reason: ev.reason },
        });
        continue;
      }
      let child: StoredBlob;
      try {
        child = await this.kase.blobs.putStream(ev.stream);
      } catch (err) {
        problems.push(unreadable(`${ev.name}: ${(err as Error).message}`, { entry: ev.name }));
        continue;
      }
      await this.ingestBlob(child, `${occPath}!${ev.name}`, itemId, depth + 1);
    }
    return problems;
  }

  private async expandEmail(itemId: number, blob: StoredBlob, occPath: string, depth: number): Promise<Problem[]> {
    if (blob.size > MAX_PARSED_EMAIL_BYTES) {
      return [unreadable(`email of ${blob.size} bytes not parsed for attachments (limit ${MAX_PARSED_EMAIL_BYTES})`)];
    }
    const parts = await extractParts(messageBytes(await this.kase.blobs.read(blob.sha256)));
    const problems = parts.problems.map((p) => unreadable(`MIME: ${p}`));
    let index = 0;
    for (const att of parts.attachments) {
      index++;
      const child = await this.kase.blobs.putBuffer(att.bytes);
      await this.ingestBlob(child, `${occPath}!${partName(att, index)}`, itemId, depth + 1);
    }
    return problems;
  }

  private progress(current: string): void {
    this.opts.onProgress?.({
      items: this.stats.visited,
      bytes: this.stats.bytes,
      doneBytes: this.doneBytes,
      totalBytes: this.totalBytes,
      files: this.doneFiles,
      totalFiles: this.totalFiles,
      current,
    });
  }

  /** One input file stored and unpacked (or skipped as already in the case). */
  private fileDone(size: number, occPath: string): void {
    this.doneFiles++;
    this.doneBytes += size;
    this.progress(occPath);
  }

  private report(path: string, message: string): void {
    this.stats.problems++;
    this.opts.onProblem?.(path, message);
  }
}

/**
 * A problem with the file itself (not one of its entries) says what the file is and what its name
 * claims, and never names the case's internal copy of it (`objects/ab/…`, a tool's scratch path).
 */
function aboutTheFile(p: Problem, blob: StoredBlob, occPath: string, mediaType: string): Problem {
  const name = basename(occPath.split('!').pop() ?? occPath);
  const scrubbed = p.message.split(blob.path).join(name).replace(/\/in\/[0-9a-f]{16,}/g, name);
  if (p.check !== 'ingest.unreadable' || (p.evidence && 'entry' in p.evidence)) return { ...p, message: scrubbed };
  const claim = claimOf(name);
  const what = claim && claim.accepts(mediaType) ? claim.label : claim ? `named as ${claim.label}, content: ${describeMediaType(mediaType)}` : describeMediaType(mediaType);
  return {
    ...p,
    message: `${name} (${what}) could not be read: ${scrubbed}`,
    evidence: { ...(p.evidence ?? {}), name, contentType: mediaType, ...(claim ? { claimed: claim.label } : {}) },
  };
}

/** Reading problems become findings; their ids say what kind of hostility or damage was met. */
const CHECK_FOR_PROBLEM: Record<ProblemCode, string> = {
  'zip-slip': 'ingest.hostile-path',
  link: 'ingest.link',
  'limit-bytes': 'ingest.limit',
  'limit-ratio': 'ingest.limit',
  'limit-entries': 'ingest.limit',
  corrupt: 'ingest.unreadable',
  encrypted: 'ingest.encrypted',
  unsupported: 'ingest.unreadable',
  'duplicate-name': 'ingest.duplicate-name',
};

/** Outlook and other mail stores first: the general sniffer does not tell them apart. */
async function sniff(head: Buffer, name: string): Promise<{ mediaType: string; kind: ItemKind }> {
  const outlook = sniffOutlook(head, name);
  if (outlook) return { mediaType: outlook, kind: kindOf(outlook) };
  return sniffMediaType(head, name);
}

function unreadable(message: string, extra: Finding['evidence'] = {}): Problem {
  return { check: 'ingest.unreadable', message, evidence: { reason: message, ...extra } };
}

async function sizeOf(abs: string): Promise<{ bytes: number; files: number }> {
  const st = await fsp.lstat(abs).catch(() => undefined);
  if (!st || st.isSymbolicLink()) return { bytes: 0, files: 0 };
  if (st.isFile()) return { bytes: st.size, files: 1 };
  if (!st.isDirectory()) return { bytes: 0, files: 0 };
  const total = { bytes: 0, files: 0 };
  for (const n of await fsp.readdir(abs).catch(() => [] as string[])) {
    const s = await sizeOf(join(abs, n));
    total.bytes += s.bytes;
    total.files += s.files;
  }
  return total;
}
