// The false-alarm dump: an authentic campaign dump (the end-to-end lab's mailboxes, threads, lists,
// forwards and documents, scaled by `threads`) plus the benign phenomena real dumps are full of and
// the lab lacked: mail in every charset mail clients write (and replies quoting it), list copies
// re-encoded by the list, Sent copies with Bcc and another encoding, provider ARC seals and keys the
// archive never saw, document revision chains and scans. Signed by mailauth (independent of our
// verifier). With `forgeries`, the lab's planted forgeries of every kind the checks claim to find
// are added, plus near copies of verified documents whose metadata contradicts their version chain.
// Deterministic for a seed, except the RSA keys (Node cannot seed RSA key generation).
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sealMessage } from 'mailauth';
import { docx, jpegWithExif, exifDate, pdf, scene, xlsx } from '../../test/fixtures/doc-files.js';
import { STAFF as DOC_STAFF } from '../../test/fixtures/doc-lab.js';
import {
  addMs, benign, composeClient, CUTOFF, DAY, dkim, dkimTampered, documents, domainOf, emailForgeries, forged, forwards, Generator, H, keyArchive,
  mailingList, MEDIA, ORG_DOMAINS, signingKeys, signPlanFor, split, threads, utc, ZONE, type E2ELabel, type LabelInfo, type SigningKey,
} from '../../test/fixtures/e2e-lab.js';
import { PEOPLE, type MailSpec, type Person } from '../../test/fixtures/forgery-lab.js';
import { encodeBody, type Cte } from '../../test/fixtures/mail-encodings.js';

export interface FalseAlarmOptions {
  seed: number;
  /** Reply threads among staff and partners (the lab has 30). */
  threads: number;
  /** Add the planted forgeries (for recall). */
  forgeries: boolean;
}

export interface FalseAlarmDump {
  dump: string;
  keys: string;
  labels: Map<string, E2ELabel>;
  cutoff: string;
  orgDomains: string[];
}

const CRLF = '\r\n';
const P = PEOPLE;

/** The client's plain-text message in another charset and transfer encoding. */
export function composeEncoded(spec: MailSpec, charset: string, cte: Cte, extraHead: string[] = []): string {
  const [head] = split(composeClient(spec, { plain: true }));
  const ct = `Content-Type: text/plain; charset="utf-8"${CRLF}Content-Transfer-Encoding: 8bit`;
  if (!head.includes(ct)) throw new Error('false-alarms: unexpected plain Content-Type');
  const cteName = cte === 'base64-unpadded' ? 'base64' : cte;
  const newHead = head.replace(ct, [`Content-Type: text/plain; charset=${charset}`, `Content-Transfer-Encoding: ${cteName}`, ...extraHead].join(CRLF));
  // Latin-1 keeps each byte as one character, so the bytes survive the DumpWriter's utf8 Buffer only for ASCII:
  // every non-ASCII body here is transfer-encoded, and 8bit bodies stay ASCII-free by construction below.
  return `${newHead}${CRLF}${encodeBody(spec.text, charset, cte)}${CRLF}`;
}

// --------------------------------------------------------------------------------------- extra keys

const rsa = (): string => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
let extra: Record<'googleArc' | 'microsoftArc' | 'shop' | 'partnerEd', SigningKey> | undefined;
/** Keys that sign or seal mail in the dump but that the key archive does not hold. */
function unarchivedKeys(): NonNullable<typeof extra> {
  extra ??= {
    googleArc: { domain: 'google.com', selector: 'arc-20160816', pem: rsa(), algorithm: 'rsa-sha256', firstSeenAt: '', lastSeenAt: '' },
    microsoftArc: { domain: 'microsoft.com', selector: 'arcselector9901', pem: rsa(), algorithm: 'rsa-sha256', firstSeenAt: '', lastSeenAt: '' },
    shop: { domain: 'shop.example', selector: 'mail', pem: rsa(), algorithm: 'rsa-sha256', firstSeenAt: '', lastSeenAt: '' },
    partnerEd: { domain: 'partner.example', selector: 'ed1', pem: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm: 'ed25519-sha256', firstSeenAt: '', lastSeenAt: '' },
  };
  return extra;
}

// -------------------------------------------------------------------------------------- the people

const zoneOf = (offset: number, label: string): Person['zone'] => ({ offset, label });
const OUTSIDE = {
  ivan: { key: 'ivan', name: 'Ivan Sokolov', address: 'ivan.sokolov@mail.example.ru', clients: ['thunderbird'], zone: zoneOf(180, '+0300') },
  mei: { key: 'mei', name: 'Mei Lin', address: 'mei.lin@trade.example.tw', clients: ['outlook'], zone: zoneOf(480, '+0800') },
  li: { key: 'li', name: 'Li Wei', address: 'li.wei@factory.example.cn', clients: ['outlook'], zone: zoneOf(480, '+0800') },
  kenji: { key: 'kenji', name: 'Kenji Sato', address: 'kenji.sato@print.example.jp', clients: ['thunderbird'], zone: zoneOf(540, '+0900') },
  hana: { key: 'hana', name: 'Hana Ito', address: 'hana.ito@print.example.jp', clients: ['apple'], zone: zoneOf(540, '+0900') },
  shop: { key: 'shop', name: 'Print Shop', address: 'orders@shop.example', clients: ['roundcube'], zone: zoneOf(60, '+0100') },
  printer: { key: 'printer', name: 'Imprimerie Martin', address: 'commandes@imprimerie.example', clients: ['roundcube'], zone: zoneOf(60, '+0100') },
} satisfies Record<string, Person>;

interface CharsetCase { from: Person; to: Person; charset: string; cte: Cte; subject: string; text: string; client?: MailSpec['client'] }

const CHARSET_CASES: CharsetCase[] = [
  { from: P.paul, to: P.alice, charset: 'windows-1252', cte: 'quoted-printable', subject: 'Devis sonorisation', client: 'outlook-m365', text: 'Hello Alice,\n\nThe quote for the sound system is 4 800 € excl. VAT – that’s the “final” figure, café included.\n\nBest,\nPaul' },
  { from: P.gabriel, to: P.claire, charset: 'iso-8859-15', cte: 'quoted-printable', subject: 'Dons de septembre', client: 'gmail', text: 'Bonjour Claire,\n\nLes dons de septembre atteignent 12 350 €, œuvre de nos bénévoles.\n\nGabriel' },
  { from: OUTSIDE.ivan, to: P.bob, charset: 'koi8-r', cte: 'base64', subject: 'Печать листовок', text: 'Здравствуйте, Боб!\n\nСчёт за печать листовок: 2 400 евро, оплата до пятницы.\n\nИван' },
  { from: OUTSIDE.mei, to: P.david, charset: 'big5', cte: 'base64', subject: '展覽攤位', text: '您好 David，\n\n展覽攤位的費用是三千歐元，請在週五前確認。\n\n林美' },
  { from: OUTSIDE.li, to: P.emma, charset: 'gb18030', cte: 'base64-unpadded', subject: '旗帜订单', text: '你好 Emma，\n\n旗帜订单已发货，共五百面，发票随后寄出。\n\n李伟' },
  { from: OUTSIDE.kenji, to: P.alice, charset: 'shift_jis', cte: 'base64', subject: '印刷の見積もり', text: 'アリス様\n\nポスターの印刷見積もりは千二百ユーロです。金曜日までにご連絡ください。\n\n佐藤' },
  { from: OUTSIDE.hana, to: P.claire, charset: 'iso-2022-jp', cte: '7bit', subject: '納品日', text: 'クレール様\n\n納品日は来週の月曜日です。よろしくお願いします。\n\n伊藤' },
  { from: P.alice, to: P.bob, charset: 'utf-8', cte: 'quoted-printable', subject: 'Longue ligne', client: 'outlook', text: `Hi Bob,\n\n${'The regional coordinators’ meeting moves to the town hall annex, second floor, room “Jean Jaurès”, where the projector finally works. '.repeat(3)}\n\nAlice` },
  { from: P.claire, to: P.emma, charset: 'iso-8859-1', cte: 'quoted-printable', subject: 'Réunion bénévoles', client: 'apple', text: 'Emma,\n\nLa réunion des bénévoles est déplacée à jeudi, même salle, à côté du café.\n\nClaire' },
  // Unsigned originals, so a verified reply's quote is compared with them.
  { from: P.olga, to: P.david, charset: 'windows-1252', cte: 'quoted-printable', subject: 'Facture location', client: 'apple', text: 'Bonjour David,\n\nL’acompte pour la « grande salle » est de 1 250 € – à régler avant le 15.\n\nOlga' },
  { from: OUTSIDE.printer, to: P.emma, charset: 'cp850', cte: 'quoted-printable', subject: 'Commande affiches', client: 'roundcube', text: 'Bonjour,\n\nVotre commande de 500 affiches est prête, retrait à l\'accueil du magasin.\n\nLe service commandes' },
  { from: OUTSIDE.ivan, to: P.alice, charset: 'utf-7', cte: '7bit', subject: 'Счёт', text: 'Алиса, счёт: 1 200 € — оплата до пятницы.\n\nИван' },
];

/** Mail in every charset clients write, each answered by a staff reply quoting it (UTF-8, or the same charset). */
async function charsets(gen: Generator): Promise<void> {
  for (const [i, c] of CHARSET_CASES.entries()) {
    const date = utc(2016, 3 + (i % 9), 4 + i, 9 + (i % 6));
    const spec = gen.lab.spec(c.from, [c.to], c.subject, date, c.text, { client: c.client ?? c.from.clients[0]! });
    await gen.send(spec, { group: 'charset', features: ['charset', c.charset], compose: (s) => composeEncoded(s, c.charset, c.cte), note: `${c.charset} ${c.cte} message` });
    // Copied to a colleague, so a delivered (DKIM-verified) copy of the reply is in the dump.
    const colleague = [P.alice, P.bob, P.claire, P.david, P.emma].find((p) => p !== c.to && p !== c.from)!;
    const reply = { ...gen.lab.reply(spec, c.to, addMs(date, 3 * H + i * 60000)), to: [c.from, colleague] };
    const sameCharset = i % 2 === 0 && /windows|iso-8859|koi8/.test(c.charset);
    await gen.send(reply, {
      group: 'charset', features: ['charset-quote', c.charset],
      ...(sameCharset ? { compose: (s: MailSpec) => composeEncoded(s, c.charset, 'quoted-printable') } : {}),
      note: `reply quoting a ${c.charset} message${sameCharset ? ' in the same charset' : ''}`,
    });
  }
}

/** Sent copies as clients keep them: Bcc recorded, the Message-ID folded or re-cased, the body re-encoded. */
async function sentCopies(gen: Generator): Promise<void> {
  const cases: [Person, Person[], Person[], string][] = [
    [P.alice, [P.bob], [P.claire], 'Board minutes'], [P.david, [P.emma, P.paul], [P.alice], 'Venue deposit'], [P.bob, [P.david], [P.gabriel], 'Volunteer rota'],
    [P.emma, [P.claire], [P.david], 'Press pack'], [P.claire, [P.alice], [P.olga], 'Loyer novembre'], [P.alice, [P.paul], [P.david], 'Contract signature'],
  ];
  for (const [i, [from, to, bcc, subject]] of cases.entries()) {
    const date = utc(2017, 1 + (i % 3), 10 + i, 10);
    const spec = gen.spec(from, to, subject, date);
    const d = await gen.send(spec, { sent: false, group: 'sent-variant', note: `${subject} (delivered)`, compose: (s) => composeClient(s, { plain: true }) });
    const client = d.client;
    const [head] = split(client);
    let sentHead = head.replace(/^(To: .*)$/m, `$1${CRLF}Bcc: ${bcc.map((b) => `${b.name} <${b.address}>`).join(', ')}`);
    sentHead = i % 2 === 0 ? sentHead.replace(/^Message-ID: (<[^>]+>)/im, `Message-ID:${CRLF} $1`) : sentHead.replace(/^Message-ID:/im, 'Message-Id:');
    const ct = `Content-Type: text/plain; charset="utf-8"${CRLF}Content-Transfer-Encoding: 8bit`;
    const raw = `${sentHead.replace(ct, `Content-Type: text/plain; charset="utf-8"${CRLF}Content-Transfer-Encoding: quoted-printable`)}${CRLF}${encodeBody(spec.text, 'utf-8', 'quoted-printable')}${CRLF}`;
    gen.dump.fileEmail(from, 'sent', raw, date, { authentic: true, group: 'sent-variant', features: ['bcc', 're-encoded'], expect: 'consistent', note: `${subject} (Sent copy with Bcc, QP body)` });
  }
}

/** A second list that re-encodes posts (base64), tags the Subject, appends a footer, signs and ARC-seals; members quote the list copy. */
async function reencodingList(gen: Generator): Promise<void> {
  const k = signingKeys();
  const LIST2: Person = { key: 'announce', name: 'Announce', address: 'announce@lists.example', clients: ['thunderbird'], zone: ZONE.utc };
  const posts: [Person, Date, Person[]][] = [[P.claire, utc(2017, 2, 6, 10), [P.alice, P.emma]], [P.gabriel, utc(2016, 11, 8, 18), [P.bob, P.david]], [P.bob, utc(2017, 3, 13, 9), [P.claire, P.david]]];
  for (const [i, [author, date, members]] of posts.entries()) {
    const subject = `Canvass results ${i + 1}`;
    const spec = gen.spec(author, [LIST2], subject, date, { text: `Hello all,\n\nWe knocked on ${1200 + i * 130} doors in the north district this weekend, ${300 + i * 17} conversations, ${40 + i} new volunteers. Thanks to everyone who came despite the rain, and see you next Saturday at the usual café.\n\n${author.name.split(' ')[0]}` });
    const own = composeClient(spec, { plain: true });
    const authorPlan = signPlanFor(domainOf(author), date);
    const authorSig = authorPlan ? await dkim(own, authorPlan, addMs(date, 4000)) : { lines: '', sigs: [] };
    // The list decodes, re-wraps at 66 columns, appends its footer and re-encodes in base64.
    const rewrapped = spec.text.split('\n').flatMap((l) => wrapTo(l, 66)).join('\n');
    const footer = '\n-- \nAnnounce list: https://lists.example/announce (unsubscribe here)\n';
    const listSpec: MailSpec = { ...spec, subject: `[Announce] ${subject}`, text: `${rewrapped}\n${footer}` };
    const listHeaders = ['List-Id: Announce <announce.lists.example>', 'List-Unsubscribe: <https://lists.example/announce>', 'List-Post: <mailto:announce@lists.example>', 'Precedence: list', 'Sender: announce-bounces@lists.example'];
    const rewritten = composeEncoded(listSpec, 'utf-8', 'base64', listHeaders);
    const withAuthor = `${authorSig.lines}${rewritten}`;
    const sentAt = addMs(date, 60000);
    const listSig = await dkim(withAuthor, { keys: [k.list], canon: 'relaxed/relaxed' }, sentAt);
    const seal = await sealMessage(listSig.lines + withAuthor, {
      signingDomain: k.list.domain, selector: k.list.selector, privateKey: k.list.pem, signTime: sentAt,
      authResults: `lists.example; dkim=${authorSig.sigs.length ? 'pass' : 'none'} header.d=${domainOf(author)}; spf=pass smtp.mailfrom=${domainOf(author)}`, cv: 'none',
    } as Parameters<typeof sealMessage>[1] & { authResults: string; cv: string });
    const sealed = seal.toString('utf8') + listSig.lines + withAuthor;
    for (const m of members) {
      const trace = [`Received: from mail.lists.example (mail.lists.example [192.0.2.80]) by mx.campaign.example with ESMTPS id L${i}${m.key.toUpperCase()} for <${m.address}>; ${rfc(addMs(sentAt, 4000))}`,
        `Authentication-Results: mx.campaign.example; dkim=fail (body hash did not verify) header.d=${domainOf(author)}; dkim=pass header.d=lists.example; arc=pass (i=1)`];
      gen.dump.fileEmail(m, 'inbox', `${trace.join(CRLF)}${CRLF}${sealed}`, date, { authentic: true, group: 'list-reencoded', features: ['list-arc', 'list-reencoded'], expect: 'consistent', note: `re-encoded list copy of "${subject}" for ${m.key}` });
    }
    if (domainOf(author) === 'campaign.example') gen.dump.fileEmail(author, 'sent', own, date, { authentic: true, group: 'list-reencoded', expect: 'consistent', note: `author's Sent copy of "${subject}"` });
    // A member answers the list copy: the quote is the re-wrapped text with the footer.
    const rep = gen.lab.reply(listSpec, members[0]!, addMs(date, 5 * H));
    await gen.send({ ...rep, to: [members[1]!] }, { group: 'list-reencoded', features: ['quotes-list-copy'], note: 'reply quoting a re-encoded list copy' });
  }
}

const rfc = (d: Date): string => d.toUTCString().replace('GMT', '+0000');

function wrapTo(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const out: string[] = [];
  let cur = '';
  for (const w of line.split(' ')) {
    if (cur && `${cur} ${w}`.length > width) {
      out.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out;
}

/** Delivered copies sealed by the recipient's provider (Google, Microsoft) with keys no archive holds. */
async function providerArc(gen: Generator): Promise<void> {
  const x = unarchivedKeys();
  const cases: [Person, Person, SigningKey, string][] = [
    [P.paul, P.alice, x.microsoftArc, 'Timeline for the hall'], [P.gabriel, P.david, x.googleArc, 'Donor thank-you cards'], [P.claire, P.bob, x.googleArc, 'Leaflet proofs'],
    [P.rita, P.emma, x.microsoftArc, 'Invoice 2017-118'], [P.alice, P.claire, x.microsoftArc, 'Press call at noon'], [P.paul, P.david, x.googleArc, 'Revised staging plan'],
  ];
  for (const [i, [from, to, key, subject]] of cases.entries()) {
    const date = utc(2017, 1 + (i % 4), 3 + i * 2, 14);
    const d = await gen.send(gen.spec(from, [to], subject, date), { noFile: true, sent: false });
    const delivered = d.copies.get(to.key)!;
    const at = addMs(date, 40_000);
    const seal = await sealMessage(delivered, {
      signingDomain: key.domain, selector: key.selector, privateKey: key.pem, signTime: at,
      authResults: `${key.domain === 'google.com' ? 'mx.google.com' : 'mx.microsoft.com 1'}; dkim=pass header.d=${d.sigs[0]?.d ?? domainOf(from)}; spf=pass smtp.mailfrom=${domainOf(from)}; dmarc=pass header.from=${domainOf(from)}`, cv: 'none',
    } as Parameters<typeof sealMessage>[1] & { authResults: string; cv: string });
    gen.dump.fileEmail(to, 'inbox', seal.toString('utf8') + delivered, date, { authentic: true, group: 'provider-arc', features: ['provider-arc', 'unarchived-arc-key'], expect: 'verified', note: `${subject}: sealed by ${key.domain} (key not archived)` });
    if (domainOf(from) === 'campaign.example') gen.dump.fileEmail(from, 'sent', d.client, date, { authentic: true, group: 'provider-arc', expect: 'consistent', note: `${subject} (Sent copy)` });
  }
}

/** Keys the archive never saw: a shop's only key, and partner.example's second (Ed25519) signature. */
async function partialKeys(gen: Generator): Promise<void> {
  const x = unarchivedKeys();
  const k = signingKeys();
  for (let i = 0; i < 4; i++) {
    const to = [P.alice, P.bob, P.claire, P.emma][i]!;
    await gen.send(gen.spec(OUTSIDE.shop, [to], `Order ${4100 + i} confirmed`, utc(2016, 9 + i, 12, 11), { client: 'roundcube' }), {
      sign: { keys: [x.shop], canon: 'relaxed/relaxed' }, group: 'unarchived-key', features: ['unarchived-key'], expectInbox: 'consistent', note: 'signed with a key the archive lacks',
    });
  }
  for (let i = 0; i < 4; i++) {
    const to = [P.david, P.emma, P.alice, P.bob][i]!;
    await gen.send(gen.spec(P.paul, [to], `Schedule ${i + 1} (dual-signed)`, utc(2017, 1 + i, 20, 15)), {
      sign: { keys: [k.partnerNew, x.partnerEd], canon: 'relaxed/relaxed' }, group: 'partial-keys', features: ['partially-archived'], note: 'RSA key archived, Ed25519 key not',
    });
  }
}

// ------------------------------------------------------------------------------------------ documents

const DOCX = MEDIA['docx']!;
const XLSX = MEDIA['xlsx']!;

interface Version { name: string; bytes: Buffer; where: 'verified-mail' | 'sent-outside' | 'loose'; date: Date }

/** Revision chains: v1 verified by the mail that carried it, later versions and "(1)" copies unverified. */
function revisionChains(gen: Generator, n: number): { chains: Version[][] } {
  const chains: Version[][] = [];
  for (let c = 0; c < n; c++) {
    const author = DOC_STAFF[c % 3]!;
    const editor = DOC_STAFF[(c + 1) % 3]!;
    const t0 = Date.UTC(2016, 2 + (c % 10), 2 + c, 9);
    const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
    const base = { author, company: 'Northwind', created: iso(t0) };
    if (c % 2 === 0) {
      const paras = (amount: number, extra: string[]): string[] => [
        `Programme de la réunion publique ${c + 1}`, `Budget prévisionnel : ${amount} euros pour la salle, la sonorisation et les affiches.`,
        'Intervenants : la candidate, le responsable régional, deux élus locaux.', 'Accueil des militants à partir de 18 heures, buffet offert par le comité.', ...extra,
      ];
      const v1 = docx({ ...base, lastModifiedBy: author, modified: iso(t0 + 2 * DAY), revision: 3, totalMinutes: 40, paragraphs: paras(8000 + c * 100, []) });
      const v2 = docx({ ...base, lastModifiedBy: editor, modified: iso(t0 + 5 * DAY), revision: 6, totalMinutes: 65, paragraphs: paras(8600 + c * 100, ['Navette depuis la gare à prévoir.']) });
      const fin = docx({ ...base, lastModifiedBy: author, modified: iso(t0 + 8 * DAY), revision: 9, totalMinutes: 80, paragraphs: paras(8750 + c * 100, ['Navette depuis la gare réservée.']) });
      const copy = docx({ ...base, lastModifiedBy: author, modified: iso(t0 + 8 * DAY + H), revision: 10, totalMinutes: 81, paragraphs: paras(8750 + c * 100, ['Navette depuis la gare réservée.']) });
      chains.push([
        { name: `programme-${c + 1} v1.docx`, bytes: v1, where: 'verified-mail', date: new Date(t0 + 2 * DAY + H) },
        { name: `programme-${c + 1} v2.docx`, bytes: v2, where: 'sent-outside', date: new Date(t0 + 5 * DAY + H) },
        { name: `programme-${c + 1} final.docx`, bytes: fin, where: 'loose', date: new Date(t0 + 8 * DAY) },
        { name: `programme-${c + 1} final (1).docx`, bytes: copy, where: 'loose', date: new Date(t0 + 8 * DAY + H) },
      ]);
    } else {
      const cells = (k: number): [string, string | number][] => [['A1', 'Poste'], ['B1', 'Montant'], ['A2', 'Salle'], ['B2', 4000 + c * 10], ['A3', 'Sonorisation'], ['B3', 1800 + k * 100], ['A4', 'Affiches'], ['B4', 950], ['A5', 'Transport'], ['B5', 2200], ['A6', 'Traiteur'], ['B6', 1300], ['A7', 'Sécurité'], ['B7', 600], ['A8', 'Total'], ['B8', 10850 + c * 10 + k * 100]];
      const sheet = (k: number, by: string, mod: number, rev: number): Buffer => xlsx({ ...base, lastModifiedBy: by, modified: iso(mod), revision: rev, sheets: [{ name: 'Budget', cells: cells(k) }] });
      chains.push([
        { name: `budget-${c + 1} v1.xlsx`, bytes: sheet(0, author, t0 + DAY, 2), where: 'verified-mail', date: new Date(t0 + DAY + H) },
        { name: `budget-${c + 1} v2.xlsx`, bytes: sheet(1, editor, t0 + 4 * DAY, 4), where: 'loose', date: new Date(t0 + 4 * DAY) },
        { name: `budget-${c + 1} final.xlsx`, bytes: sheet(2, author, t0 + 6 * DAY, 5), where: 'sent-outside', date: new Date(t0 + 6 * DAY + H) },
      ]);
    }
  }
  return { chains };
}

/** Near copies of a verified file with changed figures and metadata that contradicts the chain. */
function chainForgeries(): { name: string; bytes: Buffer; verified: Buffer; date: Date; note: string }[] {
  const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
  const t0 = Date.UTC(2017, 1, 6, 9);
  const cells = (amount: number): [string, string | number][] => [['A1', 'Poste'], ['B1', 'Montant'], ['A2', 'Salle Marseille'], ['B2', 9400], ['A3', 'Sécurité'], ['B3', amount], ['A4', 'Affiches'], ['B4', 3100], ['A5', 'Transport'], ['B5', 5600]];
  const out: { name: string; bytes: Buffer; verified: Buffer; date: Date; note: string }[] = [];
  const variants: [string, Partial<Parameters<typeof xlsx>[0]>][] = [
    ['another editing environment (LibreOffice)', { application: 'LibreOffice/7.3.7.2$Linux_X86_64 LibreOffice_project/30$Build-2', appVersion: '15.0000', lastModifiedBy: DOC_STAFF[0]!, revision: 5, modified: iso(t0 + 3 * DAY) }],
    ['revision count lower than the verified version although modified later', { lastModifiedBy: DOC_STAFF[0]!, revision: 1, modified: iso(t0 + 3 * DAY) }],
    ['last edited by someone outside the case', { lastModifiedBy: 'Viktor Kessler', revision: 5, modified: iso(t0 + 3 * DAY) }],
  ];
  for (const [i, [why, props]] of variants.entries()) {
    const base = { author: DOC_STAFF[0]!, company: 'Northwind', created: iso(t0 + i * DAY) };
    const verified = xlsx({ ...base, lastModifiedBy: DOC_STAFF[0]!, revision: 3, modified: iso(t0 + i * DAY + DAY), sheets: [{ name: 'Budget', cells: cells(7200 + i) }] });
    const fake = xlsx({ ...base, ...props, sheets: [{ name: 'Budget', cells: cells(72_000 + i) }] });
    out.push({ name: `budget-marseille-${i + 1}.xlsx`, bytes: fake, verified, date: new Date(t0 + i * DAY + DAY + H), note: `near copy of a verified budget, one figure ×10, ${why}` });
  }
  return out;
}

function scans(): { name: string; bytes: Buffer; type: string; date: Date }[] {
  const out: { name: string; bytes: Buffer; type: string; date: Date }[] = [];
  for (let i = 0; i < 4; i++) {
    const at = new Date(Date.UTC(2016, 4 + i * 2, 9 + i, 11));
    const when = at.toISOString().replace('.000Z', 'Z');
    out.push({ name: `SCAN_${20160509 + i * 100}_${1043 + i}.pdf`, type: MEDIA['pdf']!, date: at, bytes: pdf([{ lines: [], producer: 'Canon iR-ADV C5535  PDF', created: when, modified: when }]) });
    out.push({ name: `scan${String(i + 1).padStart(4, '0')}.jpg`, type: MEDIA['jpg']!, date: at, bytes: jpegWithExif({ width: 320, height: 440, picture: scene(900 + i), thumbnail: null, make: 'EPSON', model: 'DS-530', software: 'Epson Scan 2', modifyDate: exifDate(when) }) });
  }
  return out;
}

async function documentPhenomena(gen: Generator, o: FalseAlarmOptions): Promise<void> {
  const { chains } = revisionChains(gen, Math.max(2, Math.round(o.threads / 5)));
  const staff = [P.alice, P.bob, P.claire, P.david, P.emma];
  for (const [c, chain] of chains.entries()) {
    for (const v of chain) {
      const type = v.name.endsWith('.xlsx') ? XLSX : DOCX;
      const info: LabelInfo = { authentic: true, group: 'revision-chain', features: ['revision-chain'], note: `${v.name} (${v.where})` };
      if (v.where === 'loose') {
        gen.dump.fileLoose(`shared/projets/${v.name}`, v.bytes, 'document', info);
        continue;
      }
      const from = staff[c % 5]!;
      const to = v.where === 'verified-mail' ? staff[(c + 1) % 5]! : [P.olga, P.paul, P.gabriel][c % 3]!;
      const d = await gen.send(gen.spec(from, [to], `${v.name.replace(/\.\w+$/, '')}`, v.date), { group: 'doc-carrier', features: ['carries-doc'], attachments: [{ name: v.name, type, bytes: v.bytes }], note: `carries ${v.name}` });
      const carrier = v.where === 'verified-mail' ? d.labels.get(to.key)! : d.labels.get('sent')!;
      gen.dump.label(v.bytes, `${carrier.paths[0]}!attachments/1-${v.name}`, 'document', { ...info, features: ['revision-chain', 'attachment'], ...(v.where === 'verified-mail' ? { expect: 'verified' as const } : {}) });
    }
  }
  for (const [i, s] of scans().entries()) {
    const info: LabelInfo = { authentic: true, group: 'scan', features: ['scan'], note: `scanned ${s.name}` };
    if (i % 2 === 0) {
      const from = staff[i % 5]!;
      const to = staff[(i + 2) % 5]!;
      const d = await gen.send(gen.spec(from, [to], `Scan ${s.name}`, s.date), { group: 'doc-carrier', features: ['carries-doc'], attachments: [{ name: s.name, type: s.type, bytes: s.bytes }], note: `carries ${s.name}` });
      gen.dump.label(s.bytes, `${d.labels.get(to.key)!.paths[0]}!attachments/1-${s.name}`, s.name.endsWith('.jpg') ? 'image' : 'document', { ...info, expect: 'verified' });
    } else {
      gen.dump.fileLoose(`scans/${s.name}`, s.bytes, s.name.endsWith('.jpg') ? 'image' : 'document', info);
    }
  }
  if (!o.forgeries) return;
  for (const [i, f] of chainForgeries().entries()) {
    const from = staff[i % 5]!;
    const to = staff[(i + 3) % 5]!;
    const d = await gen.send(gen.spec(from, [to], `Budget Marseille ${i + 1}`, f.date), { group: 'doc-carrier', features: ['carries-doc'], attachments: [{ name: f.name, type: XLSX, bytes: f.verified }], note: `carries ${f.name}` });
    gen.dump.label(f.verified, `${d.labels.get(to.key)!.paths[0]}!attachments/1-${f.name}`, 'document', { authentic: true, group: 'revision-chain', features: ['attachment'], expect: 'verified', note: `verified ${f.name}` });
    gen.dump.fileLoose(`shared/finance/${f.name.replace('.xlsx', ' (2).xlsx')}`, f.bytes, 'document', forged('doc.near-copy-of-verified', f.note));
  }
}

/** Builds the dump in `baseDir/dump` and the key archive (without the unarchived keys) in `baseDir/keys.jsonl`. */
export async function writeFalseAlarmDump(baseDir: string, o: FalseAlarmOptions): Promise<FalseAlarmDump> {
  const gen = new Generator(o.seed);
  // The planted thread forgeries answer the sixth thread.
  const named = await threads(gen, o.forgeries ? Math.max(6, o.threads) : o.threads);
  await benign(gen, named);
  await mailingList(gen);
  await forwards(gen);
  await documents(gen, { forgeries: o.forgeries });
  await charsets(gen);
  await sentCopies(gen);
  await reencodingList(gen);
  await providerArc(gen);
  await partialKeys(gen);
  await documentPhenomena(gen, o);
  if (o.forgeries) {
    await dkimTampered(gen);
    await emailForgeries(gen, named);
  }
  const dump = join(baseDir, 'dump');
  gen.dump.write(dump);
  const keys = join(baseDir, 'keys.jsonl');
  writeFileSync(keys, keyArchive());
  return { dump, keys, labels: gen.dump.labels, cutoff: CUTOFF, orgDomains: ORG_DOMAINS };
}

