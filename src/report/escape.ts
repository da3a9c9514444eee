// Everything in a report comes from a hostile dump: these helpers make its text inert in each format.

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

/**
 * Control characters (ANSI escape sequences, backspace, bidi overrides) shown as visible escapes, so a
 * subject line cannot rewrite the terminal or reorder what the reader sees. Newlines and tabs are kept.
 */
export function neutraliseControls(s: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** One line of text: controls neutralised and line breaks turned into spaces. */
export function oneLine(s: string): string {
  return neutraliseControls(s.replace(/\r\n|\r|\n/g, ' '));
}

/**
 * Markdown inline text, never placed at the start of a line: the punctuation that Markdown or an
 * HTML renderer acts on mid-line is backslash-escaped (CommonMark allows escaping any ASCII
 * punctuation); line breaks become spaces.
 */
export function escapeMarkdown(s: string): string {
  return oneLine(s).replace(/[\\`*_{}[\]<>#!|~&]/g, (c) => `\\${c}`);
}

/** A fenced code block whose fence cannot be closed by the content. */
export function markdownFence(content: string, info = ''): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${neutraliseControls(content)}\n${fence}`;
}

/**
 * One CSV cell (RFC 4180). Text starting with = + - @ (or tab/CR, which some spreadsheets skip) is
 * prefixed with ' so a spreadsheet shows it instead of evaluating it as a formula.
 */
export function csvCell(value: string | number): string {
  let s = typeof value === 'number' ? String(value) : value;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}
