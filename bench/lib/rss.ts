// Runs a command and measures wall time and peak resident memory of the process it starts.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  code: number | null;
  signal: NodeJS.Signals | null;
  wallSeconds: number;
  /** Peak RSS in bytes (undefined if it could not be measured). */
  peakRssBytes?: number;
  rssMethod: string;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';

function readKb(pid: number, field: string): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // the process has exited
  }
}

/**
 * Prefers GNU time's "Maximum resident set size" (the kernel's exact peak); without it, polls
 * /proc/<pid>/status every 50 ms for VmHWM (the peak so far) and VmRSS.
 */
export function measure(cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<Measured> {
  const useTime = existsSync(GNU_TIME);
  const timeFile = join(tmpdir(), `tamis-bench-time-${process.pid}-${Date.now()}.txt`);
  const argv = useTime ? [GNU_TIME, '-v', '-o', timeFile, cmd, ...args] : [cmd, ...args];
  const started = process.hrtime.bigint();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  let polledKb = 0;
  const poll = useTime
    ? undefined
    : setInterval(() => {
        const kb = Math.max(readKb(child.pid!, 'VmHWM') ?? 0, readKb(child.pid!, 'VmRSS') ?? 0);
        polledKb = Math.max(polledKb, kb);
      }, 50);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (poll) clearInterval(poll);
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      let peakRssBytes: number | undefined = polledKb > 0 ? polledKb * 1024 : undefined;
      let rssMethod = 'polled /proc VmHWM every 50 ms';
      if (useTime) {
        rssMethod = 'GNU time -v (max RSS)';
        try {
          const text = readFileSync(timeFile, 'utf8');
          const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
          peakRssBytes = m ? Number(m[1]) * 1024 : undefined;
          // GNU time exits with the command's status; "Command exited with non-zero status" is in the file.
        } catch {
          peakRssBytes = undefined;
        }
        rmSync(timeFile, { force: true });
      }
      resolve({ code, signal, wallSeconds, ...(peakRssBytes !== undefined ? { peakRssBytes } : {}), rssMethod, stdout, stderr });
    });
  });
}
