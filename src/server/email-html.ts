import { parseDocument } from 'htmlparser2';
import render from 'dom-serializer';
import { Element, Text, type ChildNode } from 'domhandler';

/**
 * Makes an email's HTML inert before it reaches the browser. The response's CSP (sandbox, no script,
 * nothing remote) is the first guard; this is the second, so a browser that reports or pre-resolves
 * blocked loads still sees no remote URL at all, and a clicked link cannot navigate the frame.
 * Parsing is htmlparser2's; the policy below is ours because no maintained sanitizer both keeps
 * <style> blocks and rewrites their remote URLs (and sanitize-html now needs Node 22).
 */

/** Elements removed with everything inside them. */
const DROP = new Set([
  'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'noscript', 'template', 'link', 'meta', 'base',
  'audio', 'video', 'source', 'track', 'portal', 'svg', 'math', 'canvas', 'picture',
]);
/** Attributes that make the browser fetch or navigate. */
const URL_ATTRS = new Set([
  'src', 'href', 'srcset', 'action', 'formaction', 'background', 'poster', 'lowsrc', 'dynsrc', 'longdesc', 'cite', 'ping',
  'data', 'codebase', 'archive', 'manifest', 'usemap', 'profile', 'xlink:href', 'imagesrcset', 'attributionsrc',
]);
const SAFE_IMAGE = /^data:image\/(png|gif|jpe?g|webp|bmp);base64,[a-z0-9+/=\s]*$/i;

/** CSS with every remote reference removed: @import gone, url() kept only for data:, image-set() disabled. */
export function inertCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    // Escapes could spell "url(" or "@import" in disguise: decode them before looking.
    .replace(/\\([0-9a-f]{1,6})\s?/gi, (_m, hex: string) => safeCodePoint(parseInt(hex, 16)))
    .replace(/\\([^\n])/g, '$1')
    .replace(/@import[^;]*;?/gi, '')
    .replace(/url\s*\(\s*("[^"]*"|'[^']*'|[^)]*)\s*\)/gi, (whole, inner: string) =>
      /^["']?data:image\//i.test(inner.trim()) ? whole : 'none',
    )
    .replace(/(-webkit-)?image-set\s*\(/gi, 'blocked(')
    .replace(/expression\s*\(/gi, 'blocked(');
}

function safeCodePoint(n: number): string {
  return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '';
}

function clean(nodes: ChildNode[]): ChildNode[] {
  const out: ChildNode[] = [];
  for (const node of nodes) {
    if (node instanceof Element) {
      const name = node.name.toLowerCase();
      if (DROP.has(name)) continue;
      for (const attr of Object.keys(node.attribs)) {
        const key = attr.toLowerCase();
        const value = node.attribs[attr] ?? '';
        if (key.startsWith('on') || key === 'http-equiv' || key === 'srcdoc') {
          delete node.attribs[attr];
        } else if (key === 'style') {
          node.attribs[attr] = inertCss(value);
        } else if (URL_ATTRS.has(key)) {
          if (name === 'img' && key === 'src' && SAFE_IMAGE.test(value)) continue;
          delete node.attribs[attr];
          // Keep the address visible to the investigator without ever loading it.
          node.attribs[`data-blocked-${key.replace(/[^a-z-]/g, '-')}`] = value;
          if (!node.attribs['title'] && (key === 'href' || key === 'src')) node.attribs['title'] = value;
        }
      }
      if (name === 'style') {
        const css = node.children.map((c) => (c instanceof Text ? c.data : '')).join('');
        node.children = [new Text(inertCss(css))];
      } else {
        node.children = clean(node.children);
      }
      out.push(node);
    } else if (node.type === 'comment' || node.type === 'directive') {
      continue; // conditional comments and doctype tricks carry nothing a reader needs
    } else {
      out.push(node);
    }
  }
  return out;
}

export function inertEmailHtml(html: string): string {
  const doc = parseDocument(html, { lowerCaseTags: true, lowerCaseAttributeNames: true });
  doc.children = clean(doc.children);
  for (const c of doc.children) c.parent = doc;
  return `<!doctype html><meta charset="utf-8">${render(doc, { encodeEntities: 'utf8' })}`;
}
