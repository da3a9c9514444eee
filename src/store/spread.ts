import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Case } from './case.js';
import type { SpreadResult, WorkbenchNetwork } from '../spread/analyse.js';

/**
 * The last `tamis spread --case` result of a case, kept as JSON beside the database (it is a
 * document read whole by the report and the workbench, not rows to query).
 */
const FILE = 'spread.json';

/** What `tamis spread --case` keeps: the analysis, when it ran, and the network for the workbench. */
export type StoredSpread = SpreadResult & { generatedAt?: string; inputs?: string[]; network?: WorkbenchNetwork };

export function saveSpread(kase: Case, result: StoredSpread): void {
  const dir = join(kase.dir, 'spread');
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `${FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify(result));
  renameSync(tmp, join(dir, FILE));
}

export function loadSpread(kase: Case): unknown {
  const path = join(kase.dir, 'spread', FILE);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** The stored analysis, when there is one of the shape this version reads (an older file is ignored, not misread). */
export function loadSpreadResult(kase: Case): StoredSpread | undefined {
  const r = loadSpread(kase) as Partial<StoredSpread> | null | undefined;
  const ok = !!r && typeof r === 'object' && Array.isArray(r.markers) && Array.isArray(r.accounts) && Array.isArray(r.items) && !!r.coordination && Array.isArray(r.coordination.clusters);
  return ok ? (r as StoredSpread) : undefined;
}
