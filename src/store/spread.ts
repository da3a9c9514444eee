import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Case } from './case.js';

/**
 * The last `tamis spread --case` result of a case, kept as JSON beside the database (it is a
 * document read whole by the report and the workbench, not rows to query).
 */
const FILE = 'spread.json';

export function saveSpread(kase: Case, result: unknown): void {
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
