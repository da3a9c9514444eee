// Runs the real CLI from source, as a user would run the built one, from any working directory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const main = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', 'src', 'cli', 'main.ts');
const args = (extra: string[]) => ['--import', tsx, main, ...extra];

export function tamis(extra: string[], cwd?: string) {
  return spawnSync(process.execPath, args(extra), { cwd, encoding: 'utf8' });
}

export function tamisChild(extra: string[]): ChildProcess {
  return spawn(process.execPath, args(extra), { stdio: 'ignore' });
}
