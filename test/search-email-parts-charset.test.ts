// The text the workbench shows and the search indexes is decoded as the checks decode it.
import { describe, expect, it } from 'vitest';
import { parseEmailParts } from '../src/search/email-parts.js';

describe('parseEmailParts', () => {
  it('reads windows-1252 quoted-printable as windows-1252 (€, curly quotes), not as Latin-1 controls', async () => {
    const raw = Buffer.from(
      'From: a@example.org\r\nSubject: budget\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=windows-1252\r\n' +
        'Content-Transfer-Encoding: quoted-printable\r\n\r\nLe budget est de 1 200 =80, c=92est =93d=E9finitif=94.\r\n',
    );
    const parts = await parseEmailParts(raw);
    expect(parts.text).toContain('1 200 €, c’est “définitif”.');
  });
});
