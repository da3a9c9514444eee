// OOXML / ODF-independent reading of the OPC property parts: docProps/core.xml, app.xml, custom.xml.
import type { Json } from '../model.js';
import { str, toJson } from './common.js';
import { normaliseDateString } from './dates.js';
import type { NormalisedMetadata } from './types.js';
import { nodeText, parseXml } from './xml.js';

/** Flattens a property part's root element into name → text (attributes dropped). */
function flatten(root: unknown): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  if (!root || typeof root !== 'object') return out;
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) {
    if (k.startsWith('@')) continue;
    const t = nodeText(v);
    out[k] = t !== undefined ? t : toJson(v);
  }
  return out;
}

export function readCoreXml(xml: string): { raw: { [k: string]: Json }; meta: Partial<NormalisedMetadata> } {
  const doc = parseXml(xml);
  const raw = flatten(doc['coreProperties']);
  const s = (k: string): string | undefined => str(typeof raw[k] === 'string' ? raw[k] : undefined);
  return {
    raw,
    meta: {
      title: s('title'),
      subject: s('subject'),
      keywords: s('keywords'),
      comments: s('description'),
      author: s('creator'),
      lastModifiedBy: s('lastModifiedBy'),
      revision: s('revision'),
      created: normaliseDateString(s('created')),
      modified: normaliseDateString(s('modified')),
      printed: normaliseDateString(s('lastPrinted')),
    },
  };
}

const int = (v: Json | undefined): number | undefined => {
  if (typeof v !== 'string' || !/^-?\d+$/.test(v.trim())) return undefined;
  return Number(v);
};

export function readAppXml(xml: string): { raw: { [k: string]: Json }; meta: Partial<NormalisedMetadata> } {
  const doc = parseXml(xml);
  const raw = flatten(doc['Properties']);
  const s = (k: string): string | undefined => str(typeof raw[k] === 'string' ? raw[k] : undefined);
  return {
    raw,
    meta: {
      application: s('Application'),
      appVersion: s('AppVersion'),
      company: s('Company'),
      template: s('Template'),
      totalEditMinutes: int(raw['TotalTime']),
      pageCount: int(raw['Pages']) ?? int(raw['Slides']),
      wordCount: int(raw['Words']),
    },
  };
}

/** custom.xml: `<property name="…"><vt:lpwstr>…</vt:lpwstr></property>` → name → value. */
export function readCustomXml(xml: string): { [k: string]: Json } {
  const doc = parseXml(xml);
  const root = doc['Properties'] as Record<string, unknown> | undefined;
  const props = root?.['property'];
  const out: { [k: string]: Json } = {};
  for (const p of Array.isArray(props) ? props : props ? [props] : []) {
    if (!p || typeof p !== 'object') continue;
    const o = p as Record<string, unknown>;
    const name = str(o['@name']);
    if (!name) continue;
    for (const [k, v] of Object.entries(o)) {
      if (k.startsWith('@')) continue;
      const t = nodeText(v) ?? '';
      out[name] = k === 'bool' ? t === 'true' || t === '1' : k === 'filetime' || k === 'date' ? normaliseDateString(t) ?? t : t;
      break;
    }
  }
  return out;
}
