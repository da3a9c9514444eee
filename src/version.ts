import { readFileSync } from 'node:fs';

/** Read from package.json so the report names exactly the release that produced it. */
function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tamis' && pkg.version) return pkg.version;
    } catch {
      // try the next location: src/ when run from source, dist/src/ when built
    }
  }
  return '0.0.0';
}

export const TOOL_VERSION = readVersion();
