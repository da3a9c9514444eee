// An evidence bundle: the original bytes of chosen items (plus the items that prove them), the DKIM keys
// their signatures need, a SHA-256 manifest and a report, so anyone can re-check the verdicts offline.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { localPathRedactor, type Redact } from './public-paths.js';
import { ITEM_KINDS, VERDICTS, type ItemKind, type Verdict } from '../model.js';
import type { Case, ItemRow, StoredKey } from '../store/case.js';
import { buildReport } from './from-case.js';
import { renderJson } from './json.js';
import { dkimRows } from './order.js';
import { bundleReadme } from './bundle-readme.js';
import type { CaseReport } from './types.js';

export class BundleError extends Error {}

export interface BundleOptions {
  /** Write into a folder that already has files (its `originals/` is emptied first). */
  force?: boolean;
  now?: Date;
}

export interface BundleResult {
  dir: string;
  /** Ids of the items asked for, in the order given (duplicates removed). */
  items: number[];
  /** Ids of the items included because they prove an asked-for item (verified carriers), by id. */
  carriers: number[];
  keys: StoredKey[];
  report: CaseReport;
  /** Items whose verdict rests on comparing them with the rest of the dump, which the bundle does not hold. */
  contextDependent: ContextDependence[];
}

export interface ContextDependence {
  id: number;
  /** Check ids of the corpus findings (warning, critical or proof) the verdict rests on. */
  checks: string[];
}

/** Files written at the top of a bundle; `--force` replaces exactly these and `originals/`. */
export const BUNDLE_FILES = ['keys.jsonl', 'MANIFEST.sha256', 'report.json', 'README.md'] as const;

export function resolveItemRefs(kase: Case, refs: readonly string[]): ItemRow[] {
  const out = new Map<number, ItemRow>();
  for (const ref of refs) {
    const item = kase.findItem(ref.trim());
    if (!item) {
      throw new BundleError(
        `No item ${ref} in the case at ${kase.dir}. Use an item id or a SHA-256 prefix (6+ hex digits) from \`tamis report\`.`,
      );
    }
    out.set(item.id, item);
  }
  return [...out.values()];
}

/**
 * The items whose bytes prove the given ones: each `provenance.inherited` finding names its carrier
 * (the verified email that carries an attachment, or that holds identical bytes), followed transitively.
 */
export function carriersOf(kase: Case, ids: readonly number[]): number[] {
  const seen = new Set(ids);
  const carriers: number[] = [];
  const queue = [...ids];
  while (queue.length > 0) {
    const id = queue.shift() as number;
    for (const f of kase.findingsOf(id)) {
      if (f.check !== 'provenance.inherited') continue;
      const carrier = f.evidence['carrier'];
      if (typeof carrier !== 'number' || seen.has(carrier) || !kase.item(carrier)) continue;
      seen.add(carrier);
      carriers.push(carrier);
      queue.push(carrier);
    }
  }
  return carriers.sort((a, b) => a - b);
}

/**
 * Items whose verdict rests on corpus findings (checks comparing an item with the rest of the dump, e.g. a
 * domain's signing habit): re-ingesting the bundle alone cannot reproduce those, and the reader must be told.
 */
export function contextDependence(kase: Case, ids: readonly number[]): ContextDependence[] {
  const out: ContextDependence[] = [];
  for (const id of ids) {
    const checks = kase
      .findingsOf(id)
      .filter((f) => f.stage === 'corpus' && (f.severity !== 'info' || f.proof !== undefined))
      .map((f) => f.check);
    if (checks.length > 0) out.push({ id, checks: [...new Set(checks)].sort() });
  }
  return out;
}

/** Keys of the case matching a (d=, s=) pair of any DKIM or ARC signature of the report's items. */
export function keysUsedBy(kase: Case, report: CaseReport): StoredKey[] {
  const wanted = new Set<string>();
  for (const it of report.items) for (const r of dkimRows(it)) wanted.add(`${r.d.toLowerCase()}\u0000${r.s.toLowerCase()}`);
  return kase.keys().filter((k) => wanted.has(`${k.domain}\u0000${k.selector}`));
}

/** The report narrowed to the bundle: its items, the keys they use, and a summary of just those items. */
function narrowReport(report: CaseReport, keys: readonly StoredKey[], redact: Redact): CaseReport {
  const byVerdict = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  const byKind = Object.fromEntries(ITEM_KINDS.map((k) => [k, 0])) as Record<ItemKind, number>;
  for (const it of report.items) {
    byVerdict[it.verdict]++;
    byKind[it.kind]++;
  }
  const used = new Set(keys.map((k) => `${k.domain}\u0000${k.selector}\u0000${redact(k.source)}`));
  return {
    ...report,
    summary: { items: report.items.length, byVerdict, byKind },
    keys: report.keys.filter((k) => used.has(`${k.domain}\u0000${k.selector}\u0000${k.source}`)),
  };
}

async function prepareOutDir(dir: string, force: boolean): Promise<void> {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new BundleError(`${dir} exists and is not a folder. Choose another --bundle path.`);
    const entries = await readdir(dir);
    if (entries.length > 0 && !force) {
      throw new BundleError(
        `${dir} is not empty (${entries.length} entries). Choose a new folder, or pass --force to replace the bundle files in it.`,
      );
    }
    // Only what a bundle writes is replaced; a stale original would otherwise be re-ingested by the re-check.
    await rm(join(dir, 'originals'), { recursive: true, force: true });
    for (const f of BUNDLE_FILES) await rm(join(dir, f), { force: true });
  }
  await mkdir(join(dir, 'originals'), { recursive: true });
}

const sha256Of = async (path: string): Promise<string> => createHash('sha256').update(await readFile(path)).digest('hex');

/** Copies one original out of the content store and checks the copy still has the hash it is filed under. */
async function copyOriginal(kase: Case, sha256: string, dir: string): Promise<void> {
  const from = kase.blobs.pathOf(sha256);
  if (!existsSync(from)) {
    throw new BundleError(`The original bytes of ${sha256} are missing from ${join(kase.dir, 'objects')}. Re-run \`tamis ingest\` on the dump.`);
  }
  const to = join(dir, 'originals', sha256);
  await copyFile(from, to);
  const got = await sha256Of(to);
  if (got !== sha256) {
    throw new BundleError(`The stored copy of ${sha256} now hashes to ${got}: the case's objects/ folder was altered. Re-ingest the dump.`);
  }
}

const keyLine = (k: StoredKey, redact: Redact): string =>
  JSON.stringify({
    domain: k.domain,
    selector: k.selector,
    value: k.value,
    ...(k.firstSeenAt ? { firstSeenAt: k.firstSeenAt } : {}),
    ...(k.lastSeenAt ? { lastSeenAt: k.lastSeenAt } : {}),
    source: redact(k.source),
  });

/** Writes the bundle of `refs` (ids or SHA-256 prefixes) into `outDir`. */
export async function writeBundle(kase: Case, refs: readonly string[], outDir: string, opts: BundleOptions = {}): Promise<BundleResult> {
  if (refs.length === 0) throw new BundleError('No item given. Name at least one item id or SHA-256 prefix to export.');
  const items = resolveItemRefs(kase, refs);
  const ids = items.map((i) => i.id);
  const carriers = carriersOf(kase, ids);
  const dir = resolve(outDir);
  await prepareOutDir(dir, opts.force ?? false);

  const full = buildReport(kase, { only: [...ids, ...carriers], ...(opts.now ? { now: opts.now } : {}) });
  const keys = keysUsedBy(kase, full);
  const redact = localPathRedactor(kase);
  const report = narrowReport(full, keys, redact);
  const hashes = [...new Set(report.items.map((i) => i.sha256))].sort();
  for (const h of hashes) await copyOriginal(kase, h, dir);

  await writeFile(join(dir, 'MANIFEST.sha256'), hashes.map((h) => `${h}  originals/${h}\n`).join(''));
  await writeFile(join(dir, 'keys.jsonl'), keys.map((k) => `${keyLine(k, redact)}\n`).join(''));
  await writeFile(join(dir, 'report.json'), renderJson(report));
  const contextDependent = contextDependence(kase, [...ids, ...carriers]);
  await writeFile(join(dir, 'README.md'), bundleReadme(report, { ids, carriers, contextDependent }));
  return { dir, items: ids, carriers, keys, report, contextDependent };
}
