// DKIM tag=value lists (RFC 6376 3.2), shared by signatures, ARC headers and key records.

export interface TagList {
  /** Tag values with folding whitespace removed at both ends (inner FWS kept as found). */
  tags: Map<string, string>;
  /** Syntax problems: invalid tag names, duplicates, segments without '='. */
  errors: string[];
}

const TAG_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Trims space, tab, CR and LF: the folding whitespace allowed around names and values. */
export function trimFws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isFws(s.charCodeAt(a))) a++;
  while (b > a && isFws(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

function isFws(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** Parses `a=1; b=2;` into a map. Never throws: problems are returned as text. */
export function parseTagList(value: string): TagList {
  const tags = new Map<string, string>();
  const errors: string[] = [];
  const parts = value.split(';');
  for (let idx = 0; idx < parts.length; idx++) {
    const part = parts[idx] ?? '';
    if (trimFws(part) === '') {
      // Only a trailing ';' (empty last segment) is allowed by the grammar.
      if (idx !== parts.length - 1) errors.push('empty tag-spec between semicolons');
      continue;
    }
    const eq = part.indexOf('=');
    if (eq < 0) {
      errors.push(`tag without "=": ${JSON.stringify(trimFws(part).slice(0, 40))}`);
      continue;
    }
    const name = trimFws(part.slice(0, eq));
    if (!TAG_NAME.test(name)) {
      errors.push(`invalid tag name ${JSON.stringify(name.slice(0, 40))}`);
      continue;
    }
    if (tags.has(name)) {
      errors.push(`duplicate tag ${name}=`);
      continue;
    }
    tags.set(name, trimFws(part.slice(eq + 1)));
  }
  return { tags, errors };
}

/** Removes every whitespace character (base64 values may be folded anywhere). */
export function stripAllWsp(s: string): string {
  return s.replace(/[ \t\r\n]+/g, '');
}
