import type { CheckMeta } from './check.js';
import { dkimChecks } from './dkim/index.js';
import { emailChecks } from './email/index.js';
import { documentChecks } from './documents/index.js';
import { DOMAIN_CHECKS } from '../domains/checks.js';

/**
 * Findings made outside check modules: by ingest (reading the dump), by the analysis stage, and by
 * the verdict stage. Listed here so that every id a report can show is documented.
 */
export const PIPELINE_CHECKS: CheckMeta[] = [
  {
    id: 'ingest.unreadable',
    title: 'Could not be read fully',
    description:
      'A file, archive entry or MIME part could not be parsed (corrupt, truncated, unsupported, over a size limit, or a parser over its time or memory budget). The bytes are kept in the case and everything else is ingested. Innocent explanation: damaged in the leak or in transit; it says nothing about authenticity on its own.',
    severity: 'warning',
  },
  {
    id: 'ingest.mislabelled',
    title: 'Name claims another format than the content',
    description:
      'The file name\'s extension claims one format (photo.jpg, report.pdf) but the bytes are another (a web page, plain text, unrecognised data). The finding says both, and why reading it as what its name claims failed. Innocent explanation: files renamed by hand, saved by a browser under the wrong name, or truncated to nothing recognisable in the leak.',
    severity: 'warning',
  },
  {
    id: 'ingest.empty',
    title: 'Empty file',
    description:
      'The file holds 0 bytes: there is nothing to check or read. Innocent explanation: placeholders, failed downloads, files emptied when the dump was made.',
    severity: 'info',
  },
  {
    id: 'ingest.hostile-path',
    title: 'Archive entry with a path that escapes its folder',
    description:
      'An entry name is absolute or contains `..`, a drive letter or backslash tricks (zip-slip). tamis never writes entries to disk by name; the entry is kept under a safe name. Innocent explanation: archives made by careless tools; a deliberate one targets the analyst.',
    severity: 'warning',
  },
  {
    id: 'ingest.link',
    title: 'Link inside an archive not followed',
    description:
      'Symbolic and hard links inside archives (and in input folders) could point anywhere on the analyst\'s machine; they are recorded and never followed. Innocent explanation: backups of Unix systems contain links.',
    severity: 'warning',
  },
  {
    id: 'ingest.limit',
    title: 'Container over a safety limit',
    description:
      'Decompressed size, compression ratio, entry count or nesting depth went over its cap (a zip bomb or an unusually large archive); reading stopped there. Innocent explanation: a very large but genuine archive; raise the limit with --max-bytes, --max-ratio, --max-entries or --max-depth.',
    severity: 'warning',
  },
  {
    id: 'ingest.encrypted',
    title: 'Encrypted or password-protected',
    description:
      'The content cannot be read without a password. Innocent explanation: organisations protect sensitive files; nothing is implied about authenticity.',
    severity: 'info',
  },
  {
    id: 'ingest.duplicate-name',
    title: 'Two archive entries with the same name',
    description:
      'Two entries normalise to the same path; tools disagree on which one is "the" file, which can hide a substitute. Both are kept (the second renamed). Innocent explanation: archives appended to by some tools.',
    severity: 'warning',
  },
  {
    id: 'dkim.not-checkable',
    title: 'Rebuilt from Outlook storage: not cryptographically checkable',
    description:
      'Outlook PST/MSG files keep parsed fields, not the bytes that were signed, so a message rebuilt from them can never match its signature. This is neither proof nor a failure. Innocent explanation: this is how Outlook stores all mail.',
    severity: 'info',
  },
  {
    id: 'provenance.inherited',
    title: 'Proof inherited from a verified carrier',
    description:
      'The item is an attachment, forwarded message or archive member of a verified item (transitively), so its bytes are covered by that item\'s signature; the same bytes anywhere else in the dump are the same item. The evidence names the carrier and the covering signature. Not a red flag: a note on where the proof comes from.',
    severity: 'info',
  },
];

/** Every check whose findings can appear in a report, in documentation order. */
export function allCheckMetas(): CheckMeta[] {
  return [...dkimChecks.map((c) => c.meta), ...emailChecks.map((c) => c.meta), ...documentChecks.map((c) => c.meta), ...DOMAIN_CHECKS, ...PIPELINE_CHECKS];
}

/** The Markdown list of checks written into docs/verdicts.md. */
export function checksMarkdown(): string {
  return allCheckMetas()
    .map((m) => `### \`${m.id}\` — ${m.title}\n\nSeverity up to **${m.severity}**. ${m.description}\n`)
    .join('\n');
}
