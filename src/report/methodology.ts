// Plain-language explanation of the verdicts for the reader of a report (docs/verdicts.md is the long form).
import type { Verdict } from '../model.js';

export const VERDICT_MEANING: Record<Verdict, string> = {
  verified:
    'Cryptographic proof that the item is exactly what its sender sent: a valid DKIM signature of the sender’s own domain, with a strong key, covering the whole message — or the item is an attachment of, or byte-identical to, such a message.',
  tampered:
    'Cryptographic proof that the item was altered after it was signed: the signature no longer matches the content, or content was added outside what the signature covers.',
  suspicious: 'Red flags that deserve a closer look, but no proof either way.',
  consistent: 'Nothing proves or disproves the item. Most genuine documents end up here: it is not a negative finding.',
};

export const METHODOLOGY: readonly string[] = [
  'Every file in the dump, including files inside archives, mailboxes and email attachments, is identified by its SHA-256 fingerprint. Anyone can recompute the fingerprint of a file and find it in this report; the same bytes found in several places are one item with several locations.',
  'Emails are checked with DKIM, the signature that the sending organisation’s mail server adds to every message. The signature covers the body and the main headers (sender, subject, date). We check it against the public key the organisation published at the time, taken from an archive of historical keys, so that old mail can be checked after the organisation changed its keys. If even one character of a signed part was changed, the check fails.',
  'A signature proves authenticity only if it belongs to the domain in the From address, its key is long enough not to be forged (1024 bits or more), and it covers the whole message. Changes made by mailing lists (a tag in the subject, a footer) break the signature innocently; when the list vouched for the original with an ARC seal we say so instead of calling the message tampered.',
  'Attachments and forwarded messages inside a verified email inherit its proof, and so does any identical copy found elsewhere in the dump. Verdicts follow fixed written rules applied to the findings listed under each item; the evidence shown lets a reader redo each step.',
];
