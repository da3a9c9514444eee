// DKIM key sources: offline archives (JSON/JSON Lines, BIND zone files, key-file folders) and,
// only when asked for, live DNS. Every key remembers where it came from.
import { resolveTxt } from 'node:dns/promises';
import { stat } from 'node:fs/promises';
import { loadKeyFile, loadKeyFolder } from './load-folder.js';
import { KeyLoadError, type DkimKey, type KeyResolver } from './types.js';

export { KeyLoadError, splitKeyName, type DkimKey, type KeyResolver } from './types.js';
export { keyDetails, parseKeyRecord, type KeyRecord, type KeyType } from './record.js';
export { parseZoneKeys } from './load-zone.js';
export { parseJsonKeys } from './load-json.js';

const lookupName = (selector: string, domain: string): string => `${selector}._domainkey.${domain}`.toLowerCase();

/** In-memory key archive. Several keys per selector are kept: keys rotate, old mail needs old keys. */
export class KeyStore implements KeyResolver {
  private readonly byName = new Map<string, DkimKey[]>();
  private readonly list: DkimKey[] = [];

  /** Loads each path: a folder of key files, a JSON/JSON Lines archive, or a BIND zone file. */
  static async load(paths: string[]): Promise<KeyStore> {
    const store = new KeyStore();
    for (const p of paths) {
      for (const k of await loadPath(p)) store.add(k);
    }
    return store;
  }

  add(k: DkimKey): void {
    const name = lookupName(k.selector, k.domain);
    const list = this.byName.get(name) ?? [];
    // The same record from the same source twice adds nothing; from two sources it is kept twice.
    if (list.some((x) => x.value === k.value && x.source === k.source)) return;
    list.push(k);
    this.byName.set(name, list);
    this.list.push(k);
  }

  all(): DkimKey[] {
    return [...this.list];
  }

  async resolve(selector: string, domain: string): Promise<DkimKey[]> {
    return [...(this.byName.get(lookupName(selector, domain)) ?? [])];
  }
}

async function loadPath(path: string): Promise<DkimKey[]> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw new KeyLoadError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return info.isDirectory() ? loadKeyFolder(path) : loadKeyFile(path);
}

/**
 * Live DNS TXT lookups. Opt-in only (`--dns`): the dump stays offline otherwise. The source records
 * the name and the time of the lookup, since today's DNS may not hold the key used years ago.
 */
export function dnsResolver(): KeyResolver {
  return {
    async resolve(selector, domain) {
      const name = lookupName(selector, domain);
      let records: string[][];
      try {
        records = await resolveTxt(name);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOTFOUND' || code === 'ENODATA') return [];
        throw new Error(`DNS lookup of ${name} failed (${code ?? (e as Error).message}); retry later or use an archived key`);
      }
      const at = new Date().toISOString();
      return records.map((chunks) => ({ selector, domain, value: chunks.join(''), source: `dns:${name}@${at}`, firstSeenAt: at, lastSeenAt: at }));
    },
  };
}

/** Asks every resolver and returns all keys found; a failing resolver only matters if none found keys. */
export function chainResolvers(...resolvers: KeyResolver[]): KeyResolver {
  return {
    async resolve(selector, domain) {
      const found: DkimKey[] = [];
      let firstError: unknown;
      for (const r of resolvers) {
        try {
          found.push(...(await r.resolve(selector, domain)));
        } catch (e) {
          firstError ??= e;
        }
      }
      if (found.length === 0 && firstError !== undefined) throw firstError;
      return found;
    },
  };
}
