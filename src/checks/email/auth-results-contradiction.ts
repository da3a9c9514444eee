// auth-results.contradiction: Authentication-Results records what a receiving server concluded when the
// message arrived. A "dkim=pass" there, on bytes whose signature no longer verifies (or is gone), means the
// bytes changed after delivery, or the header was written by hand to look authenticated.
import type { Finding, Json } from '../../model.js';
import type { CorpusCheck, EmailFacts } from '../corpus.js';
import { addFinding, relaxedAligned, viaMailingList } from './headers.js';

export interface DkimClaim {
  header: 'Authentication-Results' | 'ARC-Authentication-Results';
  authservId?: string;
  arcInstance?: number;
  domain: string;
  /** The resinfo as written, for evidence. */
  text: string;
}

/** Splits on `;` outside comments and quoted strings. */
function splitResinfo(value: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let depth = 0;
  let quoted = false;
  for (const ch of value) {
    if (ch === '"' && depth === 0) quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && depth > 0) depth--;
    if (ch === ';' && depth === 0 && !quoted) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

const withoutComments = (s: string): string => s.replace(/\((?:[^()]|\([^()]*\))*\)/g, ' ');

/** `dkim=pass` claims with the domain they name (header.d, else the domain of header.i). */
export function dkimPassClaims(email: EmailFacts): DkimClaim[] {
  const claims: DkimClaim[] = [];
  for (const h of email.headers) {
    const name = h.name.toLowerCase();
    if (name !== 'authentication-results' && name !== 'arc-authentication-results') continue;
    const header = name === 'authentication-results' ? 'Authentication-Results' : 'ARC-Authentication-Results';
    let parts = splitResinfo(h.value);
    let arcInstance: number | undefined;
    if (header === 'ARC-Authentication-Results') {
      const m = /^i\s*=\s*(\d+)$/i.exec(parts[0] ?? '');
      if (m) {
        arcInstance = Number(m[1]);
        parts = parts.slice(1);
      }
    }
    // Exchange Online omits the authserv-id: then the first part is already a result.
    let authservId: string | undefined;
    if (parts[0] !== undefined && !/^[a-z0-9_.-]+\s*=/i.test(withoutComments(parts[0]).trim())) {
      authservId = withoutComments(parts[0]).trim().split(/\s+/)[0];
      parts = parts.slice(1);
    }
    for (const part of parts) {
      const clean = withoutComments(part);
      const m = /^\s*dkim\s*=\s*([a-z]+)/i.exec(clean);
      if (!m || m[1]!.toLowerCase() !== 'pass') continue;
      const d = /\bheader\.d\s*=\s*"?([^\s";]+)"?/i.exec(clean)?.[1];
      const i = /\bheader\.i\s*=\s*"?([^\s";]+)"?/i.exec(clean)?.[1];
      const domain = d ?? (i && i.includes('@') ? i.slice(i.lastIndexOf('@') + 1) : undefined);
      if (!domain) continue;
      claims.push({ header, ...(authservId ? { authservId } : {}), ...(arcInstance !== undefined ? { arcInstance } : {}), domain: domain.toLowerCase(), text: part });
    }
  }
  return claims;
}

/** Results that mean "could not be checked" rather than "checked and wrong". */
const NOT_CHECKABLE = /^(temperror|permerror|neutral|policy|unknown|nokey|none)$/i;

export const authResultsContradiction: CorpusCheck = {
  perEmail: true,
  meta: {
    id: 'auth-results.contradiction',
    title: 'Authentication-Results claims a DKIM pass we cannot reproduce',
    description:
      'A receiving server writes Authentication-Results (and ARC-Authentication-Results when forwarding) with ' +
      'what it verified on arrival. If it says dkim=pass for a domain whose signature now fails our recomputation, ' +
      'the message changed after it was received; if no signature of that domain is present at all, the header ' +
      'was probably written to make a forgery look authenticated. Critical when the domain is the From domain. ' +
      'Innocent explanations: the receiving organisation rewrote the message after checking it (subject tags ' +
      'such as [EXTERNAL], disclaimers, link rewriting), a mailing list or forwarder modified it (messages with ' +
      'list headers are skipped), a verifier we could not reproduce (missing key: not flagged).',
    severity: 'critical',
  },
  run(emails) {
    const out = new Map<number, Finding[]>();
    for (const email of emails) {
      if (viaMailingList(email)) continue;
      const claims = dkimPassClaims(email);
      const reported = new Set<string>();
      for (const claim of claims) {
        const sigs = email.signed.filter((s) => s.domain.toLowerCase() === claim.domain);
        if (sigs.some((s) => s.pass)) continue;
        if (sigs.length > 0 && sigs.every((s) => s.result !== undefined && NOT_CHECKABLE.test(s.result))) continue;
        const key = `${claim.header}|${claim.domain}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const fromDomain = email.from?.domain;
        const namesFrom = fromDomain !== undefined && relaxedAligned(claim.domain, fromDomain);
        const absent = sigs.length === 0;
        // An ARC hop's view predates its own changes, so a failing (not missing) signature there is weaker.
        const severity = namesFrom && (absent || claim.header === 'Authentication-Results') ? 'critical' : 'warning';
        const evidence: { [key: string]: Json } = {
          header: claim.header,
          authservId: claim.authservId ?? null,
          arcInstance: claim.arcInstance ?? null,
          claim: claim.text,
          claimedDomain: claim.domain,
          fromDomain: fromDomain ?? null,
          ourResults: sigs.map((s) => ({ domain: s.domain, pass: s.pass, result: s.result ?? (s.pass ? 'pass' : 'fail') })),
        };
        addFinding(out, email.itemId, {
          check: 'auth-results.contradiction',
          severity,
          message: absent
            ? `${claim.header}${claim.authservId ? ` from ${claim.authservId}` : ''} claims dkim=pass for ${claim.domain}, but the message carries no signature of ${claim.domain}.`
            : `${claim.header}${claim.authservId ? ` from ${claim.authservId}` : ''} claims dkim=pass for ${claim.domain}, but its signature fails our recomputation: the message changed after it was received.`,
          evidence,
        });
      }
    }
    return out;
  },
};
