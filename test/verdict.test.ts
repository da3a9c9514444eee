import { describe, expect, it } from 'vitest';
import { ownVerdict } from '../src/verdict/rules.js';
import { decideVerdicts, type VerdictInput } from '../src/verdict/propagate.js';
import type { Finding } from '../src/model.js';

const proof: Finding = {
  check: 'dkim.signature',
  severity: 'info',
  proof: 'proves',
  message: 'valid aligned signature d=campaign.example s=s2017',
  evidence: { domain: 'campaign.example', selector: 's2017' },
};
const bodyAltered: Finding = {
  check: 'dkim.body-hash',
  severity: 'critical',
  proof: 'disproves',
  message: 'body altered after signing',
  evidence: {},
};
const arcExplains: Finding = {
  check: 'arc.chain',
  severity: 'info',
  message: 'ARC chain valid; lists.example modified the message',
  evidence: { explains: true },
};
const redFlag: Finding = { check: 'dkim.alignment', severity: 'warning', message: 'unaligned', evidence: {} };
const unreadable: Finding = { check: 'ingest.unreadable', severity: 'warning', message: 'corrupt zip', evidence: {} };

describe('ownVerdict', () => {
  it('calls an item with proof verified and names the proof', () => {
    const v = ownVerdict([proof]);
    expect(v.verdict).toBe('verified');
    expect(v.reason).toContain('s2017');
  });
  it('calls proof of alteration tampered, even next to a passing signature', () => {
    expect(ownVerdict([proof, bodyAltered]).verdict).toBe('tampered');
  });
  it('does not call an ARC-explained modification tampered', () => {
    const v = ownVerdict([bodyAltered, arcExplains]);
    expect(v.verdict).toBe('consistent');
    expect(v.reason).toContain('ARC');
  });
  it('lets ARC explain breakage that is not proof on its own (both hashes broken by a list)', () => {
    const unproven: Finding = { ...bodyAltered, proof: undefined };
    delete unproven.proof;
    expect(ownVerdict([unproven, arcExplains]).verdict).toBe('consistent');
    expect(ownVerdict([unproven]).verdict).toBe('suspicious');
  });
  it('calls red flags without proof suspicious', () => {
    expect(ownVerdict([redFlag]).verdict).toBe('suspicious');
  });
  it('lets a red flag stand beside proof as a note, not a downgrade', () => {
    expect(ownVerdict([proof, redFlag]).verdict).toBe('verified');
  });
  it('does not treat reading problems as red flags', () => {
    const v = ownVerdict([unreadable]);
    expect(v.verdict).toBe('consistent');
    expect(v.reason).toContain('corrupt zip');
  });
  it('calls an item with no findings consistent', () => {
    expect(ownVerdict([]).verdict).toBe('consistent');
  });
});

describe('decideVerdicts', () => {
  const email = (id: number, findings: Finding[], parent: number | null = null, path = `dump/${id}.eml`): VerdictInput => ({
    id,
    sha256: `${id}`.padStart(64, '0'),
    findings,
    occurrences: [{ path, parent }],
  });

  it('passes proof from a verified email to its attachment, transitively into archive members', () => {
    const items: VerdictInput[] = [
      email(1, [proof]),
      email(2, [], 1, 'dump/1.eml!attachments/1-data.zip'),
      email(3, [redFlag], 2, 'dump/1.eml!attachments/1-data.zip!sheet.csv'),
    ];
    const v = decideVerdicts(items);
    expect(v.get(2)?.verdict).toBe('verified');
    expect(v.get(3)?.verdict).toBe('verified');
    const derived = v.get(3)?.derived[0];
    expect(derived?.check).toBe('provenance.inherited');
    expect(derived?.evidence['coveringProof']).toMatchObject({ selector: 's2017' });
  });

  it('does not pass proof from an unverified carrier', () => {
    const v = decideVerdicts([email(1, [redFlag]), email(2, [], 1)]);
    expect(v.get(2)?.verdict).toBe('consistent');
  });

  it('keeps a forwarded message whose own signature fails tampered inside a verified email', () => {
    const v = decideVerdicts([email(1, [proof]), email(2, [bodyAltered], 1)]);
    expect(v.get(2)?.verdict).toBe('tampered');
  });

  it('names the other places the same bytes occur', () => {
    const att: VerdictInput = {
      id: 2,
      sha256: 'b'.repeat(64),
      findings: [],
      occurrences: [
        { path: 'dump/1.eml!attachments/1-budget.csv', parent: 1 },
        { path: 'dump/docs/budget.csv', parent: null },
      ],
    };
    const v = decideVerdicts([email(1, [proof]), att]);
    expect(v.get(2)?.verdict).toBe('verified');
    expect(v.get(2)?.reason).toContain('dump/docs/budget.csv');
  });

  it('terminates on an archive that contains itself', () => {
    const loop: VerdictInput = { id: 1, sha256: 'c'.repeat(64), findings: [], occurrences: [{ path: 'a.zip', parent: 1 }] };
    expect(decideVerdicts([loop]).get(1)?.verdict).toBe('consistent');
  });
});
