/** One published DKIM public key record and where we got it. */
export interface DkimKey {
  domain: string;
  selector: string;
  /** The TXT record value, strings joined (e.g. `v=DKIM1; k=rsa; p=MIIB...`). */
  value: string;
  /** Where it came from: `file:line`, a key file path, or `dns:<name>@<time>`. */
  source: string;
  /** Archive dates (ISO), when the source records them. */
  firstSeenAt?: string;
  lastSeenAt?: string;
}

export interface KeyResolver {
  /** All known key records for `selector._domainkey.domain` (empty when none). */
  resolve(selector: string, domain: string): Promise<DkimKey[]>;
}

/** A user-facing loading problem, naming the file and line. */
export class KeyLoadError extends Error {
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}. Fix or remove this entry, or drop the file from --keys.`);
    this.name = 'KeyLoadError';
  }
}

/** Splits `sel._domainkey.example.org` into selector and domain; undefined if not a DKIM name. */
export function splitKeyName(name: string): { selector: string; domain: string } | undefined {
  const n = name.replace(/\.$/, '');
  const at = n.toLowerCase().indexOf('._domainkey.');
  if (at <= 0) return undefined;
  return { selector: n.slice(0, at), domain: n.slice(at + '._domainkey.'.length) };
}
