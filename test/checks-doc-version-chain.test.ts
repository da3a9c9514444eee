// doc.near-copy-of-verified and version chains: successive versions of a verified document (v1, v2,
// final, "(1)" copies) are leads (info, with the diff); a near copy whose metadata contradicts a
// version chain is a red flag. Real docx/xlsx files built with the fixture builders and extracted.
import { describe, expect, it } from 'vitest';
import { documentFacts, type DocumentFacts } from '../src/checks/documents/facts.js';
import { nearCopyChecks } from '../src/checks/documents/index.js';
import { extract } from '../src/extract/index.js';
import type { Finding } from '../src/model.js';
import { docx, xlsx, type DocxSpec, type XlsxSpec } from './fixtures/doc-files.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let ids = 0;

async function facts(bytes: Buffer, mediaType: string, extra: Partial<DocumentFacts> = {}): Promise<DocumentFacts> {
  const x = await extract(bytes, mediaType, 'file');
  if (!x) throw new Error(`no extractor for ${mediaType}`);
  return documentFacts(++ids, 'document', mediaType, x, { bytes, ...extra });
}

const cells = (room: number, sound: number): [string, string | number][] => [
  ['A1', 'Poste'], ['B1', 'Montant'], ['A2', 'Salle'], ['B2', room], ['A3', 'Sonorisation'], ['B3', sound], ['A4', 'Affiches'], ['B4', 950],
  ['A5', 'Transport'], ['B5', 2200], ['A6', 'Traiteur'], ['B6', 1300], ['A7', 'Sécurité'], ['B7', 800], ['A8', 'Divers'], ['B8', 400],
];
const budget = (o: Partial<XlsxSpec> & { room?: number; sound?: number } = {}): Buffer => {
  const { room = 4000, sound = 1800, ...props } = o;
  return xlsx({ author: 'Émilie Durand', lastModifiedBy: 'Émilie Durand', company: 'Northwind', created: '2017-02-01T09:00:00Z', modified: '2017-02-02T10:00:00Z', revision: 3, ...props, sheets: [{ name: 'Budget', cells: cells(room, sound) }] });
};
const PARAS = [
  'Programme de la réunion publique de Lyon.', 'Budget prévisionnel : 8 000 euros pour la salle, la sonorisation et les affiches.',
  'Intervenants : la candidate, le responsable régional, deux élus locaux.', 'Accueil des militants à partir de 18 heures, buffet offert par le comité.',
];
const programme = (o: Partial<DocxSpec> = {}): Buffer =>
  docx({ author: 'Julien Moreau', lastModifiedBy: 'Julien Moreau', company: 'Northwind', created: '2017-03-01T09:00:00Z', modified: '2017-03-03T17:00:00Z', revision: 4, paragraphs: PARAS, ...o });

/** Other files of the case, so the names of the staff are known. */
async function colleagues(): Promise<DocumentFacts[]> {
  return Promise.all([
    facts(programme({ paragraphs: ['Note interne sur les tracts.'], lastModifiedBy: 'Émilie Durand' }), DOCX),
    facts(programme({ paragraphs: ['Compte rendu du comité.'], author: 'Émilie Durand', lastModifiedBy: 'Julien Moreau' }), DOCX),
  ]);
}

async function judge(verifiedBytes: Buffer, copyBytes: Buffer, mediaType: string, copyExtra: Partial<DocumentFacts> = {}): Promise<{ copy: Finding[]; verified: DocumentFacts }> {
  const verified = await facts(verifiedBytes, mediaType, { verified: true });
  const copy = await facts(copyBytes, mediaType, copyExtra);
  const docs = [...(await colleagues()), verified, copy];
  const { ofVerified } = nearCopyChecks();
  return { copy: ofVerified.run(docs, { orgDomains: ['northwind.example'] }).get(copy.itemId) ?? [], verified };
}

describe('doc.near-copy-of-verified: version chains are leads', () => {
  const leads: [string, () => Buffer, () => Buffer, string][] = [
    ['v2 of a verified budget: new figures, later save, more revisions, same editor', () => budget(), () => budget({ sound: 2100, modified: '2017-02-06T16:00:00Z', revision: 5 }), XLSX],
    ['"final" edited by a colleague of the case', () => budget(), () => budget({ sound: 2300, lastModifiedBy: 'Julien Moreau', modified: '2017-02-09T11:00:00Z', revision: 8 }), XLSX],
    ['"(1)" copy of an earlier draft: saved before the verified version, with fewer revisions', () => budget({ modified: '2017-02-08T10:00:00Z', revision: 6 }), () => budget({ sound: 1500, modified: '2017-02-03T10:00:00Z', revision: 2 }), XLSX],
    ['a programme with a changed figure and a new paragraph, saved later', () => programme(), () => programme({ paragraphs: [...PARAS.slice(0, 1), PARAS[1]!.replace('8 000', '8 600'), ...PARAS.slice(2), 'Navette depuis la gare réservée.'], modified: '2017-03-07T09:00:00Z', revision: 7 }), DOCX],
    ['the same template filled in for another meeting (another creation date)', () => programme(), () => programme({ paragraphs: PARAS.map((p) => p.replace('Lyon', 'Grenoble').replace('8 000', '7 500')), created: '2017-04-02T09:00:00Z', modified: '2017-04-03T09:00:00Z', revision: 2 }), DOCX],
  ];
  it.each(leads)('info, with the diff: %s', async (_name, v, c, type) => {
    const { copy, verified } = await judge(v(), c(), type);
    expect(copy).toHaveLength(1);
    expect(copy[0]!.severity).toBe('info');
    expect(copy[0]!.message).toMatch(/fits a version chain/);
    expect(copy[0]!.evidence['counterpart']).toBe(verified.itemId);
    expect(copy[0]!.evidence['versionChain']).toBe('consistent');
    expect(copy[0]!.evidence['changedCells'] ?? copy[0]!.evidence['changedWords']).not.toEqual([]);
  });
});

describe('doc.near-copy-of-verified: metadata that contradicts the version chain is a red flag', () => {
  const flags: [string, () => Buffer, () => Buffer, string, string, Partial<DocumentFacts>?][] = [
    ['another editing environment (LibreOffice)', () => budget(), () => budget({ sound: 18_000, application: 'LibreOffice/7.3.7.2$Linux_X86_64 LibreOffice_project/30$Build-2', modified: '2017-02-05T10:00:00Z', revision: 4 }), XLSX, 'environment'],
    ['another company', () => budget(), () => budget({ sound: 18_000, company: 'Offshore Consulting Ltd', modified: '2017-02-05T10:00:00Z', revision: 4 }), XLSX, 'environment'],
    ['an Office version of another generation', () => programme({ appVersion: '16.0000' }), () => programme({ appVersion: '12.0000', paragraphs: PARAS.map((p) => p.replace('8 000', '80 000')), modified: '2017-03-05T09:00:00Z', revision: 6 }), DOCX, 'environment'],
    ['content changed under the verified last-saved date and revision (XML edited by hand)', () => budget(), () => budget({ sound: 18_000 }), XLSX, 'unchanged-dates'],
    ['saved later with fewer revisions than the verified version', () => budget(), () => budget({ sound: 18_000, modified: '2017-02-09T10:00:00Z', revision: 1 }), XLSX, 'revision-order'],
    ['saved after the date of the email that carries it', () => budget(), () => budget({ sound: 18_000, modified: '2017-03-20T10:00:00Z', revision: 6 }), XLSX, 'saved-after-carrier', { carriers: [{ itemId: 999, date: '2017-02-10T09:00:00Z', verified: false }] }],
    ['last edited by someone no other file names', () => budget(), () => budget({ sound: 18_000, lastModifiedBy: 'Viktor Kessler', modified: '2017-02-06T10:00:00Z', revision: 5 }), XLSX, 'outside-author'],
  ];
  it.each(flags)('critical: %s', async (_name, v, c, type, kind, extra) => {
    const { copy } = await judge(v(), c(), type, extra);
    expect(copy).toHaveLength(1);
    expect(copy[0]!.severity).toBe('critical');
    expect(copy[0]!.message).toMatch(/contradicts a version chain/);
    expect(copy[0]!.evidence['versionChain']).toBe('contradicted');
    expect((copy[0]!.evidence['contradictions'] as { kind: string }[]).map((x) => x.kind)).toContain(kind);
  });

  it('an identical copy is a note whatever its metadata says', async () => {
    const { copy } = await judge(budget(), budget({ application: 'LibreOffice/7.3', lastModifiedBy: 'Viktor Kessler' }), XLSX);
    expect(copy.map((f) => f.severity)).toEqual(['info']);
    expect(copy[0]!.evidence['versionChain']).toBeUndefined();
  });
});
