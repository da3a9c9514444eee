// The README.md of an evidence bundle: for a reader who did not run tamis and may not trust us.
import { metaText } from './order.js';
import type { ContextDependence } from './bundle.js';
import type { CaseReport, ReportItem } from './types.js';

export interface BundleContents {
  ids: readonly number[];
  carriers: readonly number[];
  contextDependent: readonly ContextDependence[];
}

/** Markdown table cell: one line, pipes escaped, so dump text cannot break the table. */
const cell = (s: string): string => s.replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|').replace(/`/g, "'");

/** Shell-quoted for the re-check command line (single quotes, POSIX). */
const shq = (s: string): string => (/^[\w.:@/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * Where a reader gets tamis. There is no tamis package on npm: a reader builds it from its source, and
 * runs it with `npm exec --prefix <clone>`, which works from any folder and keeps that folder as the
 * working directory. The project has no address of its own we could print, so the publisher names
 * the one they used (`TAMIS_SOURCE_URL`); otherwise the README says where to put it.
 */
export const SOURCE_PLACEHOLDER = '<tamis source repository URL>';
const sourceUrl = (): string => process.env['TAMIS_SOURCE_URL']?.trim() || SOURCE_PLACEHOLDER;
const RUN = 'npm exec --prefix tamis -- tamis';

/** Commands that get and build tamis itself, from the bundle folder (Node.js 20+, npm and git needed). */
export function installCommands(): string[] {
  return [
    `git clone ${shq(sourceUrl())} tamis`,
    'npm install --prefix tamis --no-audit --no-fund && npm run --prefix tamis build',
  ];
}

/** The commands that re-ingest the originals with the bundle's keys and print the verdicts (after installCommands). */
export function recheckCommand(report: Pick<CaseReport, 'case'>): string {
  const settings = [
    ...(report.case.cutoff ? [`--cutoff ${shq(report.case.cutoff)}`] : []),
    ...(report.case.orgDomains ?? []).map((d) => `--org ${shq(d)}`),
  ];
  return [`${RUN} ingest originals --keys keys.jsonl`, ...settings, `--case recheck && ${RUN} report --case recheck --format md`].join(' ');
}

function describe(it: ReportItem): string {
  if (it.kind === 'email') {
    const parts = [metaText(it, 'subject') || '(no subject)', metaText(it, 'from') && `from ${metaText(it, 'from')}`, metaText(it, 'date')];
    return parts.filter(Boolean).join(' — ');
  }
  const title = metaText(it, 'title');
  const where = it.occurrences[0]?.path ?? '';
  return [`${it.kind} (${it.mediaType})`, title, where].filter(Boolean).join(' — ');
}

function itemTable(items: ReportItem[], context: ReadonlyMap<number, ContextDependence>): string {
  const rows = items.map(
    (it) =>
      `| #${it.id} | \`${it.sha256}\` | ${cell(describe(it))} | **${it.verdict}**${context.has(it.id) ? ' ¹' : ''} | ${cell(it.verdictReason)} |`,
  );
  return ['| Item | SHA-256 (file in originals/) | What it is | Verdict | Why |', '|---|---|---|---|---|', ...rows].join('\n');
}

function contextNote(list: readonly ContextDependence[]): string[] {
  if (list.length === 0) return [];
  const which = list.map((c) => `#${c.id} (${c.checks.map((k) => `\`${k}\``).join(', ')})`).join(', ');
  return [
    `¹ This verdict compares the item with other material of the dump that is not in this bundle: ${which}.`,
    'A re-check of the bundle alone cannot reproduce it; the evidence in `report.json` names the items it was compared with.',
    '',
  ];
}

export function bundleReadme(report: CaseReport, contents: BundleContents): string {
  const { ids, carriers, contextDependent } = contents;
  const context = new Map(contextDependent.map((c) => [c.id, c]));
  const byId = new Map(report.items.map((i) => [i.id, i]));
  const asked = ids.map((id) => byId.get(id)).filter((i): i is ReportItem => i !== undefined);
  const proving = carriers.map((id) => byId.get(id)).filter((i): i is ReportItem => i !== undefined);
  const out = [
    '# Evidence bundle',
    '',
    `Exported by ${report.tool.name} ${report.tool.version} at ${report.generatedAt}.`,
    '',
    'Each file in `originals/` holds the exact original bytes of one item of the leaked material, named by its',
    'SHA-256 fingerprint. The fingerprint identifies the bytes: change one and it no longer matches.',
    '',
    '## Items',
    '',
    itemTable(asked, context),
    '',
    ...contextNote(contextDependent.filter((c) => ids.includes(c.id))),
  ];
  if (proving.length > 0) {
    out.push(
      '## Included because they prove the items above',
      '',
      'An attachment or copy is verified because a verified email carries the same bytes. These carrying emails are',
      'included so that their signatures can be checked too.',
      '',
      itemTable(proving, context),
      '',
      ...contextNote(contextDependent.filter((c) => carriers.includes(c.id))),
    );
  }
  out.push(
    '## Re-check',
    '',
    '1. The files are intact (they still have the fingerprints listed here):',
    '',
    '   ```sh',
    '   sha256sum -c MANIFEST.sha256',
    '   ```',
    '',
    '2. The verdicts: re-run the checks from the original bytes and the DKIM public keys in `keys.jsonl`',
    '   (historical keys, with where they come from). tamis is not an npm package: get its source and build it',
    `   (Node.js 20 or newer, npm and git), here in the bundle folder. This bundle was made with tamis ${report.tool.version};`,
    ...(sourceUrl() === SOURCE_PLACEHOLDER ? [`   put the address of the tamis source code you trust in place of \`${SOURCE_PLACEHOLDER}\`:`] : ['   its source code:']),
    '',
    '   ```sh',
    ...installCommands().map((c) => `   ${c}`),
    '   ```',
    '',
    '   Then re-run every check. Nothing is fetched from the network:',
    '',
    '   ```sh',
    `   ${recheckCommand(report)}`,
    '   ```',
    '',
    '   (`npm exec --prefix tamis -- tamis` runs the tamis just built; `node tamis/dist/src/cli/main.js` does the same.)',
    '',
    `   Each item above should come out with the same verdict${contextDependent.length > 0 ? ' (except those marked ¹)' : ''}. \`report.json\` is the full report of these items,`,
    '   with every finding and the evidence behind it.',
    '',
  );
  return out.join('\n');
}
