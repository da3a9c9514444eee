// Generated benchmark data lives outside the repo, in os.tmpdir()/tamis-bench-cache, one folder per
// parameter set (hashed), so a second run with the same parameters reuses it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CACHE_ROOT = process.env.TAMIS_BENCH_CACHE ?? join(tmpdir(), 'tamis-bench-cache');

const DONE_MARKER = 'complete.json';

export function cacheKey(params: object): string {
  return createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 12);
}

/**
 * Returns the folder for `name-<hash(params)>`, building it with `build` first unless a complete copy
 * exists. Building happens in a scratch folder renamed at the end, so an interrupted run leaves no
 * half-made cache behind. `build` returns a small JSON summary, stored and returned on reuse.
 */
export async function cached<T>(
  name: string,
  params: object,
  build: (dir: string) => Promise<T>,
): Promise<{ dir: string; summary: T; reused: boolean }> {
  const dir = join(CACHE_ROOT, `${name}-${cacheKey(params)}`);
  const marker = join(dir, DONE_MARKER);
  if (existsSync(marker)) {
    return { dir, summary: JSON.parse(readFileSync(marker, 'utf8')) as T, reused: true };
  }
  rmSync(dir, { recursive: true, force: true });
  const scratch = `${dir}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const summary = await build(scratch);
  writeFileSync(join(scratch, 'params.json'), JSON.stringify(params, null, 2));
  writeFileSync(join(scratch, DONE_MARKER), JSON.stringify(summary));
  renameSync(scratch, dir);
  return { dir, summary, reused: false };
}
