import type { Json } from '../model.js';

/**
 * The bare, lower-cased address of one metadata address value. Analysers store addresses either as
 * a display string (`"Name" <a@b>`) or as `{name, address}`; both are accepted.
 */
export function addressOf(v: Json | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && !Array.isArray(v)) {
    const a = v['address'];
    return typeof a === 'string' && a.includes('@') ? a.trim().toLowerCase() : null;
  }
  if (typeof v !== 'string') return null;
  const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(v);
  if (angle?.[1]) return angle[1].toLowerCase();
  const bare = /[^\s<>"',;]+@[^\s<>"',;]+/.exec(v);
  return bare ? bare[0].toLowerCase() : null;
}

/** Display form (name and address) of one metadata address value. */
export function displayOf(v: Json | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && !Array.isArray(v)) {
    const name = typeof v['name'] === 'string' ? v['name'] : '';
    const address = typeof v['address'] === 'string' ? v['address'] : '';
    return name && address ? `${name} <${address}>` : name || address;
  }
  return String(v);
}

export function addressList(v: Json | undefined): Json[] {
  if (Array.isArray(v)) return v;
  if (v === null || v === undefined) return [];
  return [v];
}

export function domainOf(address: string | null): string | null {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  return at >= 0 ? address.slice(at + 1) : null;
}
