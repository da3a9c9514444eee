// The DKIM verifiers we compare against, how to check they are installed, and how to run one
// over a list of messages in its own process pinned to one core.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchMessage } from './dkim-corpus.js';

export interface PeerReport {
  count: number;
  /** Wall time of the whole verify loop inside the peer process (start-up and file reading excluded). */
  loopSeconds: number;
  /** Time of each verification, in the order of the paths given. */
  ns: number[];
  /** '1' for a message the peer said passes, '0' otherwise. */
  pass: string;
  failures: string[];
}

export interface Peer {
  id: string;
  label: string;
  /** Which messages the peer can verify at all (others are left out of its run and its ratio). */
  supports: (m: BenchMessage) => boolean;
  note?: string;
  command: (keyTable: string, pathsFile: string) => string[];
}

const here = dirname(fileURLToPath(import.meta.url));
// Works both from bench/lib/*.ts (tsx) and dist/bench/lib/*.js (compiled).
const ext = extname(fileURLToPath(import.meta.url));
const PEERS_DIR = join(here, '..', 'peers');
// Scripts in bench/peers are not compiled; from dist/ point back at the sources.
const SCRIPT_DIR = ext === '.js' ? join(here, '..', '..', '..', 'bench', 'peers') : PEERS_DIR;
// Debian's interpreter: a pyenv/venv python3 earlier in PATH does not see python3-dkim.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function nodePeer(id: string, label: string): Peer {
  return {
    id,
    label,
    supports: () => true,
    command: (keys, paths) => [process.execPath, ...process.execArgv, join(PEERS_DIR, `node-verify${ext}`), id, keys, paths],
  };
}

export const PEERS: Peer[] = [
  nodePeer('tamis', 'tamis (ours)'),
  {
    id: 'dkimpy',
    label: 'dkimpy',
    supports: () => true,
    command: (keys, paths) => [PYTHON, join(SCRIPT_DIR, 'dkimpy_verify.py'), keys, paths],
  },
  {
    id: 'mail-dkim',
    label: 'Perl Mail::DKIM',
    // Debian 12's Mail::DKIM 1.20230212 rejects k=ed25519 keys ("unsupported key type" in
    // Mail::DKIM::PublicKey::check), so it only gets the RSA messages.
    supports: (m) => m.algorithm === 'rsa-sha256',
    note: 'RSA only: Mail::DKIM 1.20230212 has no ed25519',
    command: (keys, paths) => ['perl', join(SCRIPT_DIR, 'mail_dkim_verify.pl'), keys, paths],
  },
  nodePeer('mailauth', 'mailauth dkimVerify'),
];

function runQuiet(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

const checks: Record<string, () => boolean> = {
  dkimpy: () => runQuiet(PYTHON, ['-c', 'import dkim, nacl']),
  'mail-dkim': () => runQuiet('perl', ['-MMail::DKIM::Verifier', '-MNet::DNS', '-MJSON::PP', '-e1']),
};

/**
 * Makes sure the Debian peers are there, installing them with apt-get when we are root.
 * Returns the ids of peers that cannot run, with the reason.
 */
export function ensurePeers(log: (s: string) => void): Map<string, string> {
  const missing = Object.keys(checks).filter((id) => !checks[id]!());
  const unavailable = new Map<string, string>();
  if (missing.length === 0) return unavailable;
  const pkgs = ['python3-dkim', 'python3-nacl', 'libmail-dkim-perl', 'opendkim-tools'];
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    log(`peers missing (${missing.join(', ')}): running apt-get update && apt-get install -y ${pkgs.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    if (update.status === 0) spawnSync('apt-get', ['install', '-y', ...pkgs], { stdio: 'inherit', env });
  } else {
    log(`peers missing (${missing.join(', ')}) and cannot install (needs root and apt-get): apt-get install ${pkgs.join(' ')}`);
  }
  for (const id of missing) {
    if (!checks[id]!()) unavailable.set(id, `not installed (apt-get install ${id === 'dkimpy' ? 'python3-dkim python3-nacl' : 'libmail-dkim-perl'} failed or was impossible)`);
  }
  return unavailable;
}

const TASKSET = existsSync('/usr/bin/taskset') ? '/usr/bin/taskset' : undefined;
export const pinnedToOneCore = TASKSET !== undefined;

/** Runs one peer over the given message paths, pinned to CPU 0 when taskset exists. */
export function runPeer(peer: Peer, keyTable: string, paths: string[], scratchDir: string): PeerReport {
  const pathsFile = join(scratchDir, `paths-${peer.id}.txt`);
  writeFileSync(pathsFile, paths.join('\n') + '\n');
  const [cmd, ...args] = peer.command(keyTable, pathsFile);
  const argv = TASKSET ? [TASKSET, '-c', '0', cmd!, ...args] : [cmd!, ...args];
  const r = spawnSync(argv[0]!, argv.slice(1), { maxBuffer: 1 << 28, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    throw new Error(`${peer.label} exited with ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  }
  const report = JSON.parse(r.stdout) as PeerReport;
  if (report.count !== paths.length) throw new Error(`${peer.label} verified ${report.count} of ${paths.length} messages`);
  return report;
}
