import { createReadStream, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import sevenZipModule, { type SevenZipModuleFactory } from '7z-wasm';
import type { IngestLimits } from './limits.js';
import type { ContainerEvent, ProblemCode } from './outlook/types.js';

/*
 * 7z and RAR archives through 7-Zip compiled to WebAssembly (7z-wasm): no native binary, works
 * offline, same decoder as the reference tool. The archive is listed first and checked against the
 * limits; only then are the admitted entries extracted, to a private temporary folder on disk (the
 * WASM file system is mounted onto it, so nothing large is held in memory), and streamed from there.
 */

/** One file as 7-Zip lists it (`l -slt`). */
export interface SevenZipEntry {
  path: string;
  size: number;
  folder: boolean;
  encrypted: boolean;
  link: boolean;
}

export interface SevenZipListing {
  type?: string;
  physicalSize?: number;
  entries: SevenZipEntry[];
}

interface RunResult {
  out: string[];
  err: string[];
  exitCode: number;
  /** Set when 7-Zip aborted with an uncaught exception instead of exiting. */
  crashed?: string;
}

// UMD build: Node's ESM interop hands over `module.exports`, which is the factory itself.
const SevenZip = ((sevenZipModule as unknown as { default?: SevenZipModuleFactory }).default ??
  sevenZipModule) as unknown as SevenZipModuleFactory;

const IN = '/in';
const OUT = '/out';
/** A password is never known: a dummy one keeps 7-Zip from prompting on stdin for encrypted items. */
const NO_PASSWORD = '-ptamis-no-password';

async function run7z(args: string[], mounts: { dir: string; at: string }[]): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  let quitCode: number | undefined;
  const sz = await SevenZip({
    print: (s) => out.push(s),
    printErr: (s) => err.push(s),
    stdin: () => null as unknown as number, // end of input: never answer a prompt
    quit: (code) => {
      quitCode = code;
    },
  });
  // 7-Zip restores Unix modes (0 for some tar members), which would make extracted files unreadable.
  sz.FS.chmod = () => undefined;
  for (const m of mounts) {
    sz.FS.mkdir(m.at);
    sz.FS.mount(sz.NODEFS, { root: m.dir }, m.at);
  }
  let exitCode = 0;
  let crashed: string | undefined;
  try {
    const ret = sz.callMain(args) as unknown;
    if (typeof ret === 'number') exitCode = ret;
  } catch (e) {
    crashed = String(e);
  }
  if (quitCode !== undefined && quitCode !== 0) exitCode = quitCode;
  return { out, err, exitCode, crashed };
}

/** Parses `7zz l -slt` output. */
export function parseListing(lines: string[]): SevenZipListing {
  const listing: SevenZipListing = { entries: [] };
  const sep = lines.indexOf('----------');
  const blocks: Record<string, string>[] = [];
  let cur: Record<string, string> = {};
  const flush = () => {
    if (Object.keys(cur).length > 0) blocks.push(cur);
    cur = {};
  };
  for (const line of lines.slice(sep + 1)) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    const eq = line.indexOf(' = ');
    if (eq > 0) cur[line.slice(0, eq)] = line.slice(eq + 3);
    else if (line.endsWith(' =')) cur[line.slice(0, -2)] = '';
  }
  flush();
  const header = lines.slice(0, sep < 0 ? lines.length : sep);
  for (const l of header) {
    const m = /^(Type|Physical Size) = (.*)$/.exec(l);
    if (m?.[1] === 'Type') listing.type = m[2];
    if (m?.[1] === 'Physical Size') listing.physicalSize = Number(m[2]);
  }
  for (const b of blocks) {
    if (b.Path === undefined) continue;
    const attrs = b.Attributes ?? '';
    listing.entries.push({
      path: b.Path,
      size: Number(b.Size ?? 0) || 0,
      folder: b.Folder === '+' || /^D/.test(attrs),
      encrypted: b.Encrypted === '+',
      // Unix mode in the attributes ("A lrwxrwxrwx"), or a link target column.
      link: /\sl[rwx-]{9}/.test(attrs) || !!b['Symbolic Link'] || !!b['Hard Link'],
    });
  }
  return listing;
}

/** Why a name cannot be used as an entry name, or undefined when it is safe. */
function unsafeName(name: string): string | undefined {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'absolute path';
  if (name.split(/[/\\]/).some((seg) => seg === '..')) return 'parent-directory (..) component';
  if (name.includes('\0')) return 'NUL byte in name';
  return undefined;
}

/** Lists an archive; throws with a readable reason when 7-Zip cannot open it. */
export async function listSevenZip(filePath: string): Promise<SevenZipListing> {
  const abs = resolve(filePath);
  const r = await run7z(['l', '-slt', '-sccUTF-8', NO_PASSWORD, `${IN}/${basename(abs)}`], [{ dir: dirname(abs), at: IN }]);
  const errText = r.err.join('\n');
  if (r.crashed || r.exitCode !== 0 || /ERROR|Can ?not open/i.test(errText)) {
    throw new SevenZipError(
      /password|encrypted/i.test(errText) || (r.crashed !== undefined && (await hasAesCoder(abs)))
        ? 'encrypted'
        : 'corrupt',
      errText.trim() ||
        (r.crashed ? `7-Zip aborted reading the archive headers (${r.crashed})` : `7-Zip exit code ${r.exitCode}`),
    );
  }
  return parseListing(r.out);
}

export class SevenZipError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A 7z whose header is encrypted cannot even be listed without the password, and 7z-wasm aborts
 * rather than reporting it; the AES coder id (06 F1 07 01) in the end header tells that case apart.
 */
async function hasAesCoder(abs: string): Promise<boolean> {
  const fh = await fsp.open(abs, 'r');
  try {
    const { size } = await fh.stat();
    const n = Math.min(size, 4096);
    const buf = Buffer.alloc(n);
    await fh.read(buf, 0, n, size - n);
    return buf.includes(Buffer.from([0x06, 0xf1, 0x07, 0x01]));
  } finally {
    await fh.close();
  }
}

/**
 * Yields the files of a 7z or RAR archive (any format 7-Zip reads), in listing order. Traversal
 * names become 'zip-slip' problems, links 'link', encrypted entries 'encrypted'; the entry count,
 * total size and overall expansion ratio are checked on the listing before anything is extracted.
 */
export async function* readSevenZip(filePath: string, limits: IngestLimits): AsyncIterable<ContainerEvent> {
  let listing: SevenZipListing;
  try {
    listing = await listSevenZip(filePath);
  } catch (err) {
    const code = err instanceof SevenZipError ? err.code : 'corrupt';
    const what = code === 'encrypted' ? 'is encrypted (no password is known)' : 'cannot be read as an archive';
    yield { type: 'problem', reason: `${filePath} ${what}: ${(err as Error).message}`, code };
    return;
  }
  const physical = listing.physicalSize ?? (await fsp.stat(filePath)).size;
  const admitted: SevenZipEntry[] = [];
  let total = 0;
  let stopped = false;
  const seen = new Set<string>();
  for (const e of listing.entries) {
    if (e.folder) continue;
    if (seen.has(e.path)) {
      // Extraction would overwrite the first with the second: neither could be trusted.
      yield { type: 'problem', name: e.path, reason: 'a second entry has the same name; only the first is extracted', code: 'duplicate-name' };
      continue;
    }
    seen.add(e.path);
    const bad = unsafeName(e.path);
    if (bad) {
      yield { type: 'problem', name: e.path, reason: `unsafe entry name (${bad}); not extracted`, code: 'zip-slip' };
      continue;
    }
    if (e.link) {
      yield { type: 'problem', name: e.path, reason: 'entry is a link; links are never followed or extracted', code: 'link' };
      continue;
    }
    if (e.encrypted) {
      yield { type: 'problem', name: e.path, reason: 'entry is encrypted (no password is known)', code: 'encrypted' };
      continue;
    }
    if (stopped) continue;
    const limit = limitHit(admitted.length + 1, total + e.size, physical, limits);
    if (limit) {
      yield { type: 'problem', name: e.path, reason: `${limit.reason}; this and later entries are not extracted`, code: limit.code };
      stopped = true;
      continue;
    }
    admitted.push(e);
    total += e.size;
  }
  if (admitted.length === 0) return;
  yield* extractAndYield(filePath, listing, admitted);
}

function limitHit(
  entries: number,
  bytes: number,
  physical: number,
  limits: IngestLimits,
): { code: ProblemCode; reason: string } | undefined {
  if (entries > limits.maxEntries) return { code: 'limit-entries', reason: `more than ${limits.maxEntries} entries` };
  if (bytes > limits.maxExpandedBytes) return { code: 'limit-bytes', reason: `expanded size over ${limits.maxExpandedBytes} bytes` };
  if (physical > 0 && bytes > limits.maxRatio * physical) {
    return { code: 'limit-ratio', reason: `expands more than ${limits.maxRatio} times the archive's ${physical} bytes` };
  }
  return undefined;
}

async function* extractAndYield(
  filePath: string,
  listing: SevenZipListing,
  admitted: SevenZipEntry[],
): AsyncIterable<ContainerEvent> {
  const abs = resolve(filePath);
  const work = await fsp.mkdtemp(join(tmpdir(), 'tamis-7z-'));
  try {
    const outDir = join(work, 'out');
    await fsp.mkdir(outDir);
    const files = listing.entries.filter((e) => !e.folder);
    const all = admitted.length === files.length;
    const args = ['x', '-sccUTF-8', '-scsUTF-8', NO_PASSWORD, '-y', '-aos', '-spd', `-o${OUT}/out`, `${IN}/${basename(abs)}`];
    if (!all) {
      await fsp.writeFile(join(work, 'list.txt'), admitted.map((e) => e.path).join('\n') + '\n', 'utf8');
      args.push(`@${OUT}/list.txt`);
    }
    const r = await run7z(args, [
      { dir: dirname(abs), at: IN },
      { dir: work, at: OUT },
    ]);
    const failed = failedNames(r.err);
    if (r.crashed) {
      yield { type: 'problem', reason: `${filePath}: 7-Zip stopped while extracting (${r.crashed}); entries not yet written are missing`, code: 'corrupt' };
    }
    for (const e of admitted) {
      const path = join(outDir, e.path);
      const st = await fsp.stat(path).catch(() => undefined);
      if (!st?.isFile()) {
        yield { type: 'problem', name: e.path, reason: 'listed but not extracted (damaged archive?)', code: 'corrupt' };
        continue;
      }
      const stream = createReadStream(path);
      yield { type: 'entry', name: e.path.replace(/\\/g, '/'), size: st.size, stream };
      // The caller consumes the stream before pulling the next event; release the file either way.
      stream.destroy();
      if (failed.has(e.path)) {
        yield { type: 'problem', name: e.path, reason: `7-Zip reported a data/CRC error for this entry: its bytes may be damaged`, code: 'corrupt' };
      }
    }
    if (r.exitCode !== 0 && failed.size === 0 && !r.crashed) {
      yield { type: 'problem', reason: `${filePath}: 7-Zip reported errors: ${r.err.join(' ').trim()}`, code: 'corrupt' };
    }
  } finally {
    await fsp.rm(work, { recursive: true, force: true });
  }
}

/** Entry names 7-Zip reported as damaged (`ERROR: Data Error : name`, `CRC Failed : name`). */
function failedNames(err: string[]): Set<string> {
  const names = new Set<string>();
  for (const line of err) {
    const m = /(?:ERROR: )?(?:Data Error|CRC Failed|Unexpected end of data|Headers Error)[^:]*: (.+)$/.exec(line);
    if (m?.[1]) names.add(m[1].trim());
  }
  return names;
}
