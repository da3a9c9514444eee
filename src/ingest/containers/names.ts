import { posix } from 'node:path';
import { problem, type ContainerProblem } from './types.js';

/**
 * Turns names as stored in an archive into safe, unique occurrence path segments.
 * Nothing is ever written to disk under these names, but the occurrence path must be clean and
 * unambiguous: hostile names (absolute, `..`, drive letters, backslashes) are reported and
 * neutralised, '!' (our container separator) and control characters are percent-encoded, and
 * duplicates get a `~N` suffix so two entries never share one path.
 */
export class EntryNamer {
  private readonly used = new Set<string>();
  private unnamed = 0;

  /** `raw` is the name exactly as stored (already decoded to text). */
  name(raw: string): { name: string; problems: ContainerProblem[] } {
    const problems: ContainerProblem[] = [];
    const hostile: string[] = [];
    let s = raw;
    if (s.includes('\\')) {
      hostile.push('backslash separators');
      s = s.replace(/\\/g, '/');
    }
    if (/^[A-Za-z]:/.test(s)) {
      hostile.push('drive letter');
      s = s.slice(2);
    }
    if (s.startsWith('/')) hostile.push('absolute path');
    const segments: string[] = [];
    let dotdot = false;
    for (const seg of s.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') {
        dotdot = true;
        continue;
      }
      segments.push(encodeSegment(seg));
    }
    if (dotdot) hostile.push("'..' segments");
    let name = segments.join('/');
    if (name === '') name = `unnamed-${++this.unnamed}`;
    if (this.used.has(name)) {
      const unique = this.uniquify(name);
      problems.push(problem('duplicate-name', `another entry already has the name '${name}'; this one is read as '${unique}'`, raw));
      name = unique;
    }
    this.used.add(name);
    if (hostile.length > 0) {
      problems.unshift(problem('zip-slip', `unsafe entry name (${hostile.join(', ')}); read as '${name}'`, raw));
    }
    return { name, problems };
  }

  private uniquify(name: string): string {
    const ext = posix.extname(name);
    const stem = ext && ext !== name ? name.slice(0, -ext.length) : name;
    for (let i = 2; ; i++) {
      const candidate = `${stem}~${i}${ext === name ? '' : ext}`;
      if (!this.used.has(candidate)) return candidate;
    }
  }
}

/**
 * Percent-encodes what would make a path ambiguous: '!' (container separator), control characters,
 * and a '%' that already looks like an escape, so decoding stays one-to-one.
 */
function encodeSegment(seg: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  return seg.replace(/%(?=[0-9A-Fa-f]{2})|[!\u0000-\u001f\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
