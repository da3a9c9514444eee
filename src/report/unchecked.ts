// Signed emails whose signatures could not be checked: the gap a reader must be told about, because a
// "consistent" verdict on such a message says nothing about it, and a forged one looks the same.
import type { Json } from '../model.js';

/** One DKIM signature (not ARC) of an email that could not be checked, and why. */
export interface UncheckedSignature {
  d: string;
  s: string;
  /** 'no-key': no public key for d=/s= in the case; 'unreadable': the signature itself could not be used. */
  reason: 'no-key' | 'unreadable';
}

/** Counts over a case: how many signed emails were checked, and which keys were missing. */
export interface SignatureCoverage {
  /** Emails with at least one DKIM signature. */
  signedEmails: number;
  /** Of those, emails where no DKIM signature could be checked at all. */
  uncheckedEmails: number;
  /** Missing keys (d=, s=) and how many of the unchecked emails each would unlock, most first. */
  missingKeys: { d: string; s: string; emails: number }[];
  /** Unchecked emails whose signatures could not be used even with a key (malformed tags, ...). */
  unreadableEmails: number;
}

const isObject = (v: Json | undefined): v is { [k: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: Json | undefined): string => (typeof v === 'string' ? v : '');

/** DKIM rows of the metadata (ARC seals excluded: they do not say whether the sender signed). */
function dkimSignatureRows(metadata: { [k: string]: Json }): { [k: string]: Json }[] {
  const raw = metadata['dkim'];
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).filter((r) => r['kind'] === undefined || r['kind'] === 'DKIM');
}

/**
 * The DKIM signatures of an email that could not be checked, when none of them could: a signed email
 * whose every signature is undecided. Empty for unsigned mail and for mail where one signature was checked.
 */
export function uncheckedSignatures(metadata: { [k: string]: Json }): UncheckedSignature[] {
  const rows = dkimSignatureRows(metadata);
  if (rows.length === 0 || rows.some((r) => typeof r['signatureOk'] === 'boolean')) return [];
  return rows.map((r) => ({
    d: str(r['d']),
    s: str(r['s']),
    reason: r['result'] === 'nokey' || r['keySource'] === null ? 'no-key' : 'unreadable',
  }));
}

/** Accumulates SignatureCoverage over items one at a time, so a large case is never held whole. */
export class SignatureCoverageCounter {
  private signed = 0;
  private unchecked = 0;
  private unreadable = 0;
  private readonly missing = new Map<string, { d: string; s: string; emails: number }>();

  add(kind: string, metadata: { [k: string]: Json }): void {
    if (kind !== 'email' || dkimSignatureRows(metadata).length === 0) return;
    this.signed++;
    const sigs = uncheckedSignatures(metadata);
    if (sigs.length === 0) return;
    this.unchecked++;
    if (sigs.every((s) => s.reason === 'unreadable')) this.unreadable++;
    const seen = new Set<string>();
    for (const s of sigs) {
      if (s.reason !== 'no-key') continue;
      const key = `${s.d}\u0000${s.s}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const m = this.missing.get(key) ?? { d: s.d, s: s.s, emails: 0 };
      m.emails++;
      this.missing.set(key, m);
    }
  }

  result(): SignatureCoverage {
    return {
      signedEmails: this.signed,
      uncheckedEmails: this.unchecked,
      missingKeys: [...this.missing.values()].sort((a, b) => b.emails - a.emails || a.d.localeCompare(b.d) || a.s.localeCompare(b.s)),
      unreadableEmails: this.unreadable,
    };
  }
}

export const FIX_MISSING_KEYS =
  'To check them, give the signing domains\u2019 archived public keys with --keys FILE (JSON Lines, zone file or key folder, ' +
  'e.g. from archive.prove.email) and run the ingest again, or add --dns to look keys up in live DNS ' +
  '(today\u2019s keys only: keys of old mail have often been rotated away).';

/** The plain-language lines of SignatureCoverage; empty when every signed email was checked. */
export function signatureCoverageLines(c: SignatureCoverage, maxKeys = 8): string[] {
  if (c.uncheckedEmails === 0) return [];
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  const lines = [
    `${c.uncheckedEmails} of ${plural(c.signedEmails, 'signed email', 'signed emails')} could not be checked: ` +
      'their DKIM signatures were not verified, so their verdicts say nothing about whether they were forged or altered.',
  ];
  const shown = c.missingKeys.slice(0, maxKeys);
  if (shown.length > 0) {
    const more = c.missingKeys.length - shown.length;
    lines.push(
      `No key for: ${shown.map((k) => `d=${k.d} s=${k.s} (${plural(k.emails, 'email', 'emails')})`).join(', ')}` +
        (more > 0 ? ` and ${plural(more, 'other selector', 'other selectors')}.` : '.'),
    );
  }
  if (c.unreadableEmails > 0) {
    lines.push(`${plural(c.unreadableEmails, 'email has', 'emails have')} only signatures that could not be read (see their dkim findings).`);
  }
  if (c.missingKeys.length > 0) lines.push(FIX_MISSING_KEYS);
  return lines;
}

/** One sentence for an item whose signatures were not checked (item views, `tamis show`); '' otherwise. */
export function uncheckedNote(metadata: { [k: string]: Json }): string {
  const sigs = uncheckedSignatures(metadata);
  if (sigs.length === 0) return '';
  const noKey = sigs.filter((s) => s.reason === 'no-key');
  const which = sigs.map((s) => `d=${s.d} s=${s.s}`).join(', ');
  return noKey.length > 0
    ? `The DKIM signature (${which}) was not checked: no public key for it in the case. This verdict says nothing about ` +
        'whether the message was forged or altered. Re-run the ingest with --keys FILE (archived keys) or --dns.'
    : `The DKIM signature (${which}) could not be checked: it could not be read. This verdict says nothing about whether the message was forged or altered.`;
}
