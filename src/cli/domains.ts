// `tamis domains`: look-alike domains, generated (`domains generate DOMAIN`) or found in a case.
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Case } from '../store/case.js';
import { DomainInputError, generateVariants, parseDictionary, parseTldList } from '../domains/generate.js';
import { scanCsv, scanJson, scanText, variantsCsv, variantsText } from '../domains/format.js';
import { normaliseDomain } from '../domains/idn.js';
import type { Protected } from '../domains/match.js';
import { scanCase } from '../domains/scan.js';
import { saveProtected, saveScan } from '../domains/settings.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function readList(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the ${what} file ${resolve(file)} (${(err as Error).message}): give a text file with one entry a line`);
  }
}

function domainArg(raw: string, option: string): string {
  const d = normaliseDomain(raw);
  if (!d) throw new DomainInputError(`${option} ${raw}: not a valid domain name (give one like en-marche.fr)`);
  return d;
}

/** `--owner DOMAIN=ALLOW,ALLOW`: legitimate domains of the owner of a protected domain. */
export function parseOwners(specs: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new DomainInputError(`--owner ${spec}: expected DOMAIN=ALLOWED,ALLOWED (e.g. en-marche.fr=en-marche.org,em-mail.fr)`);
    const owner = domainArg(spec.slice(0, eq), '--owner');
    const allow = spec.slice(eq + 1).split(',').filter((s) => s.trim() !== '').map((s) => domainArg(s, '--owner'));
    out.set(owner, [...(out.get(owner) ?? []), ...allow]);
  }
  return out;
}

interface ScanOptions { case?: string; protect: string[]; owner: string[]; dict?: string; json: boolean; csv: boolean }

export function registerDomainsCommand(program: Command): void {
  const domains = program
    .command('domains')
    .description('Look-alike domains of the protected domains in a case (phishing senders, links), or generated for one domain')
    .option('--case <dir>', 'case folder')
    .option('--protect <domains...>', "domains to protect: the organisation's and its providers' (e.g. en-marche.fr office.com)", [] as string[])
    .option('--owner <spec>', 'legitimate domains of an owner, never reported: DOMAIN=ALLOW,ALLOW (repeatable)', collect, [] as string[])
    .option('--dict <file>', 'extra words (one a line) for dictionary variants and brand + word combosquats')
    .option('--json', 'print JSON', false)
    .option('--csv', 'print CSV, one row per look-alike', false)
    .action(async (o: ScanOptions) => {
      if (!o.case) throw new DomainInputError('tamis domains needs --case DIR (or use `tamis domains generate DOMAIN`)');
      if (o.protect.length === 0) throw new DomainInputError('tamis domains --case needs --protect DOMAIN... (the organisation\'s domains and its providers\')');
      const owners = parseOwners(o.owner);
      const prot: Protected[] = o.protect.map((p) => {
        const d = domainArg(p, '--protect');
        return { domain: d, allow: owners.get(d) ?? [] };
      });
      for (const owner of owners.keys()) {
        if (!prot.some((p) => p.domain === owner)) prot.push({ domain: owner, allow: owners.get(owner) ?? [] });
      }
      const dictionary = o.dict ? parseDictionary(readList(o.dict, '--dict')) : [];
      const kase = await Case.openExisting(o.case);
      try {
        saveProtected(kase, { protected: prot, dictionary });
        const scan = await scanCase(kase, prot, { dictionary });
        saveScan(kase, scan);
        process.stdout.write(o.json ? scanJson(scan) : o.csv ? scanCsv(scan) : scanText(scan));
      } finally {
        kase.close();
      }
    });

  domains
    .command('generate')
    .description('List the look-alike variants of one domain (the dnstwist fuzzers, offline: no DNS)')
    .argument('<domain>', 'e.g. en-marche.fr')
    .option('--dict <file>', 'words for the dictionary fuzzer, one a line')
    .option('--tld <file>', 'suffixes for the tld-swap fuzzer, one a line')
    .option('--json', 'print JSON', false)
    .option('--csv', 'print CSV', false)
    .action((domain: string, _o: unknown, cmd: Command) => {
      // --dict, --json and --csv also exist on `domains` itself, which commander gives them to.
      const o = cmd.optsWithGlobals<{ dict?: string; tld?: string; json: boolean; csv: boolean }>();
      const variants = generateVariants(domain, {
        dictionary: o.dict ? parseDictionary(readList(o.dict, '--dict')) : [],
        tlds: o.tld ? parseTldList(readList(o.tld, '--tld')) : [],
      });
      process.stdout.write(o.json ? `${JSON.stringify(variants, null, 2)}\n` : o.csv ? variantsCsv(variants) : variantsText(variants));
    });
}
