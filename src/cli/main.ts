#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { Case } from '../store/case.js';
import { Ingestor } from '../ingest/pipeline.js';
import { DEFAULT_LIMITS } from '../ingest/limits.js';
import { KeyStore } from '../keys/index.js';
import { analyseCase, type AnalyseStats } from '../analyse/index.js';
import { buildReport, signatureCoverageOfCase } from '../report/from-case.js';
import { renderCsv, renderHtml, renderJson, renderMarkdown, renderShow, renderSignatureCoverage, renderSummaryTable } from '../report/index.js';
import type { SignatureCoverage } from '../report/unchecked.js';
import { parseIsoDateArgument } from './dates.js';
import type { DkimKey } from '../keys/index.js';
import { writeBundle } from '../report/bundle.js';
import { progressReporter } from './progress.js';
import { registerDomainsCommand } from './domains.js';
import { domainStage } from '../domains/stage.js';
import { TOOL_VERSION } from '../version.js';
import { registerSpread } from './spread.js';

const DEFAULT_CASE = './tamis-case';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Exit codes: 0 all read, 1 usage or fatal error, 2 done but some items could not be read fully. */
export function buildCli(): Command {
  const program = new Command();
  program
    .name('tamis')
    .description('Sort the authentic from the forged in a leaked dump, with evidence.')
    .version(TOOL_VERSION);

  program
    .command('ingest')
    .description('Read folders, emails, mailboxes and archives into a case, verify signatures, decide verdicts')
    .argument('<paths...>', 'files or folders of the dump (never modified)')
    .option('--case <dir>', 'case folder', DEFAULT_CASE)
    .option('--keys <file>', 'DKIM key archive (repeatable): JSON Lines/JSON (archive.prove.email, DNS-over-HTTPS answers), BIND zone file, dig or nslookup output, or a folder of <selector>._domainkey.<domain>.txt files', collect, [] as string[])
    .option('--dns', 'also look up DKIM keys in live DNS (off by default: the dump stays offline)', false)
    .option('--cutoff <date>', 'the date the leakers claim their material ends (ISO 8601: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ); later internal dates are flagged')
    .option('--org <domain>', "the targeted organisation's mail domain (repeatable)", collect, [] as string[])
    .option('--quiet', 'no progress output', false)
    .option('--json', 'print the summary as JSON (counts by verdict and kind, signatures not checked, problems)', false)
    .addOption(new Option('--max-bytes <n>', 'max decompressed bytes per archive').argParser(positiveInt).default(DEFAULT_LIMITS.maxExpandedBytes))
    .addOption(new Option('--max-ratio <n>', 'max compression ratio per archive entry').argParser(positiveInt).default(DEFAULT_LIMITS.maxRatio))
    .addOption(new Option('--max-entries <n>', 'max entries per archive').argParser(positiveInt).default(DEFAULT_LIMITS.maxEntries))
    .addOption(new Option('--max-depth <n>', 'max nesting of archives and attachments').argParser(positiveInt).default(DEFAULT_LIMITS.maxDepth))
    .action(async (paths: string[], o: IngestCliOptions) => {
      process.exitCode = await runIngest(paths, o);
    });

  const caseCmd = program.command('case').description('Settings of a case');
  caseCmd
    .command('set')
    .description('Change case settings and re-run the checks that depend on them')
    .option('--case <dir>', 'case folder', DEFAULT_CASE)
    .option('--cutoff <date>', 'leak cutoff date (ISO 8601: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ); "none" removes it')
    .option('--org <domain>', "organisation domain (repeatable; replaces the list); \"none\" empties it", collect, [] as string[])
    .option('--json', 'print the new summary as JSON', false)
    .action(async (o: { case: string; cutoff?: string; org: string[]; json: boolean }) => {
      const kase = await Case.openExisting(o.case);
      try {
        applySettings(kase, o.cutoff, o.org);
        await analyseCase(kase);
        writeSummary(kase, o.json, {});
      } finally {
        kase.close();
      }
    });

  program
    .command('report')
    .description('Write the verification report of a case')
    .option('--case <dir>', 'case folder', DEFAULT_CASE)
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'html', 'md', 'csv']).default('html'))
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--json', 'same as --format json', false)
    .action(async (o: { case: string; format: 'json' | 'html' | 'md' | 'csv'; out?: string; json: boolean }) => {
      const kase = await Case.openExisting(o.case);
      try {
        const report = buildReport(kase);
        const text =
          o.json || o.format === 'json' ? renderJson(report) : o.format === 'html' ? renderHtml(report) : o.format === 'md' ? renderMarkdown(report) : renderCsv(report);
        if (o.out) {
          mkdirSync(dirname(resolve(o.out)), { recursive: true });
          writeFileSync(o.out, text);
          process.stderr.write(`Report written to ${resolve(o.out)}\n`);
        } else {
          process.stdout.write(text);
        }
      } finally {
        kase.close();
      }
    });

  program
    .command('serve')
    .description('Open the web workbench on a case (search, evidence, diffs, graph, tags)')
    .option('--case <dir>', 'case folder', DEFAULT_CASE)
    .addOption(new Option('--port <n>', 'port').argParser(positiveInt).default(8080))
    .option('--host <host>', 'address to bind; anything but loopback requires an access token', '127.0.0.1')
    .option('--token <token>', 'access token (generated and printed when binding beyond loopback)')
    .action(async (o: { case: string; port: number; host: string; token?: string }) => {
      await Case.openExisting(o.case).then((k) => k.close());
      // Loaded only here: the server and its dependencies are not needed to ingest or report.
      const { serve } = await import('../server/app.js');
      const progress = progressReporter({ quiet: false });
      const { app } = await serve({
        caseDir: o.case,
        port: o.port,
        host: o.host,
        ...(o.token ? { token: o.token } : {}),
        onIndexProgress: (d, t) => progress.indexing(d, t),
        print: (line) => {
          progress.done();
          console.log(line);
        },
      });
      process.once('SIGINT', () => void app.close().then(() => process.exit(0)));
    });

  program
    .command('show')
    .description('Print one item with its evidence')
    .argument('<ref>', 'item id or SHA-256 prefix (6+ hex digits)')
    .option('--case <dir>', 'case folder', DEFAULT_CASE)
    .option('--json', 'print the item as JSON (the report contract)', false)
    .action(async (ref: string, o: { case: string; json: boolean }) => {
      const kase = await Case.openExisting(o.case);
      try {
        const found = kase.findItem(ref);
        if (!found) {
          process.stderr.write(`No item ${ref} in the case at ${resolve(o.case)}. Use an id or a SHA-256 prefix from \`tamis report\`.\n`);
          process.exitCode = 1;
          return;
        }
        const item = buildReport(kase, { only: [found.id] }).items[0];
        if (!item) throw new Error(`item ${found.id} vanished while reading the case`);
        process.stdout.write(o.json ? `${JSON.stringify(item, null, 2)}\n` : renderShow(item));
      } finally {
        kase.close();
      }
    });

  program
    .command('export')
    .description('Write an evidence bundle: original bytes, the keys and carriers that prove them, a manifest and a report')
    .requiredOption('--bundle <dir>', 'folder to write (must be new or empty)')
    .argument('<items...>', 'item ids or SHA-256 prefixes (6+ hex digits)')
    .option('--case <dir>', 'case folder', DEFAULT_CASE)
    .option('--force', 'write into a folder that is not empty (replaces its bundle files and originals/)', false)
    .option('--json', 'print what was written as JSON', false)
    .action(async (refs: string[], o: { case: string; bundle: string; force: boolean; json: boolean }) => {
      const kase = await Case.openExisting(o.case);
      try {
        const b = await writeBundle(kase, refs, o.bundle, { force: o.force });
        if (o.json) {
          const json = { bundle: b.dir, items: b.items, carriers: b.carriers, keys: b.keys.length, readme: resolve(b.dir, 'README.md') };
          process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          `Bundle written to ${b.dir}: ${b.items.length} item(s), ${b.carriers.length} carrier(s) that prove them, ` +
            `${b.keys.length} key(s). Re-check: see ${resolve(b.dir, 'README.md')}\n`,
        );
      } finally {
        kase.close();
      }
    });

  registerDomainsCommand(program);

  registerSpread(program);
  return program;
}

/** Stores --cutoff and --org; checks read them from the case so later runs agree. */
function applySettings(kase: Case, cutoff: string | undefined, org: string[]): void {
  if (cutoff !== undefined) {
    if (cutoff === 'none') kase.deleteSetting('cutoff');
    else kase.setSetting('cutoff', parseIsoDateArgument('--cutoff', cutoff));
  }
  if (org.length > 0) {
    const domains = org.includes('none') ? [] : [...new Set(org.map((d) => d.trim().toLowerCase().replace(/^@/, '')))].sort();
    kase.setSetting('org', JSON.stringify(domains));
  }
}

interface IngestCliOptions {
  case: string;
  cutoff?: string;
  org: string[];
  keys: string[];
  dns: boolean;
  quiet: boolean;
  json: boolean;
  maxBytes: number;
  maxRatio: number;
  maxEntries: number;
  maxDepth: number;
}

/** Paths that do not exist, checked before a case is created so a typo leaves nothing behind. */
function missingPaths(paths: string[]): string[] {
  return paths.filter((p) => !existsSync(p));
}

/**
 * Key sources as they may be published: the key file's own name (`keys.jsonl:2`), a file of a key
 * folder under the folder's name, never the folders of this machine.
 */
export function labelKeySources(keys: readonly DkimKey[], given: readonly string[]): DkimKey[] {
  const prefixes = [...given].sort((a, b) => b.length - a.length);
  return keys.map((k) => {
    const p = prefixes.find((g) => k.source.startsWith(g));
    return p === undefined ? k : { ...k, source: `${basename(resolve(p))}${k.source.slice(p.length)}` };
  });
}

async function runIngest(paths: string[], o: IngestCliOptions): Promise<number> {
  const missing = missingPaths(paths);
  if (missing.length > 0) {
    process.stderr.write(
      `tamis: ${missing.map((p) => resolve(p)).join(', ')}: no such file or folder. Nothing was ingested and no case was created; ` +
        'check the path and run the command again.\n',
    );
    return 1;
  }
  // Refused before the case is created, like a missing path.
  if (o.cutoff !== undefined && o.cutoff !== 'none') parseIsoDateArgument('--cutoff', o.cutoff);
  const keys = o.keys.length > 0 ? labelKeySources((await KeyStore.load(o.keys)).all(), o.keys) : [];
  const kase = await Case.open(o.case);
  try {
    applySettings(kase, o.cutoff, o.org);
    if (keys.length > 0) {
      kase.transaction(() => {
        for (const k of keys) kase.addKey(k);
      });
      if (!o.quiet) process.stderr.write(`keys: ${keys.length} loaded from ${o.keys.join(', ')}\n`);
    }
    const progress = progressReporter({ quiet: o.quiet });
    const started = performance.now();
    const stats = await new Ingestor(kase, {
      limits: { maxExpandedBytes: o.maxBytes, maxRatio: o.maxRatio, maxEntries: o.maxEntries, maxDepth: o.maxDepth },
      onProgress: (p) => progress.update(p),
      onProblem: (path, message) => progress.problem(path, message),
    }).ingest(paths);
    progress.done();
    const readSeconds = (performance.now() - started) / 1000;
    const analysed = await analyseCase(kase, { dns: o.dns, onStage: (p) => progress.stage(p) });
    progress.done();
    const domains = await domainStage(kase);
    const run = {
      visited: stats.visited,
      newItems: stats.newItems,
      newOccurrences: stats.newOccurrences,
      analysed: analysed.analysed,
      problems: stats.problems + analysed.unreadable,
    };
    if (!o.json) {
      process.stdout.write(
        `Ingested ${stats.visited} occurrences (${stats.newItems} new items, ${stats.newOccurrences} new occurrences); ` +
          `analysed ${analysed.analysed} items. Case: ${resolve(o.case)}\n` +
          `${timingLine(readSeconds, analysed.seconds)}\n\n`,
      );
    }
    if (domains && !o.json) process.stdout.write(`Look-alike domains: ${domains.lookalikes.length} (see \`tamis report\` or the workbench's Domains view)\n`);
    writeSummary(kase, o.json, { ingest: run, dns: o.dns, ...(domains ? { lookalikeDomains: domains.lookalikes.length } : {}) });
    // Damage found while reading (corrupt archives) and while extracting (a PDF that is not one) both count.
    const problems = stats.problems + analysed.unreadable;
    if (problems > 0) {
      if (!o.json) {
        process.stderr.write(
          `\n${problems} item(s) could not be read fully; each has an ingest.* finding saying why (see \`tamis report\`). Everything else was ingested.\n`,
        );
      }
      return 2;
    }
    return 0;
  } finally {
    kase.close();
  }
}

/**
 * The verdict × kind table and what could not be checked, or the same as JSON. Counts only: building
 * the full report of a large case would hold every item and finding at once.
 */
function writeSummary(kase: Case, json: boolean, extra: { ingest?: { [k: string]: number }; dns?: boolean }): void {
  const items = kase.verdictsAndKinds();
  const signatures: SignatureCoverage = signatureCoverageOfCase(kase);
  if (json) {
    const count = (f: (it: { verdict: string; kind: string }) => string): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const it of items) out[f(it)] = (out[f(it)] ?? 0) + 1;
      return out;
    };
    const doc = { case: basename(kase.dir), ...extra, items: items.length, byVerdict: count((i) => i.verdict), byKind: count((i) => i.kind), signatures };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  process.stdout.write(renderSummaryTable({ items }));
  process.stdout.write(renderSignatureCoverage(signatures));
}

/** Where the time went; comparison checks are shown against everything else an ingest does. */
function timingLine(read: number, s: AnalyseStats['seconds']): string {
  const rest = read + s.items + s.verdicts;
  const checks = s.corpus + s.documents;
  const f = (x: number): string => `${x.toFixed(1)} s`;
  return (
    `Time: reading and storing ${f(read)}, verifying and extracting ${f(s.items)}, verdicts ${f(s.verdicts)}; ` +
    `comparison checks ${f(checks)} (emails ${f(s.corpus)}, documents ${f(s.documents)}) = ${rest > 0 ? Math.round((100 * checks) / rest) : 0} % on top`
  );
}

// `tamis report | head -1`: the reader went away; that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const cli = buildCli();
if (process.argv.length <= 2) {
  // Bare `tamis`: the help, as a successful answer (commander would print it to stderr and exit 1).
  process.stdout.write(cli.helpInformation());
} else {
  cli.parseAsync(process.argv).catch((err: unknown) => {
    process.stderr.write(`tamis: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
