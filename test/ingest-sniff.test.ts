import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { isContainer, sniffMediaType } from '../src/ingest/sniff.js';
import { itCorpus } from './helpers/corpus.js';

const TIKA = '../shared/corpus/documents/tika';
const head = (p: string): Buffer => readFileSync(p).subarray(0, 64 * 1024);
const sniffFile = (p: string) => sniffMediaType(head(p), p.split('/').pop()!);
const email = Buffer.from('Return-Path: <a@example.org>\r\nFrom: Alice <a@example.org>\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nbody\r\n');

describe('sniffMediaType', () => {
  itCorpus('recognises every tika mbox as an mbox (a container of emails)', async () => {
    const boxes = readdirSync(join(TIKA, 'mail')).filter((f) => f.endsWith('.mbox'));
    expect(boxes.length).toBe(9);
    for (const f of boxes) {
      const r = await sniffFile(join(TIKA, 'mail', f));
      expect(r, f).toEqual({ mediaType: 'application/mbox', kind: 'archive' });
    }
    expect(isContainer('application/mbox')).toBe(true);
  });

  itCorpus('recognises the tika RFC 822 messages, with or without an extension', async () => {
    const mails = readdirSync(join(TIKA, 'mail')).filter((f) => f.startsWith('testRFC822') || f.endsWith('.eml'));
    expect(mails.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const f of mails) {
      const r = await sniffFile(join(TIKA, 'mail', f));
      if (r.mediaType !== 'message/rfc822' || r.kind !== 'email') wrong.push(`${f}: ${r.mediaType}`);
    }
    // This one opens with an mbox envelope line: it is a one-message mbox whatever its name says,
    // and splitting it gives the message without the envelope line (which no signature covers).
    expect(wrong).toEqual(['testEmailWithPNGAtt.eml: application/mbox']);
  });

  it('is not fooled by extensions', async () => {
    expect(await sniffMediaType(email, 'invoice.pdf')).toEqual({ mediaType: 'message/rfc822', kind: 'email' });
    const zip = Buffer.from(zipSync({ 'a.txt': strToU8('x') }));
    expect(await sniffMediaType(zip, 'report.pdf')).toEqual({ mediaType: 'application/zip', kind: 'archive' });
    expect(await sniffMediaType(Buffer.from('just some words, nothing else\n'), 'mail.eml')).toMatchObject({ mediaType: 'text/plain' });
  });

  itCorpus('treats office documents that are zips as documents, not archives', async () => {
    const docx = await sniffFile(join(TIKA, 'microsoft/testWORD_null_style.docx')); // first entry is customXml/…
    expect(docx).toEqual({ mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', kind: 'document' });
    expect(isContainer(docx.mediaType)).toBe(false);
    const odt = (await readdirSync(join(TIKA, 'miscoffice')).filter((f) => f.endsWith('.odt'))).slice(0, 3);
    for (const f of odt.filter((x) => x !== 'testODTnotaZipFile.odt')) {
      const r = await sniffFile(join(TIKA, 'miscoffice', f));
      expect(r.mediaType, f).toBe('application/vnd.oasis.opendocument.text');
      expect(isContainer(r.mediaType)).toBe(false);
    }
  });

  itCorpus('tells OLE files apart by their streams', async () => {
    expect((await sniffFile(join(TIKA, 'microsoft/testWORD.doc'))).mediaType).toBe('application/msword');
    expect((await sniffFile(join(TIKA, 'microsoft/testEXCEL.xls'))).mediaType).toBe('application/vnd.ms-excel');
    expect((await sniffFile(join(TIKA, 'microsoft/testPPT.ppt'))).mediaType).toBe('application/vnd.ms-powerpoint');
    expect(await sniffFile(join(TIKA, 'microsoft/testMSG_chinese.msg'))).toEqual({ mediaType: 'application/vnd.ms-outlook', kind: 'email' });
    // the same bytes under a misleading name
    expect((await sniffMediaType(head(join(TIKA, 'microsoft/testWORD.doc')), 'x.msg')).mediaType).toBe('application/msword');
  });

  itCorpus('maps archives, images and PDFs to kinds', async () => {
    expect(await sniffFile(join(TIKA, 'pkg/test-documents.tgz'))).toEqual({ mediaType: 'application/gzip', kind: 'archive' });
    expect(await sniffFile(join(TIKA, 'pkg/test-documents.tar'))).toEqual({ mediaType: 'application/x-tar', kind: 'archive' });
    expect(await sniffFile(join(TIKA, 'pkg/test-documents.7z'))).toEqual({ mediaType: 'application/x-7z-compressed', kind: 'archive' });
    expect(isContainer('application/x-7z-compressed')).toBe(false);
    expect(await sniffFile(join(TIKA, 'image/testPNG.png'))).toEqual({ mediaType: 'image/png', kind: 'image' });
    expect(await sniffFile(join(TIKA, 'pdf/testPDF.pdf'))).toEqual({ mediaType: 'application/pdf', kind: 'document' });
  });

  it('recognises text kinds by content', async () => {
    const t = (s: string, name = 'file') => sniffMediaType(Buffer.from(s), name);
    expect((await t('poste;montant\r\nmeetings;12000\r\nflyers;4300\r\n')).mediaType).toBe('text/csv');
    expect((await t('{"a": [1, 2, {"b": null}]}')).mediaType).toBe('application/json');
    expect((await t('<!DOCTYPE html>\n<html><body>x</body></html>')).mediaType).toBe('text/html');
    expect(await t('Dear Bob,\nsee you tomorrow.\n')).toEqual({ mediaType: 'text/plain', kind: 'document' });
    expect((await t('HTTP-ish: not mail\nContent-Length: 5\n\nhello')).mediaType).toBe('text/plain');
    expect((await t('From the beginning of time, people wrote\nletters.\n')).mediaType).toBe('text/plain');
    expect((await sniffMediaType(Buffer.from([0, 1, 2, 3, 250, 251]), 'blob')).mediaType).toBe('application/octet-stream');
  });

  it('recognises a message that opens with a DKIM signature, and Apple .emlx', async () => {
    const dkim = Buffer.from('DKIM-Signature: v=1; a=rsa-sha256; d=example.org;\r\n\tb=abc\r\nFrom: a@example.org\r\n\r\nx\r\n');
    expect((await sniffMediaType(dkim, 'noext')).mediaType).toBe('message/rfc822');
    const emlx = Buffer.concat([Buffer.from(`${email.length}\n`), email, Buffer.from('<?xml version="1.0"?>\n<plist/>\n')]);
    const r = await sniffMediaType(emlx, '123.emlx');
    expect(r.mediaType).toBe('message/x-emlx');
    expect(isContainer(r.mediaType)).toBe(true);
  });
});
