// The report's look-alike domains section (present when `tamis domains --case` was run).
import type { Json } from '../model.js';
import { escapeHtml as e, escapeMarkdown as m } from './escape.js';
import type { CaseReport } from './types.js';

type Section = NonNullable<CaseReport['domains']>;

const INTRO =
  'Domains seen in the mail of the dump that imitate a protected domain (the organisation\'s own or a provider\'s): ' +
  'typo and homoglyph variants, the same look once confusable characters are folded, small edits, the brand inside another name. ' +
  'A look-alike is a lead, not proof of an attack: the organisation may have registered it, or a partner may have a close name.';

const day = (iso: string | null): string => (iso ? iso.slice(0, 10) : '?');

export function domainsHtml(d: Section | undefined): string {
  if (!d) return '';
  const rows = d.lookalikes
    .map(
      (l) =>
        `<tr><td>${e(l.unicode)}${l.unicode !== l.domain ? `<br><code>${e(l.domain)}</code>` : ''}</td><td>${e(l.imitates.join(', '))}</td>` +
        `<td>${l.reasons.map((r) => `${e(r.technique)}: ${e(r.detail)}`).join('<br>')}</td><td>${e(l.fields.join(', '))}</td>` +
        `<td class="n">${l.messages}</td><td>${e(day(l.firstSeen))} → ${e(day(l.lastSeen))}</td><td>${e(l.recipients.join(', '))}</td>` +
        `<td>${[...l.replies.map((r) => `reply: item ${r.itemId}`), ...l.forwards.map((r) => `forward: item ${r.itemId}`)].map(e).join('<br>')}</td></tr>`,
    )
    .join('');
  const mm = d.mismatches.map((x) => `<li>item ${x.itemId}: shows ${e(x.shown)}, goes to ${e(x.target)}</li>`).join('');
  return (
    `<h2>Look-alike domains</h2>\n<p>${e(INTRO)} Protected: ${e(d.protected.map((p) => p.domain).join(', '))}.</p>\n` +
    (d.lookalikes.length
      ? `<table><thead><tr><th>Domain</th><th>Imitates</th><th>How</th><th>Seen in</th><th>Messages</th><th>First → last</th><th>Recipients</th><th>Replies, forwards</th></tr></thead><tbody>${rows}</tbody></table>\n`
      : '<p>None found.</p>\n') +
    (mm ? `<p>Links whose text shows another domain:</p><ul>${mm}</ul>\n` : '')
  );
}

export function domainsMd(d: Section | undefined): string[] {
  if (!d) return [];
  const out = ['## Look-alike domains', '', `${m(INTRO)} Protected: ${m(d.protected.map((p) => p.domain).join(', '))}.`, ''];
  if (d.lookalikes.length === 0) out.push('None found.', '');
  else {
    out.push('| Domain | Imitates | How | Seen in | Messages | First → last | Recipients | Replies, forwards |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const l of d.lookalikes) {
      out.push(
        `| ${m(l.unicode)}${l.unicode !== l.domain ? ` (${m(l.domain)})` : ''} | ${m(l.imitates.join(', '))} | ${m(l.reasons.map((r) => `${r.technique}: ${r.detail}`).join('; '))} | ${m(l.fields.join(', '))} | ${l.messages} | ${day(l.firstSeen)} → ${day(l.lastSeen)} | ${m(l.recipients.join(', '))} | ${m([...l.replies.map((r) => `reply: item ${r.itemId}`), ...l.forwards.map((r) => `forward: item ${r.itemId}`)].join('; '))} |`,
      );
    }
    out.push('');
  }
  for (const x of d.mismatches) out.push(`- item ${x.itemId}: a link shows ${m(x.shown)} but goes to ${m(x.target)}`);
  if (d.mismatches.length) out.push('');
  return out;
}

export function domainsJson(d: Section | undefined): { domains?: Json } {
  return d ? { domains: JSON.parse(JSON.stringify(d)) as Json } : {};
}
