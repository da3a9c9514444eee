import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Case } from '../src/store/case.js';
import { buildDump, email, write, zip } from './helpers/dump.js';
import { tamis, tamisChild } from './helpers/cli.js';

const run = (args: string[]) => tamis(args);

/** Starts an ingest and kills it with SIGKILL after `ms`, as a crash or power cut would. */
function runAndKill(args: string[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = tamisChild(args);
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function snapshot(caseDir: string) {
  const kase = await Case.openExisting(caseDir);
  try {
    return {
      items: kase.items(),
      occurrences: kase.allOccurrences().map(({ itemId, path, parentId, expanded }) => ({ itemId, path, parentId, expanded })),
      findings: kase
        .allFindings()
        .map((f) => JSON.stringify(f))
        .sort(),
    };
  } finally {
    kase.close();
  }
}

describe('interrupted ingest', () => {
  const base = mkdtempSync(join(tmpdir(), 'tamis-resume-'));
  const dump = join(base, 'dump');
  buildDump(dump);
  // Enough material that a kill lands mid-way: loose emails, a large zip of emails with attachments.
  const zipped: Record<string, Buffer> = {};
  for (let i = 0; i < 300; i++) {
    const msg = email({
      from: `staff${i % 17}@campaign.example`,
      to: 'press@campaign.example',
      subject: `note ${i}`,
      date: 'Fri, 24 Mar 2017 09:00:00 +0100',
      id: `z${i}@campaign.example`,
      body: `note number ${i}\r\n`.repeat(40),
      attachment: { name: `annex-${i % 40}.txt`, type: 'text/plain', bytes: Buffer.from(`annex ${i % 40}\r\n`.repeat(200)) },
    });
    if (i < 150) write(dump, `loose/${String(i).padStart(3, '0')}.eml`, msg);
    else zipped[`box/${i}.eml`] = msg;
  }
  write(dump, 'big.zip', zip(zipped));

  it('ends with exactly the case of an uninterrupted run, whatever the moment of the kill', async () => {
    const reference = join(base, 'reference');
    const t0 = Date.now();
    const ok = run(['ingest', dump, '--case', reference, '--quiet']);
    const duration = Date.now() - t0;
    expect([0, 2]).toContain(ok.status);
    const expected = await snapshot(reference);
    expect(expected.items.length).toBeGreaterThan(300);

    for (const fraction of [0.15, 0.4, 0.6, 0.85]) {
      const caseDir = join(base, `killed-${fraction}`);
      await runAndKill(['ingest', dump, '--case', caseDir, '--quiet'], Math.max(50, Math.round(duration * fraction)));
      const resumed = run(['ingest', dump, '--case', caseDir, '--quiet']);
      expect([0, 2], resumed.stderr).toContain(resumed.status);
      expect(await snapshot(caseDir)).toEqual(expected);
    }
  });
});
