import { parseDocument, DomUtils } from 'htmlparser2';
import type { Element } from 'domhandler';
import { describe, expect, it } from 'vitest';
import PostalMime from 'postal-mime';
import { inertCss, inertEmailHtml } from '../src/server/email-html.js';
import { HOSTILE } from './server-fixture.js';

function elements(html: string): Element[] {
  return DomUtils.findAll(() => true, parseDocument(html).children);
}

describe('inert email HTML', () => {
  it('removes scripts, handlers, frames and every fetching attribute from a hostile email', async () => {
    const html = (await PostalMime.parse(HOSTILE)).html ?? '';
    expect(html).toContain('<script>');
    const out = inertEmailHtml(html);
    const els = elements(out);
    expect(els.map((e) => e.name)).not.toEqual(expect.arrayContaining(['script']));
    for (const name of ['script', 'iframe', 'link', 'svg']) expect(els.some((e) => e.name === name)).toBe(false);
    for (const e of els) {
      for (const [k, v] of Object.entries(e.attribs)) {
        expect(k.startsWith('on'), `${e.name} ${k}`).toBe(false);
        if (['src', 'href', 'srcset', 'background'].includes(k)) expect(v, `${e.name} ${k}`).toMatch(/^data:image\//);
      }
    }
    const css = els.filter((e) => e.name === 'style').map((e) => DomUtils.textContent(e)).join('');
    expect(css).not.toMatch(/@import|url\(|evil/);
    expect(out).toContain('<p id="hostile-body">Please pay the invoice.</p>');
    // The blocked addresses stay readable for the investigator.
    expect(els.find((e) => e.name === 'img')?.attribs['data-blocked-src']).toBe('http://tracker.evil.example/pixel.gif?id=42');
    expect(els.find((e) => e.name === 'a')?.attribs['href']).toBeUndefined();
  });

  it('keeps inline data: images and ordinary styling', () => {
    const out = inertEmailHtml('<img src="data:image/png;base64,iVBORw0KGgo="><p style="color: red; background: url(http://x.test/a.png)">Bonjour</p>');
    expect(out).toContain('src="data:image/png;base64,iVBORw0KGgo="');
    expect(out).toContain('style="color: red; background: none"');
    expect(out).toContain('Bonjour');
  });

  it('defeats CSS escapes and image-set spelling a remote load', () => {
    expect(inertCss('@\\69mport "http://x.test/a.css"; b { background: \\75rl(http://x.test/b.png) }')).not.toMatch(/import|url\(|x\.test\/b/);
    expect(inertCss('a { background-image: image-set("http://x.test/c.png" 1x) }')).not.toContain('image-set(');
    expect(inertCss('a { background: url("data:image/gif;base64,R0lGOD") }')).toContain('url("data:image/gif;base64,R0lGOD")');
  });

  it('drops meta refresh and base, which would navigate or re-root the frame', () => {
    const out = inertEmailHtml('<meta http-equiv="refresh" content="0;url=http://x.test/"><base href="http://x.test/"><a href="http://x.test/">lien</a>');
    expect(out).not.toMatch(/<meta http-equiv|<base|\shref=/);
    expect(out).toContain('lien');
  });
});
