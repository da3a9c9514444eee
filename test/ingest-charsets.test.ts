// Every charset mail clients write is decoded for comparison: WHATWG labels and their aliases (through
// postal-mime's TextDecoder), labels only iconv-lite knows (UTF-7, DOS code pages, VISCII…),
// quoted-printable soft breaks, base64 without padding. Real message bytes, parsed as ingest parses them.
import { describe, expect, it } from 'vitest';
import { emailFactsFromRaw } from '../src/checks/corpus.js';
import { threadQuote } from '../src/checks/email/index.js';
import { extractParts } from '../src/ingest/mime.js';
import { legacyTextLeaves } from '../src/ingest/mime-charset.js';
import { mimeStructure } from '../src/ingest/mime-ranges.js';
import { encodeBody, type Cte } from './fixtures/mail-encodings.js';

const CRLF = '\r\n';
const message = (label: string, cte: Cte | 'base64', body: string, o: { subject?: string; extra?: string[]; multipart?: boolean } = {}): Buffer => {
  const head = ['From: Paul Granger <paul@partner.example>', 'To: Alice Martin <alice@campaign.example>', `Subject: ${o.subject ?? 'Devis'}`,
    'Date: Tue, 7 Mar 2017 10:00:00 +0100', 'Message-ID: <devis-1@partner.example>', 'MIME-Version: 1.0', ...(o.extra ?? [])];
  const part = [`Content-Type: text/plain; charset="${label}"`, `Content-Transfer-Encoding: ${cte === 'base64-unpadded' ? 'base64' : cte}`];
  if (!o.multipart) return Buffer.from([...head, ...part, '', body, ''].join(CRLF), 'latin1');
  return Buffer.from([...head, 'Content-Type: multipart/mixed; boundary="b1"', '', '--b1', ...part, '', body, '--b1',
    `Content-Type: text/plain; charset="${label}"; name="notes.txt"`, 'Content-Disposition: attachment; filename="notes.txt"', 'Content-Transfer-Encoding: base64', '',
    Buffer.from('caf\x82 cr\x8ame', 'latin1').toString('base64'), '--b1--', ''].join(CRLF), 'latin1');
};
const textOf = async (raw: Buffer): Promise<string | undefined> => (await extractParts(raw)).text?.replace(/\r\n/g, '\n').replace(/\n+$/, '');

const FR = 'Le devis s’élève à 4 800 € — « café » compris.';
const WEST = 'Le devis s\'élève à 4 800 euros, café compris, à régler jeudi.';
/** [label as written in Content-Type, iconv-lite name to write the bytes, transfer encoding, text] */
const CASES: [string, string, Cte, string][] = [
  ['windows-1252', 'windows-1252', 'quoted-printable', FR],
  ['cp1252', 'windows-1252', 'quoted-printable', FR],
  ['iso-8859-15', 'iso-8859-15', 'quoted-printable', 'Les dons atteignent 12 350 €, œuvre des bénévoles.'],
  ['latin1', 'latin1', 'quoted-printable', WEST],
  ['ISO_8859-1', 'latin1', '8bit', WEST],
  ['us-ascii', 'ascii', '7bit', 'Plain ASCII, nothing else.'],
  ['iso-8859-2', 'iso-8859-2', 'quoted-printable', 'Zażółć gęślą jaźń, cena 300 zł.'],
  ['windows-1250', 'windows-1250', 'base64', 'Příliš žluťoučký kůň úpěl ďábelské ódy.'],
  ['windows-1251', 'windows-1251', 'base64', 'Счёт за печать: 2 400 евро.'],
  ['koi8-r', 'koi8-r', 'base64', 'Счёт за печать листовок: 2 400 евро, оплата до пятницы.'],
  ['koi8-u', 'koi8-u', 'base64', 'Рахунок за друк: 2 400 євро, ґанок.'],
  ['ibm866', 'cp866', 'base64', 'Счёт за печать: 2 400 евро.'],
  ['x-mac-cyrillic', 'maccyrillic', 'base64', 'Счёт за печать: 2 400 евро.'],
  ['macintosh', 'macroman', 'quoted-printable', WEST],
  ['iso-8859-7', 'iso-8859-7', 'base64', 'Το τιμολόγιο είναι 300 ευρώ.'],
  ['iso-8859-8-i', 'iso-8859-8', 'base64', 'החשבונית היא 300 אירו.'],
  ['windows-1256', 'windows-1256', 'base64', 'الفاتورة 300 يورو.'],
  ['windows-874', 'windows-874', 'base64', 'ใบแจ้งหนี้ 300 ยูโร'],
  ['tis-620', 'tis620', 'base64', 'ใบแจ้งหนี้ 300 ยูโร'],
  ['big5', 'big5', 'base64', '展覽攤位的費用是三千歐元，請在週五前確認。'],
  ['gb2312', 'gb2312', 'base64', '旗帜订单已发货，共五百面。'],
  ['gbk', 'gbk', 'base64', '旗帜订单已发货，共五百面。'],
  ['gb18030', 'gb18030', 'base64-unpadded', '旗帜订单已发货，共五百面，发票随后寄出。'],
  ['shift_jis', 'shift_jis', 'base64', 'ポスターの印刷見積もりは千二百ユーロです。'],
  ['sjis', 'shift_jis', 'base64', 'ポスターの印刷見積もりは千二百ユーロです。'],
  ['windows-31j', 'cp932', 'base64', 'ポスターの印刷見積もりは千二百ユーロです。'],
  ['cp932', 'cp932', 'base64', 'ポスターの印刷見積もりは千二百ユーロです。'],
  ['euc-jp', 'euc-jp', 'base64', '納品日は来週の月曜日です。'],
  ['iso-2022-jp', 'iso-2022-jp', '7bit', '納品日は来週の月曜日です。よろしくお願いします。'],
  ['euc-kr', 'euc-kr', 'base64', '견적서는 300유로입니다.'],
  ['ks_c_5601-1987', 'euc-kr', 'base64', '견적서는 300유로입니다.'],
  ['utf-8', 'utf8', 'quoted-printable', `${'The regional coordinators’ meeting moves to the town hall annex, room “Jean Jaurès”. '.repeat(3)}Thanks.`],
  ['utf8', 'utf8', 'base64-unpadded', 'Réunion à 18 h, ça marche ? Ok 👍'],
  // Not WHATWG labels: TextDecoder refuses them, postal-mime would read windows-1252.
  ['utf-7', 'utf7', '7bit', FR],
  ['unicode-1-1-utf-7', 'utf7', '7bit', FR],
  ['cp850', 'cp850', 'quoted-printable', WEST],
  ['ibm437', 'cp437', 'quoted-printable', 'Café crème, 12 °C, ½ tarif.'],
  ['cp852', 'cp852', 'quoted-printable', 'Zażółć gęślą jaźń, cena 300 zł.'],
  ['viscii', 'viscii', 'base64', 'Hóa đơn là 300 euro.'],
];

describe('charsets mail clients write are decoded for comparison', () => {
  it.each(CASES)('%s (%s, %s)', async (label, iconvName, cte, text) => {
    expect(await textOf(message(label, cte, encodeBody(text, iconvName, cte)))).toBe(text);
  });

  it('windows-1252 quoted-printable writes € as =80, ’ as =92, « » as =AB =BB', async () => {
    const body = encodeBody(FR, 'windows-1252', 'quoted-printable');
    expect(body).toContain('=80');
    expect(body).toContain('=92');
    expect(await textOf(message('windows-1252', 'quoted-printable', body))).toBe(FR);
  });

  it('joins quoted-printable soft line breaks, also with trailing spaces after the "="', async () => {
    const long = 'Le programme de la réunion publique est confirmé pour jeudi dans la grande salle de la mairie annexe, deuxième étage.';
    const soft = encodeBody(long, 'utf-8', 'quoted-printable');
    expect(soft.split(CRLF).length).toBeGreaterThan(1);
    expect(await textOf(message('utf-8', 'quoted-printable', soft))).toBe(long);
    expect(await textOf(message('cp850', 'quoted-printable', `caf=82 cr=8Ame =  ${CRLF}compris`))).toBe('café crème compris');
  });

  it('reads base64 with missing or broken padding and odd line lengths', async () => {
    const b = Buffer.from('Réunion à 18 h, ça marche.', 'utf8').toString('base64').replace(/=+$/, '');
    expect(await textOf(message('utf-8', 'base64', `${b.slice(0, 10)}${CRLF}${b.slice(10)}`))).toBe('Réunion à 18 h, ça marche.');
    const c = iconv850('Café crème à 3 €uros'.replace('€', 'E'));
    expect(await textOf(message('cp850', 'base64', c.toString('base64').replace(/=+$/, '')))).toBe('Café crème à 3 Euros');
  });

  it('re-decodes only body text: a text attachment in the same legacy charset keeps its bytes', async () => {
    const raw = message('cp850', 'quoted-printable', encodeBody(WEST, 'cp850', 'quoted-printable'), { multipart: true });
    expect(legacyTextLeaves(mimeStructure(raw).leaves).map((l) => l.isFile)).toEqual([false]);
    const parts = await extractParts(raw);
    expect(parts.text?.replace(/[\r\n]+$/, '')).toBe(WEST);
    expect(parts.attachments.map((a) => a.bytes.toString('latin1'))).toEqual(['caf\x82 cr\x8ame']);
  });

  it('leaves WHATWG labels TextDecoder reads right to postal-mime', () => {
    for (const [label, name] of [['koi8-r', 'koi8-r'], ['big5', 'big5'], ['x-sjis', 'shift_jis'], ['utf-8', 'utf8']]) {
      const raw = message(label!, 'base64', encodeBody('Счёт 展覽 ポスター', name!, 'base64'));
      expect(legacyTextLeaves(mimeStructure(raw).leaves), label).toEqual([]);
    }
  });
});

const iconv850 = (s: string): Buffer => Buffer.from(encodeBody(s, 'cp850', '8bit'), 'latin1');

describe('a reply\'s quote compares equal to its original in a legacy charset', () => {
  const ORIGINAL = 'Hello Alice,\n\nThe quote for the sound system is 4 800 € excl. VAT – that’s the “final” figure, café included.\n\nBest,\nPaul';
  const reply = (quotedText: string): Buffer => Buffer.from([
    'From: Alice Martin <alice@campaign.example>', 'To: Paul Granger <paul@partner.example>', 'Subject: Re: Devis', 'Date: Tue, 7 Mar 2017 14:00:00 +0100',
    'Message-ID: <reply-1@campaign.example>', 'In-Reply-To: <devis-1@partner.example>', 'References: <devis-1@partner.example>', 'MIME-Version: 1.0',
    'Content-Type: text/plain; charset="utf-8"', 'Content-Transfer-Encoding: 8bit', '',
    'Thanks Paul, approved.', '', 'On 07/03/2017 10:00, Paul Granger wrote:', ...quotedText.split('\n').map((l) => (l ? `> ${l}` : '>')), '',
  ].join(CRLF), 'utf8');
  const run = async (originalRaw: Buffer, replyRaw: Buffer) => {
    const o = await emailFactsFromRaw(1, originalRaw, {});
    const r = await emailFactsFromRaw(2, replyRaw, { verified: true });
    return (threadQuote.run([o, r], { orgDomains: ['campaign.example'] }).get(1) ?? []).map((f) => `${f.severity}: ${f.message}`);
  };

  it.each([['windows-1252', 'windows-1252', 'quoted-printable'], ['cp850', 'cp850', 'quoted-printable'], ['utf-7', 'utf7', '7bit']] as const)(
    'verbatim quote of a %s original: corroborated, not altered', async (label, iconvName, cte) => {
      const text = label === 'cp850' ? ORIGINAL.replace(/[€–’“”]/g, (c) => ({ '€': 'EUR', '–': '-', '’': "'", '“': '"', '”': '"' })[c]!) : ORIGINAL;
      const out = await run(message(label, cte, encodeBody(text, iconvName, cte)), reply(text));
      expect(out).toEqual(['info: Quoted verbatim by DKIM-verified reply #2.']);
    });

  it('an original whose figure was changed after the reply quoted it is still caught', async () => {
    const altered = ORIGINAL.replace('4 800', '48 000');
    const out = await run(message('windows-1252', 'quoted-printable', encodeBody(altered, 'windows-1252', 'quoted-printable')), reply(ORIGINAL));
    expect(out).toEqual(['warning: Text differs from the quote of it in DKIM-verified reply #2: this message was altered.']);
  });
});
