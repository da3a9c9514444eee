import { type Command, InvalidArgumentError, Option } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Case } from '../store/case.js';
import { saveSpread } from '../store/spread.js';
import { analyseSpread, DEFAULT_KINDS, workbenchNetwork, type SpreadResult } from '../spread/analyse.js';
import { CaseLinker, caseItemRefs } from '../spread/case-links.js';
import { DEFAULTS, type CoordinationMode } from '../spread/coordination.js';
import { edgesCsv, nodesCsv, toGexf, toGraphml } from '../spread/export.js';
import type { GenericField } from '../spread/model.js';
import { OBJECT_KINDS, type ObjectKind } from '../spread/objects.js';
import { PostSet } from '../spread/posts.js';
import { ADAPTERS, readPosts } from '../spread/sources/index.js';
import { TOOL_VERSION } from '../version.js';

interface SpreadCliOptions {
  case?: string;
  marker: string[];
  window?: number;
  mode: CoordinationMode;
  kind: string[];
  minWeight?: number;
  minParticipation?: number;
  maxSharers?: number;
  format?: string;
  map?: string;
  json?: string;
  nodes?: string;
  edges?: string;
  gexf?: string;
  graphml?: string;
  quiet: boolean;
}

const number = (what: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number of ${what}`);
  return n;
};
const collect = (v: string, prev: string[]) => [...prev, v];

/** `field=column,field=column` for the generic adapter. */
function parseMapping(spec: string): Partial<Record<GenericField, string>> {
  const out: Partial<Record<GenericField, string>> = {};
  for (const part of spec.split(',')) {
    const [k, v] = part.split('=').map((x) => x.trim());
    if (!k || !v) throw new InvalidArgumentError(`--map expects field=column pairs separated by commas, got "${part}"`);
    out[k as GenericField] = v;
  }
  return out;
}

export function registerSpread(program: Command): void {
  program
    .command('spread')
    .description('How posts spread: earliest posters, cascades, coordinated networks and bot-likeness, from social media exports')
    .argument('<posts...>', `post files (gzip read directly): ${ADAPTERS.map((a) => a.id).join(', ')}; detected from their content`)
    .option('--case <dir>', 'link posts to the items of this case (file names, SHA-256) and keep the result for its report and workbench')
    .option('--marker <m>', 'hashtag (#tag), URL, file name, hash, item:<id>, or words (repeatable; default: the top hashtags and URLs)', collect, [] as string[])
    .addOption(new Option('--window <seconds>', 'co-action window, inclusive (default 60 in qut mode, 10 in coortweet mode)').argParser(number('seconds')))
    .addOption(new Option('--mode <mode>', 'network semantics').choices(['qut', 'coortweet']).default('qut'))
    .option('--kind <kind>', `shared object (repeatable): ${OBJECT_KINDS.join(', ')} (default: ${DEFAULT_KINDS.join(', ')})`, collect, [] as string[])
    .addOption(new Option('--min-weight <n>', 'qut: minimum directed edge weight; coortweet: minimum co-shares of a pair (default 1)').argParser(number('co-actions')))
    .addOption(new Option('--min-participation <n>', 'coortweet: minimum shares and co-shares of an account (default 2)').argParser(number('posts')))
    .addOption(new Option('--max-sharers <n>', 'objects acted on by more accounts are not paired (default 1000; 0: no limit, exactly as QUT and CooRTweet)').argParser(number('accounts')))
    .addOption(new Option('--format <id>', 'read every file with this adapter instead of detecting').choices(ADAPTERS.map((a) => a.id)))
    .option('--map <pairs>', 'generic adapter column mapping, e.g. id=msg_id,account=from_id,at=date_unixtime,text=text')
    .option('--json <file>', 'write the analysis as JSON')
    .option('--nodes <file>', 'write accounts of the networks as CSV (Gephi nodes table)')
    .option('--edges <file>', 'write co-action edges as CSV (Gephi edges table)')
    .option('--gexf <file>', 'write the networks as GEXF 1.3')
    .option('--graphml <file>', 'write the networks as GraphML')
    .option('--quiet', 'no summary on standard error', false)
    .action(async (paths: string[], o: SpreadCliOptions) => {
      process.exitCode = await runSpread(paths, o);
    });
}

async function runSpread(paths: string[], o: SpreadCliOptions): Promise<number> {
  for (const k of o.kind) if (!(OBJECT_KINDS as readonly string[]).includes(k)) throw new Error(`--kind ${k}: unknown shared object; use one of ${OBJECT_KINDS.join(', ')}`);
  if (!o.json && !o.nodes && !o.edges && !o.gexf && !o.graphml && !o.case) throw new Error('nothing to write: give --json FILE (and/or --nodes, --edges, --gexf, --graphml, --case)');
  const mapping = o.map ? parseMapping(o.map) : undefined;
  const started = performance.now();
  const set = new PostSet();
  const skipped = new Map<string, number>();
  for (const path of paths) {
    if (!existsSync(path)) throw new Error(`${path}: no such file; give the path of a post export (JSON, JSON Lines or CSV, optionally gzipped)`);
    const before = set.size;
    try {
      for await (const p of readPosts(path, o.format, { onSkip: (r) => skipped.set(r, (skipped.get(r) ?? 0) + 1), ...(mapping ? { mapping } : {}) })) set.add(p);
    } catch (e) {
      throw new Error(`${path}: could not be read as posts (${(e as Error).message}); check the format or name it with --format`);
    }
    if (set.size === before && !o.quiet) process.stderr.write(`tamis spread: ${path}: no posts found (is it one of: ${ADAPTERS.map((a) => a.id).join(', ')}? use --format and --map)\n`);
  }
  set.seal();
  const parsed = performance.now();

  let kase: Case | undefined;
  try {
    let linker: CaseLinker | undefined;
    if (o.case) {
      kase = await Case.openExisting(o.case);
      linker = new CaseLinker(caseItemRefs(kase));
    }
    const analysis = analyseSpread(set, {
      markers: o.marker,
      mode: o.mode,
      ...(o.window !== undefined ? { windowSeconds: o.window } : {}),
      ...(o.kind.length ? { kinds: o.kind as ObjectKind[] } : {}),
      ...(o.minWeight !== undefined ? { minWeight: o.minWeight } : {}),
      ...(o.minParticipation !== undefined ? { minParticipation: o.minParticipation } : {}),
      ...(o.maxSharers !== undefined ? { maxSharers: o.maxSharers === 0 ? Infinity : o.maxSharers } : {}),
      ...(linker ? { linker } : {}),
    });
    const analysed = performance.now();
    const result: SpreadResult & { tool: { name: string; version: string }; generatedAt: string; inputs: string[]; skipped: Record<string, number> } = {
      tool: { name: 'tamis spread', version: TOOL_VERSION },
      generatedAt: new Date().toISOString(),
      inputs: paths.map((p) => resolve(p)),
      skipped: Object.fromEntries(skipped),
      ...analysis.result,
    };
    result.timings = { ...result.timings, parseMs: Math.round(parsed - started), analysisMs: Math.round(analysed - parsed) };
    const write = (file: string | undefined, text: () => string) => {
      if (!file) return;
      mkdirSync(dirname(resolve(file)), { recursive: true });
      writeFileSync(file, text());
    };
    write(o.json, () => JSON.stringify(result, null, 1));
    write(o.nodes, () => nodesCsv(analysis));
    write(o.edges, () => edgesCsv(analysis));
    write(o.gexf, () => toGexf(analysis));
    write(o.graphml, () => toGraphml(analysis));
    if (kase) saveSpread(kase, { ...result, network: workbenchNetwork(analysis) });
    if (!o.quiet) process.stderr.write(summary(result));
    return 0;
  } finally {
    kase?.close();
  }
}

function summary(r: SpreadResult & { skipped: Record<string, number> }): string {
  const lines = [
    `${r.posts.toLocaleString('en')} posts by ${r.accountCount.toLocaleString('en')} accounts` + (r.duplicates ? ` (${r.duplicates} repeated ids merged)` : '') + (Object.keys(r.skipped).length ? `; skipped: ${Object.entries(r.skipped).map(([k, v]) => `${v} ${k}`).join(', ')}` : ''),
    ...r.coordination.kinds.map((k) => `  ${k.kind}: ${k.nodes} accounts, ${k.pairs} pairs, ${k.components} components (largest ${k.largestComponent}); ${k.significantPairs} pairs beyond popularity`),
    `  ${r.coordination.clusters.length} clusters (${r.coordination.mode} mode, ${r.coordination.window} s window, min weight ${r.coordination.minWeight}); ${r.coordination.explainedByPopularity.accounts} accounts' co-actions explained by popularity`,
    ...r.markers.map((m) => `  ${m.marker}: ${m.posts} posts, first by ${m.earliest[0]?.handle ?? m.earliest[0]?.account ?? '—'}${m.earliest[0] ? ` at ${new Date(m.earliest[0].at).toISOString()}` : ''}`),
    `Time: parsing ${((r.timings.parseMs ?? 0) / 1000).toFixed(2)} s, analysis ${((r.timings.analysisMs ?? 0) / 1000).toFixed(2)} s`,
  ];
  return lines.join('\n') + '\n';
}

export { DEFAULTS };
