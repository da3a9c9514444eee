// Builds the bundled sample dump (`sample/dump`), its key archive (`sample/keys.jsonl`) and the expected
// verdicts (`sample/expected.json`) for a fictional 2017 campaign, "campaign.example".
//
// Messages are signed with mailauth's signer (an implementation independent of ours), using the
// committed test keys in sample/keys/. Everything is fixed (dates, Message-IDs, MIME boundaries, archive
// timestamps) and RSA PKCS#1 v1.5 and ed25519 signatures are deterministic, so two runs give identical
// bytes. Run: `node dist/scripts/make-sample-dump.js [outDir]` (default: sample/dump).
import { createPrivateKey, createPublicKey, createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, zipSync, type Zippable } from 'fflate';
import { dkimSign, dkimVerify, sealMessage } from 'mailauth';
import { pack as tarPack } from 'tar-stream';

/** Repository root, from scripts/ when run with tsx and from dist/scripts/ when compiled. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'tamis') return dir;
    } catch {
      // not here: go up one level
    }
    dir = dirname(dir);
  }
  throw new Error(`make-sample-dump: cannot find the tamis repository above ${fileURLToPath(import.meta.url)}`);
}

const ROOT = repoRoot();
const KEY_DIR = join(ROOT, 'sample', 'keys');

// ---------------------------------------------------------------------------------------------- keys

interface SigningKey {
  domain: string;
  selector: string;
  pem: string;
  algorithm: 'rsa-sha256' | 'ed25519-sha256';
}

function loadKey(domain: string, selector: string): SigningKey {
  const file = join(KEY_DIR, `${domain}.${selector}.pem`);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`make-sample-dump: cannot read test key ${file} (${(err as Error).message}); it is committed in sample/keys/.`);
  }
  const type = createPrivateKey(pem).asymmetricKeyType;
  return { domain, selector, pem, algorithm: type === 'ed25519' ? 'ed25519-sha256' : 'rsa-sha256' };
}

const KEYS = {
  campaign: loadKey('campaign.example', 's2017'),
  campaignOld: loadKey('campaign.example', 's2016'),
  partner: loadKey('mail.partner.example', 'ed2017'),
  weak: loadKey('weak.example', 's512'),
  list: loadKey('lists.example', 'arc2017'),
  bulk: loadKey('bulk.example', 'mkt'),
  // Deliberately absent from keys.jsonl: its messages are "unverifiable: no key".
  agency: loadKey('agency.example', 'sel1'),
};

/** DNS TXT value of a key: `p=` is the SubjectPublicKeyInfo for RSA, the raw 32 bytes for ed25519 (RFC 8463). */
function txtRecord(k: SigningKey): string {
  const der = createPublicKey(k.pem).export({ type: 'spki', format: 'der' });
  if (k.algorithm === 'ed25519-sha256') return `v=DKIM1; k=ed25519; p=${der.subarray(der.length - 32).toString('base64')}`;
  return `v=DKIM1; k=rsa; p=${der.toString('base64')}`;
}

/** The key archive, in archive.prove.email's record shape; first/last seen dates are fictional but consistent. */
function keyArchive(): string {
  const rows: { k: SigningKey; firstSeenAt: string; lastSeenAt: string }[] = [
    { k: KEYS.campaignOld, firstSeenAt: '2016-01-12T08:00:00.000Z', lastSeenAt: '2017-01-20T08:00:00.000Z' },
    { k: KEYS.campaign, firstSeenAt: '2017-01-21T08:00:00.000Z', lastSeenAt: '2018-03-01T08:00:00.000Z' },
    { k: KEYS.partner, firstSeenAt: '2017-02-01T08:00:00.000Z', lastSeenAt: '2019-06-01T08:00:00.000Z' },
    { k: KEYS.weak, firstSeenAt: '2015-05-01T08:00:00.000Z', lastSeenAt: '2017-12-01T08:00:00.000Z' },
    { k: KEYS.list, firstSeenAt: '2016-09-01T08:00:00.000Z', lastSeenAt: '2020-01-01T08:00:00.000Z' },
    { k: KEYS.bulk, firstSeenAt: '2016-03-01T08:00:00.000Z', lastSeenAt: '2018-03-01T08:00:00.000Z' },
  ];
  return rows
    .map(({ k, firstSeenAt, lastSeenAt }) =>
      JSON.stringify({ domain: k.domain, selector: k.selector, value: txtRecord(k), firstSeenAt, lastSeenAt }),
    )
    .join('\n')
    .concat('\n');
}

// ----------------------------------------------------------------------------------------- messages

const CRLF = '\r\n';

/** RFC 2047 encoded word for non-ASCII header text. */
function word(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

/** RFC 5322 date in UTC, from an ISO string (no wall clock anywhere). */
function rfcDate(iso: string): string {
  return new Date(iso).toUTCString().replace('GMT', '+0000');
}

interface Mail {
  from: string;
  to: string;
  subject: string;
  date: string; // ISO
  id: string; // Message-ID without brackets
  /** Extra headers placed after the standard ones. */
  extra?: string[];
  /** Body as text with \n line ends; becomes CRLF. Mutually exclusive with `mime`. */
  text?: string;
  mime?: { contentType: string; body: string };
}

const crlf = (s: string): string => s.replace(/\r?\n/g, CRLF);

function compose(m: Mail): string {
  const headers = [
    `From: ${m.from}`,
    `To: ${m.to}`,
    `Subject: ${word(m.subject)}`,
    `Date: ${rfcDate(m.date)}`,
    `Message-ID: <${m.id}>`,
    'MIME-Version: 1.0',
    ...(m.mime
      ? [`Content-Type: ${m.mime.contentType}`]
      : ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit']),
    ...(m.extra ?? []),
  ];
  const body = m.mime ? m.mime.body : crlf(m.text ?? '');
  return headers.join(CRLF) + CRLF + CRLF + (body.endsWith(CRLF) ? body : body + CRLF);
}

interface SignOptions {
  canonicalization?: string;
  expires?: string; // ISO
  maxBodyLength?: number;
  /** Signing time; defaults to the message date. */
  signTime?: string;
}

/** Signs with mailauth and returns DKIM-Signature + message. */
async function sign(message: string, key: SigningKey, date: string, o: SignOptions = {}): Promise<string> {
  const res = await dkimSign(message, {
    signingDomain: key.domain,
    selector: key.selector,
    privateKey: key.pem,
    algorithm: key.algorithm,
    canonicalization: o.canonicalization ?? 'relaxed/relaxed',
    signTime: new Date(o.signTime ?? date),
    ...(o.expires ? { expires: new Date(o.expires) } : {}),
    signatureData: [
      {
        signingDomain: key.domain,
        selector: key.selector,
        privateKey: key.pem,
        algorithm: key.algorithm,
        canonicalization: o.canonicalization ?? 'relaxed/relaxed',
        ...(o.maxBodyLength !== undefined ? { maxBodyLength: o.maxBodyLength } : {}),
      },
    ],
  });
  if (res.errors.length) throw new Error(`make-sample-dump: mailauth could not sign for ${key.domain}: ${JSON.stringify(res.errors)}`);
  return res.signatures + message;
}

/** The receiving server's trace header, added above the signature as a real MTA would. */
function received(by: string, fromHost: string, ip: string, iso: string, id: string): string {
  const at = rfcDate(new Date(new Date(iso).getTime() + 4000).toISOString());
  return `Received: from ${fromHost} (${fromHost} [${ip}])${CRLF}\tby ${by} with ESMTPS id ${id};${CRLF}\t${at}${CRLF}`;
}

const internal = (m: Mail, tag: string): string => received('mx.campaign.example', 'smtp.campaign.example', '192.0.2.25', m.date, tag);

function base64Lines(data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
}

function multipart(boundary: string, text: string, attachments: { type: string; name: string; data: Buffer | string }[]): Mail['mime'] {
  const parts = [
    `--${boundary}${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}Content-Transfer-Encoding: 8bit${CRLF}${CRLF}${crlf(text)}`,
    ...attachments.map((a) =>
      typeof a.data === 'string'
        ? // message/rfc822 must stay 7bit/8bit: its bytes are the forwarded message, signature intact.
          // The CRLF before a boundary belongs to the boundary, so one is added to keep the message's own last CRLF.
          `--${boundary}${CRLF}Content-Type: ${a.type}; name="${a.name}"${CRLF}Content-Transfer-Encoding: 8bit${CRLF}` +
          `Content-Disposition: attachment; filename="${a.name}"${CRLF}${CRLF}${a.data}${CRLF}`
        : `--${boundary}${CRLF}Content-Type: ${a.type}; name="${a.name}"${CRLF}Content-Transfer-Encoding: base64${CRLF}` +
          `Content-Disposition: attachment; filename="${a.name}"${CRLF}${CRLF}${base64Lines(a.data)}${CRLF}`,
    ),
  ];
  return { contentType: `multipart/mixed; boundary="${boundary}"`, body: `${parts.join('')}--${boundary}--${CRLF}` };
}

// --------------------------------------------------------------------------------------- the cast

const P = {
  jean: 'Jean Dupont <jean.dupont@campaign.example>',
  claire: 'Claire Martin <claire.martin@campaign.example>',
  sophie: 'Sophie Bernard <sophie.bernard@campaign.example>',
  alain: 'Alain Moreau <alain.moreau@campaign.example>',
  lucie: 'Lucie Petit <lucie.petit@campaign.example>',
  direction: 'Direction de campagne <direction@campaign.example>',
  partner: 'Marc Lefèvre <marc.lefevre@mail.partner.example>',
  weak: 'Paul Girard <paul.girard@weak.example>',
  agency: 'Agence Durand <contact@agency.example>',
  list: 'equipe@lists.example',
};

/** The budget file attached to two messages and found loose in docs/: one item, three occurrences. */
const BUDGET_CSV = Buffer.from(
  'poste;montant_eur;responsable\n' +
    'Meetings régionaux;1250000;Claire Martin\n' +
    'Affichage;480000;Alain Moreau\n' +
    'Numérique;310000;Lucie Petit\n' +
    'Déplacements;95000;Jean Dupont\n',
  'utf8',
);
/** A near-copy with one figure changed: no proof, byte-different from the proven file. */
const BUDGET_CSV_EDITED = Buffer.from(BUDGET_CSV.toString('utf8').replace('1250000', '2250000'), 'utf8');

type Expected = { verdict: 'verified' | 'tampered' | 'suspicious' | 'consistent'; reason: string; sha256: string };

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** The whole dump as path → bytes, plus expected verdicts by path (containers joined by '!'). */
interface Dump {
  files: Map<string, Buffer>;
  expected: Map<string, Expected>;
}

function expectAt(d: Dump, path: string, bytes: Buffer | string, verdict: Expected['verdict'], reason: string): void {
  d.expected.set(path, { verdict, reason, sha256: sha256(bytes) });
}

function put(d: Dump, path: string, bytes: Buffer | string, verdict: Expected['verdict'], reason: string): void {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  d.files.set(path, buf);
  expectAt(d, path, buf, verdict, reason);
}

// ------------------------------------------------------------------------------------------- inbox

async function authentic(d: Dump): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const add = async (path: string, m: Mail, key: SigningKey, reason: string, o: SignOptions = {}): Promise<string> => {
    const signed = internal(m, path.replace(/\W/g, '').toUpperCase()) + (await sign(compose(m), key, m.date, o));
    put(d, path, signed, 'verified', reason);
    out.set(path, signed);
    return signed;
  };

  await add(
    'inbox/001.eml',
    {
      from: P.jean,
      to: P.claire,
      subject: 'Ordre du jour — réunion du 2 mai',
      date: '2017-04-28T08:12:00Z',
      id: '20170428081200.1001@campaign.example',
      text: 'Claire,\n\nPour la réunion de mardi :\n1. Point sur les meetings régionaux\n2. Affichage second tour\n3. Questions diverses\n\nJean\n',
    },
    KEYS.campaign,
    'Valid relaxed/relaxed DKIM signature of campaign.example (s2017, RSA 2048) aligned with From.',
  );
  await add(
    'inbox/002.eml',
    {
      from: P.claire,
      to: P.jean,
      subject: 'Re: Budget des meetings',
      date: '2017-04-28T09:30:00Z',
      id: '20170428093000.1002@campaign.example',
      text: 'Jean,\n\nLe budget des meetings régionaux reste fixé à 1 250 000 euros.\nAucune dépense supplémentaire sans accord de la direction.\n\nClaire\n',
    },
    KEYS.campaign,
    'Valid simple/simple DKIM signature of campaign.example (s2017).',
    { canonicalization: 'simple/simple' },
  );
  await add(
    'inbox/003.eml',
    {
      from: P.partner,
      to: P.sophie,
      subject: 'Salle de Lyon confirmée',
      date: '2017-04-29T14:05:00Z',
      id: '20170429140500.77@mail.partner.example',
      text: 'Bonjour Sophie,\n\nLa salle de Lyon est réservée pour le 3 mai, 2 000 places.\n\nCordialement,\nMarc Lefèvre\n',
    },
    KEYS.partner,
    'Valid ed25519-sha256 DKIM signature of mail.partner.example aligned with From (RFC 8463).',
  );
  await add(
    'inbox/004.eml',
    {
      from: P.alain,
      to: P.jean,
      subject: 'Devis affichage',
      date: '2016-12-14T10:00:00Z',
      id: '20161214100000.1004@campaign.example',
      text: 'Jean,\n\nLe devis de l’imprimeur pour l’affichage est de 480 000 euros.\n\nAlain\n',
    },
    KEYS.campaignOld,
    'Valid signature with the rotated key s2016, found in the key archive (in use until January 2017).',
  );
  const attachmentText = 'Bonjour,\n\nCi-joint le budget consolidé des meetings.\n\nClaire\n';
  await add(
    'inbox/005.eml',
    {
      from: P.claire,
      to: P.direction,
      subject: 'Budget consolidé',
      date: '2017-05-01T07:45:00Z',
      id: '20170501074500.1005@campaign.example',
      mime: multipart('=_tamis_sample_0005', attachmentText, [{ type: 'text/csv; charset=utf-8', name: 'budget-reunions-2017.csv', data: BUDGET_CSV }]),
    },
    KEYS.campaign,
    'Valid DKIM signature of campaign.example covering the message and its CSV attachment.',
  );
  await add(
    'inbox/006.eml',
    {
      from: P.jean,
      to: P.lucie,
      subject: 'Fwd: Budget consolidé',
      date: '2017-05-01T09:10:00Z',
      id: '20170501091000.1006@campaign.example',
      mime: multipart('=_tamis_sample_0006', 'Lucie, pour info, le budget.\n\nJean\n', [
        { type: 'text/csv; charset=utf-8', name: 'budget-reunions-2017.csv', data: BUDGET_CSV },
      ]),
    },
    KEYS.campaign,
    'Valid DKIM signature of campaign.example; carries the same CSV bytes as inbox/005.eml.',
  );
  // The forwarded message is signed on its own; forwarding keeps its exact bytes as message/rfc822.
  const pressNote: Mail = {
    from: P.sophie,
    to: P.alain,
    subject: 'Note pour la presse',
    date: '2017-05-02T16:20:00Z',
    id: '20170502162000.2001@campaign.example',
    text: 'Alain,\n\nÉléments de langage pour la presse : le meeting de Lyon accueillera 2 000 personnes.\n\nSophie\n',
  };
  const pressSigned = internal(pressNote, 'PRESSNOTE') + (await sign(compose(pressNote), KEYS.campaign, pressNote.date));
  expectAt(d, 'inbox/007.eml!Note pour la presse.eml', pressSigned, 'verified', 'Forwarded message whose own campaign.example signature is valid; also carried by verified inbox/007.eml.');
  await add(
    'inbox/007.eml',
    {
      from: P.alain,
      to: P.jean,
      subject: 'Fwd: Note pour la presse',
      date: '2017-05-02T17:00:00Z',
      id: '20170502170000.1007@campaign.example',
      mime: multipart('=_tamis_sample_0007', 'Jean, la note de Sophie ci-dessous.\n\nAlain\n', [
        { type: 'message/rfc822', name: 'Note pour la presse.eml', data: pressSigned },
      ]),
    },
    KEYS.campaign,
    'Valid DKIM signature of campaign.example; forwards a signed message as message/rfc822.',
  );
  await add(
    'inbox/008.eml',
    {
      from: P.lucie,
      to: P.sophie,
      subject: 'Visuels réseaux sociaux',
      date: '2017-05-03T11:00:00Z',
      id: '20170503110000.1008@campaign.example',
      text: 'Sophie,\n\nLes visuels pour le débat sont prêts, validation avant 18 h.\n\nLucie\n',
    },
    KEYS.campaign,
    'Valid signature; its x= expiry (3 days after sending) has passed today but not at the message date, which is what counts.',
    { expires: '2017-05-06T11:00:00Z' },
  );
  return out;
}

async function tampered(d: Dump): Promise<void> {
  const budget: Mail = {
    from: P.claire,
    to: P.sophie,
    subject: 'Budget affichage',
    date: '2017-05-02T08:00:00Z',
    id: '20170502080000.1009@campaign.example',
    text: 'Sophie,\n\nLe budget affichage est de 480 000 euros, pas un euro de plus.\n\nClaire\n',
  };
  const signed = internal(budget, 'T009') + (await sign(compose(budget), KEYS.campaign, budget.date));
  put(d, 'inbox/009.eml', signed.replace('480 000 euros', '4 800 000 euros'), 'tampered', 'A figure in the body was changed after signing: body hash mismatch with the right key.');

  const meeting: Mail = {
    from: P.jean,
    to: P.alain,
    subject: 'Réunion annulée',
    date: '2017-05-02T09:00:00Z',
    id: '20170502090000.1010@campaign.example',
    text: 'Alain,\n\nLa réunion de jeudi est annulée, on se voit lundi.\n\nJean\n',
  };
  const signedMeeting = internal(meeting, 'T010') + (await sign(compose(meeting), KEYS.campaign, meeting.date));
  put(
    d,
    'inbox/010.eml',
    signedMeeting.replace(`Subject: ${word('Réunion annulée')}`, `Subject: ${word('Virement urgent à valider')}`),
    'tampered',
    'Subject changed after signing: body hash matches but the header signature fails with the right key.',
  );

  const memo: Mail = {
    from: P.lucie,
    to: P.jean,
    subject: 'Planning semaine',
    date: '2017-05-02T10:00:00Z',
    id: '20170502100000.1011@campaign.example',
    text: 'Jean,\n\nPlanning de la semaine envoyé à toute l’équipe.\n\nLucie\n',
  };
  const signedMemo = internal(memo, 'T011') + (await sign(compose(memo), KEYS.campaign, memo.date));
  put(
    d,
    'inbox/011.eml',
    `From: ${P.direction}${CRLF}${signedMemo}`,
    'tampered',
    'A second From: was prepended above the signed one; the signature covers only the bottom instance, so the From a mail client shows is unsigned.',
  );

  const note: Mail = {
    from: P.sophie,
    to: P.claire,
    subject: 'Point presse',
    date: '2017-05-02T11:00:00Z',
    id: '20170502110000.1012@campaign.example',
    text: 'Claire,\n\nPoint presse à 15 h au siège.\n\nSophie\n',
  };
  const composed = compose(note);
  const bodyLength = Buffer.byteLength(composed.slice(composed.indexOf(CRLF + CRLF) + 4), 'utf8');
  const signedNote = internal(note, 'T012') + (await sign(composed, KEYS.campaign, note.date, { maxBodyLength: bodyLength }));
  put(
    d,
    'inbox/012.eml',
    signedNote + crlf('\nPS : merci de régler la facture jointe sur le compte IBAN FR76 0000 0000 0000.\n'),
    'tampered',
    'Text appended beyond the signed length (l=): the signature is valid for the first part only, the PS is unsigned.',
  );
}

async function other(d: Dump): Promise<void> {
  // Fabricated: claims campaign.example, which signs all its mail, but has no signature and no trace headers.
  const fake: Mail = {
    from: P.direction,
    to: P.jean,
    subject: 'Consignes confidentielles',
    date: '2017-05-04T22:13:00Z',
    id: '5a1f2c@localhost',
    text: 'Jean,\n\nDétruisez les relevés de comptes offshore avant dimanche.\n\nLa direction\n',
  };
  put(d, 'inbox/013.eml', compose(fake), 'suspicious', 'Claims to come from campaign.example, which signs its mail, but carries no DKIM signature and no Received trace.');

  const bulk: Mail = {
    from: P.direction,
    to: P.sophie,
    subject: 'Lettre d’information n°12',
    date: '2017-04-20T06:00:00Z',
    id: '20170420060000.12@bulk.example',
    text: 'Chers militants,\n\nMerci pour votre mobilisation cette semaine.\n\nL’équipe\n',
  };
  put(
    d,
    'inbox/014.eml',
    received('mx.campaign.example', 'out.bulk.example', '198.51.100.7', bulk.date, 'B014') + (await sign(compose(bulk), KEYS.bulk, bulk.date)),
    'consistent',
    'Valid signature of bulk.example, which is not the From domain: it shows the mailer relayed these bytes, not who wrote them.',
  );

  const weak: Mail = {
    from: P.weak,
    to: P.jean,
    subject: 'Proposition de partenariat',
    date: '2017-04-25T15:00:00Z',
    id: '20170425150000.5@weak.example',
    text: 'Monsieur Dupont,\n\nNous proposons de financer la tournée des meetings.\n\nPaul Girard\n',
  };
  put(
    d,
    'inbox/015.eml',
    received('mx.campaign.example', 'mail.weak.example', '203.0.113.9', weak.date, 'W015') + (await sign(compose(weak), KEYS.weak, weak.date)),
    'suspicious',
    'Signed with a 512-bit RSA key, which can be factored cheaply: the signature is no proof and anyone could have made it.',
  );

  const agency: Mail = {
    from: P.agency,
    to: P.lucie,
    subject: 'Facture sondage avril',
    date: '2017-04-30T12:00:00Z',
    id: '20170430120000.9@agency.example',
    text: 'Madame Petit,\n\nVeuillez trouver le montant de la facture du sondage d’avril : 25 000 euros.\n\nAgence Durand\n',
  };
  put(
    d,
    'inbox/016.eml',
    received('mx.campaign.example', 'smtp.agency.example', '203.0.113.44', agency.date, 'A016') + (await sign(compose(agency), KEYS.agency, agency.date)),
    'consistent',
    'Signed by agency.example (selector sel1), but that key is in no archive: unverifiable, neither proof nor disproof.',
  );

  await mailingList(d);
}

/** Signed by the author, rewritten by the list (Subject tag, footer), then ARC-sealed by the list. */
async function mailingList(d: Dump): Promise<void> {
  const m: Mail = {
    from: P.claire,
    to: P.list,
    subject: 'Mobilisation du week-end',
    date: '2017-05-05T07:30:00Z',
    id: '20170505073000.1017@campaign.example',
    text: 'Bonjour à tous,\n\nRendez-vous samedi 9 h devant les permanences pour le tractage.\n\nClaire\n',
  };
  const original = internal(m, 'L017') + (await sign(compose(m), KEYS.campaign, m.date));
  const ver = await dkimVerify(original, { resolver: archiveResolver(), curTime: new Date(m.date) });
  if (ver.results[0]?.status.result !== 'pass') throw new Error('make-sample-dump: the list original does not verify; check sample/keys.');
  const footer = crlf('-- \nListe equipe@lists.example : pour vous désinscrire, écrivez à equipe-leave@lists.example\n');
  const rewritten =
    received('lists.example', 'mx.campaign.example', '192.0.2.10', m.date, 'LIST017') +
    original
      .replace(`Subject: ${word(m.subject)}`, `Subject: ${word(`[equipe] ${m.subject}`)}`)
      .replace('MIME-Version: 1.0', `List-Id: <equipe.lists.example>${CRLF}MIME-Version: 1.0`) +
    footer;
  const seal = await sealMessage(rewritten, {
    signingDomain: KEYS.list.domain,
    selector: KEYS.list.selector,
    privateKey: KEYS.list.pem,
    signTime: new Date(new Date(m.date).getTime() + 60000),
    authResults: 'lists.example; dkim=pass header.d=campaign.example header.s=s2017 header.a=rsa-sha256; dmarc=pass header.from=campaign.example',
    cv: 'none',
  } as Parameters<typeof sealMessage>[1] & { authResults: string; cv: string });
  put(
    d,
    'inbox/017.eml',
    Buffer.concat([seal, Buffer.from(rewritten, 'utf8')]),
    'consistent',
    'Modified in transit by lists.example (Subject tag and footer break the author signature); its valid ARC seal records dkim=pass on arrival.',
  );
}

/** A resolver over the key archive, used to check the generator's own output. */
function archiveResolver(): (name: string, rr: string) => Promise<string[][]> {
  const records = new Map(
    keyArchive()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { domain: string; selector: string; value: string })
      .map((r) => [`${r.selector}._domainkey.${r.domain}`, r.value]),
  );
  return async (name, rr) => {
    const v = rr === 'TXT' ? records.get(name) : undefined;
    if (!v) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return [[v]];
  };
}

// -------------------------------------------------------------------------------------- phishing

/** A text and an HTML version of one body, as mail clients send them. */
function alternative(boundary: string, text: string, html: string): Mail['mime'] {
  const part = (type: string, body: string): string =>
    `--${boundary}${CRLF}Content-Type: ${type}; charset=utf-8${CRLF}Content-Transfer-Encoding: 8bit${CRLF}${CRLF}${crlf(body)}${CRLF}`;
  return { contentType: `multipart/alternative; boundary="${boundary}"`, body: `${part('text/plain', text)}${part('text/html', html)}--${boundary}--${CRLF}` };
}

/** The look-alike domains planted by phishing(), what each imitates and how (tests read this list). */
export const PLANTED_LOOKALIKES = [
  { domain: 'campagin.example', imitates: 'campaign.example', technique: 'variant' },
  { domain: 'xn--cmpaign-2fg.example', imitates: 'campaign.example', technique: 'skeleton' },
  { domain: 'onedrive-campaign.example', imitates: 'campaign.example', technique: 'brand-token' },
  { domain: 'campaign.example.secure-login.example', imitates: 'campaign.example', technique: 'brand-in-subdomain' },
  { domain: 'canpaing.example', imitates: 'campaign.example', technique: 'edit-distance' },
  { domain: 'accounts-office.fr', imitates: 'office.com', technique: 'brand-token' },
  { domain: 'portal-office.fr', imitates: 'office.com', technique: 'brand-token' },
] as const;

/**
 * A phishing wave two weeks before the leak, in the shape reported for the 2017 campaign: look-alike
 * senders, links whose text shows the campaign's webmail but go elsewhere, a fake Office 365 login
 * page, and staff answering. Plus legitimate mail that must stay quiet: a newsletter whose links go
 * through an email service's click tracker and a CDN, a printer mentioning a short unrelated domain.
 */
async function phishing(d: Dump): Promise<void> {
  const external = (m: Mail, host: string, ip: string, tag: string): string => received('mx.campaign.example', host, ip, m.date, tag);
  const reset: Mail = {
    from: 'Direction de campagne <direction@campagin.example>',
    to: P.jean,
    subject: 'Mise à jour obligatoire de vos identifiants',
    date: '2017-04-18T07:55:00Z',
    id: '20170418075500.6001@campagin.example',
    mime: alternative(
      '=_tamis_sample_6001',
      'Jean,\n\nSuite à un incident, merci de confirmer vos identifiants avant ce soir :\nhttps://mail.campaign.example/login\n\nLa direction\n',
      '<p>Jean,</p><p>Suite à un incident, merci de confirmer vos identifiants avant ce soir :<br>' +
        '<a href="http://campagin.example/webmail/login.php">https://mail.campaign.example/login</a></p><p>La direction</p>',
    ),
  };
  put(d, 'inbox/018.eml', external(reset, 'mail.campagin.example', '203.0.113.66', 'P018') + compose(reset), 'consistent',
    'Phishing from campagin.example (a transposition of campaign.example), unsigned: nothing proves or disproves who sent it; `tamis domains` reports the look-alike.');
  const replyReset: Mail = {
    from: P.jean,
    to: 'Direction de campagne <direction@campagin.example>',
    subject: 'Re: Mise à jour obligatoire de vos identifiants',
    date: '2017-04-18T08:20:00Z',
    id: '20170418082000.6002@campaign.example',
    extra: [`In-Reply-To: <${reset.id}>`, `References: <${reset.id}>`],
    text: 'C’est fait, mon mot de passe est changé.\n\nJean\n',
  };
  put(d, 'sent/018-reply.eml', internal(replyReset, 'R018') + (await sign(compose(replyReset), KEYS.campaign, replyReset.date)), 'verified',
    'Jean Dupont answering the phishing of inbox/018.eml, signed by campaign.example: proof that staff replied to the look-alike.');

  const quota: Mail = {
    from: 'Service informatique <support@xn--cmpaign-2fg.example>',
    to: P.claire,
    subject: 'Votre boîte mail est pleine',
    date: '2017-04-19T09:10:00Z',
    id: '20170419091000.6003@xn--cmpaign-2fg.example',
    mime: alternative(
      '=_tamis_sample_6003',
      'Bonjour,\n\nVotre boîte a atteint 98 % de son quota. Réinitialisez votre accès pour ne pas perdre vos messages.\n\nLe service informatique\n',
      '<p>Bonjour,</p><p>Votre boîte a atteint 98 % de son quota.</p>' +
        '<p><a href="https://campaign.example.secure-login.example/reset?u=claire.martin">Réinitialiser mon accès</a></p><p>Le service informatique</p>',
    ),
  };
  put(d, 'inbox/019.eml', external(quota, 'smtp.secure-login.example', '203.0.113.67', 'P019') + compose(quota), 'consistent',
    'Phishing from cаmpaign.example written with a Cyrillic "а" (a homograph), linking to a host under secure-login.example; unsigned.');
  const fwdQuota: Mail = {
    from: P.claire,
    to: P.alain,
    subject: 'TR: Votre boîte mail est pleine',
    date: '2017-04-19T09:40:00Z',
    id: '20170419094000.6004@campaign.example',
    text: 'Alain, c’est normal ? Je ne l’ai pas ouvert.\n\nClaire\n\n-------- Message transféré --------\nDe : Service informatique\nObjet : Votre boîte mail est pleine\n',
  };
  put(d, 'sent/019-forward.eml', internal(fwdQuota, 'F019') + (await sign(compose(fwdQuota), KEYS.campaign, fwdQuota.date)), 'verified',
    'Claire Martin forwarding the phishing of inbox/019.eml to a colleague, signed by campaign.example.');

  const share: Mail = {
    from: 'OneDrive <partage@onedrive-campaign.example>',
    to: P.sophie,
    subject: 'Claire Martin a partagé « Budget 2017.xlsx » avec vous',
    date: '2017-04-20T13:02:00Z',
    id: '20170420130200.6005@onedrive-campaign.example',
    mime: alternative(
      '=_tamis_sample_6005',
      'Claire Martin a partagé un fichier avec vous : Budget 2017.xlsx\nhttps://onedrive-campaign.example/s/budget-2017\n',
      '<p>Claire Martin a partagé un fichier avec vous.</p><p><a href="https://onedrive-campaign.example/s/budget-2017">Budget 2017.xlsx</a></p>',
    ),
  };
  put(d, 'inbox/020.eml', external(share, 'mail.onedrive-campaign.example', '203.0.113.68', 'P020') + compose(share), 'consistent',
    'Phishing from onedrive-campaign.example (the campaign\'s name inside another domain), unsigned.');

  const o365: Mail = {
    from: 'Microsoft Office 365 <no-reply@accounts-office.fr>',
    to: P.alain,
    subject: 'Action requise : vérifiez votre compte Office 365',
    date: '2017-04-21T06:30:00Z',
    id: '20170421063000.6006@accounts-office.fr',
    mime: alternative(
      '=_tamis_sample_6006',
      'Votre session Office 365 a expiré. Connectez-vous : https://outlook.office.com/owa/\n',
      '<p>Votre session Office 365 a expiré.</p><p>Connectez-vous : <a href="https://portal-office.fr/owa/auth/logon.aspx">https://outlook.office.com/owa/</a></p>',
    ),
  };
  put(d, 'inbox/021.eml', external(o365, 'mx.accounts-office.fr', '203.0.113.69', 'P021') + compose(o365), 'consistent',
    'Provider impersonation: "Office 365" mail from accounts-office.fr whose login link shows outlook.office.com but goes to portal-office.fr; unsigned.');

  const transfer: Mail = {
    from: 'Jean Dupont <jean.dupont@canpaing.example>',
    to: P.lucie,
    subject: 'Virement pour la salle de Lyon',
    date: '2017-04-24T16:45:00Z',
    id: '20170424164500.6007@canpaing.example',
    text: 'Lucie,\n\nPeux-tu faire le virement de 18 000 euros pour la salle aujourd’hui ? Je suis en réunion, réponds-moi par mail.\n\nJean\n',
  };
  put(d, 'inbox/022.eml', external(transfer, 'smtp.canpaing.example', '203.0.113.70', 'P022') + compose(transfer), 'consistent',
    'A payment request "from Jean Dupont" at canpaing.example (two edits from campaign.example), unsigned.');

  // Legitimate mail that must stay quiet.
  const newsletter: Mail = {
    from: 'Lettre de campagne <lettre@bulk.example>',
    to: P.jean,
    subject: 'Lettre d’information n°11',
    date: '2017-04-13T06:00:00Z',
    id: '20170413060000.11@bulk.example',
    mime: alternative(
      '=_tamis_sample_6008',
      'Chers militants,\n\nToute l’actualité sur www.campaign.example\n',
      '<p><img src="https://d1x2y3z4.cloudfront.net/logo-campagne.png" alt="logo"></p><p>Chers militants,</p>' +
        '<p>Toute l’actualité sur <a href="https://campaign-example.us15.list-manage.com/track/click?u=8f2&amp;id=11">www.campaign.example</a></p>',
    ),
    extra: ['List-Unsubscribe: <https://campaign-example.us15.list-manage.com/unsubscribe?u=8f2>, <mailto:unsubscribe@bulk.example>'],
  };
  put(d, 'inbox/023.eml', received('mx.campaign.example', 'out.bulk.example', '198.51.100.7', newsletter.date, 'B023') + (await sign(compose(newsletter), KEYS.bulk, newsletter.date)), 'verified',
    'A real newsletter, signed by bulk.example and aligned with its From; its links go through an email service\'s click tracker and a CDN: no look-alike.');
  const printer: Mail = {
    from: 'Imprimerie Centrale <devis@imprimerie-centrale.example>',
    to: P.alain,
    subject: 'Livraison des affiches',
    date: '2017-04-26T10:00:00Z',
    id: '20170426100000.77@imprimerie-centrale.example',
    text: 'Bonjour,\n\nLes affiches partent demain par transporteur, suivi sur https://www.fret.fr/suivi/77 .\nPour vos fichiers : https://www.box.com/s/affiches\n\nImprimerie Centrale\n',
  };
  put(d, 'inbox/024.eml', received('mx.campaign.example', 'smtp.imprimerie-centrale.example', '203.0.113.80', printer.date, 'I024') + compose(printer), 'consistent',
    'An unsigned message from a supplier: nothing proves or disproves it; fret.fr is one edit from the protected free.fr but short and unrelated.');
}

// ---------------------------------------------------------------------------------------- archives

/** Fixed local-time date: ZIP stores local DOS time, so a local constructor gives the same bytes in every time zone. */
const ZIP_TIME = new Date(2017, 4, 6, 12, 0, 0);
const TAR_TIME = new Date('2017-05-06T12:00:00Z');

function zip(entries: Record<string, Buffer | null>): Buffer {
  const z: Zippable = {};
  for (const [name, data] of Object.entries(entries)) {
    // A null entry is an explicit directory record (empty folders exist in real exports).
    z[name] = data === null ? [new Uint8Array(0), { mtime: ZIP_TIME }] : [new Uint8Array(data), { mtime: ZIP_TIME }];
  }
  return Buffer.from(zipSync(z, { level: 6, mtime: ZIP_TIME }));
}

async function tarGz(entries: { name: string; data: Buffer }[]): Promise<Buffer> {
  const p = tarPack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((res, rej) => {
    p.on('data', (c: unknown) => chunks.push(Buffer.from(c as Uint8Array)));
    p.on('end', () => res());
    p.on('error', rej);
  });
  for (const e of entries) {
    p.entry({ name: e.name, size: e.data.length, mtime: TAR_TIME, mode: 0o644, uid: 1000, gid: 1000, uname: 'jdupont', gname: 'staff' }, e.data);
  }
  p.finalize();
  await done;
  return Buffer.from(gzipSync(Buffer.concat(chunks), { level: 6, mtime: TAR_TIME }));
}

/** mboxrd: a body line matching /^>*From / gets one more '>' (the reader removes one). */
function mboxrd(messages: { from: string; date: string; raw: string }[]): string {
  return messages
    .map((m) => {
      const lf = m.raw.replace(/\r\n/g, '\n');
      const escaped = lf.replace(/^(>*From )/gm, '>$1');
      const when = new Date(m.date).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 $4');
      return `From ${m.from} ${when}\n${escaped}${escaped.endsWith('\n') ? '' : '\n'}\n`;
    })
    .join('');
}

async function archives(d: Dump, inbox: Map<string, string>): Promise<void> {
  // mailbox.mbox: LF line ends as on Unix; a signed body line starting with "From " is stored as ">From ".
  const fromLine: Mail = {
    from: P.sophie,
    to: P.jean,
    subject: 'Consigne presse',
    date: '2017-04-27T08:00:00Z',
    id: '20170427080000.3001@campaign.example',
    text: 'Jean,\n\nLa consigne est simple :\nFrom now on, toutes les demandes presse passent par moi.\n\nSophie\n',
  };
  const reply: Mail = {
    from: P.jean,
    to: P.sophie,
    subject: 'Re: Consigne presse',
    date: '2017-04-27T08:30:00Z',
    id: '20170427083000.3002@campaign.example',
    text: 'Sophie,\n\nBien noté, je transfère les demandes.\n\nJean\n',
  };
  const personal: Mail = {
    from: 'Jean Dupont <jean.dupont@perso.example>',
    to: P.jean,
    subject: 'notes perso',
    date: '2017-04-27T21:00:00Z',
    id: 'notes-2017-04-27@perso.example',
    text: 'Rappel : appeler l’imprimeur demain matin.\n',
  };
  const altered: Mail = {
    from: P.alain,
    to: P.jean,
    subject: 'Dons reçus',
    date: '2017-04-27T18:00:00Z',
    id: '20170427180000.3004@campaign.example',
    text: 'Jean,\n\nNous avons reçu 312 dons cette semaine, tous déclarés.\n\nAlain\n',
  };
  const mboxMessages = [
    { m: fromLine, raw: internal(fromLine, 'M1') + (await sign(compose(fromLine), KEYS.campaign, fromLine.date)) },
    { m: reply, raw: internal(reply, 'M2') + (await sign(compose(reply), KEYS.campaign, reply.date)) },
    { m: personal, raw: compose(personal) },
    {
      m: altered,
      raw: (internal(altered, 'M4') + (await sign(compose(altered), KEYS.campaign, altered.date))).replace('tous déclarés', 'dont 40 non déclarés'),
    },
  ];
  const mbox = mboxrd(mboxMessages.map(({ m, raw }) => ({ from: m.from.replace(/^.*<|>$/g, ''), date: m.date, raw })));
  put(d, 'archive/mailbox.mbox', mbox, 'consistent', 'A mailbox: a container, nothing to prove about its own bytes.');
  const lfBytes = (raw: string): string => raw.replace(/\r\n/g, '\n');
  expectAt(d, 'archive/mailbox.mbox!1', lfBytes(mboxMessages[0]?.raw ?? ''), 'verified', 'Signed body line "From now on…" is stored as ">From now on…" in mboxrd; unescaped, the signature is valid.');
  expectAt(d, 'archive/mailbox.mbox!2', lfBytes(mboxMessages[1]?.raw ?? ''), 'verified', 'Valid campaign.example signature (LF line ends, as stored in mbox).');
  expectAt(d, 'archive/mailbox.mbox!3', lfBytes(mboxMessages[2]?.raw ?? ''), 'consistent', 'Unsigned personal note from a private address: nothing proves or disproves it.');
  expectAt(d, 'archive/mailbox.mbox!4', lfBytes(mboxMessages[3]?.raw ?? ''), 'tampered', 'Body edited after signing ("dont 40 non déclarés"): body hash mismatch.');

  // export.zip: an account export with folders; Inbox/0001.eml is byte-identical to inbox/001.eml.
  const sent: Mail = {
    from: P.jean,
    to: P.direction,
    subject: 'Rapport hebdomadaire',
    date: '2017-04-30T19:00:00Z',
    id: '20170430190000.4001@campaign.example',
    text: 'Bonjour,\n\nCette semaine : 14 meetings, 52 000 participants, 3 000 nouveaux adhérents.\n\nJean\n',
  };
  const sentSigned = internal(sent, 'Z1') + (await sign(compose(sent), KEYS.campaign, sent.date));
  const inbox001 = inbox.get('inbox/001.eml') ?? '';
  const contacts = Buffer.from('Nom;Téléphone\nImprimerie Centrale;01 00 00 00 01\nSalle Lyon;04 00 00 00 02\n', 'utf8');
  put(
    d,
    'archive/export.zip',
    zip({
      'Jean Dupont/': null,
      'Jean Dupont/Inbox/': null,
      'Jean Dupont/Inbox/0001.eml': Buffer.from(inbox001, 'utf8'),
      'Jean Dupont/Sent/': null,
      'Jean Dupont/Sent/0001.eml': Buffer.from(sentSigned, 'utf8'),
      'Jean Dupont/Archives/': null,
      'Jean Dupont/Notes/contacts.txt': contacts,
    }),
    'consistent',
    'An archive: a container, nothing to prove about its own bytes.',
  );
  expectAt(d, 'archive/export.zip!Jean Dupont/Inbox/0001.eml', inbox001, 'verified', 'Byte-identical to inbox/001.eml: the same item, found twice.');
  expectAt(d, 'archive/export.zip!Jean Dupont/Sent/0001.eml', sentSigned, 'verified', 'Valid campaign.example signature.');
  expectAt(d, 'archive/export.zip!Jean Dupont/Notes/contacts.txt', contacts, 'consistent', 'A loose text file: nothing proves or disproves it.');

  // backup.tar.gz → mail-2017-05.zip → mail/urgent.eml (nesting three containers deep).
  const urgent: Mail = {
    from: P.direction,
    to: P.jean,
    subject: 'Urgent : débat de mercredi',
    date: '2017-05-01T20:00:00Z',
    id: '20170501200000.5001@campaign.example',
    text: 'Jean,\n\nPréparation du débat demain 9 h, salle 2.\n\nLa direction\n',
  };
  const urgentSigned = internal(urgent, 'N1') + (await sign(compose(urgent), KEYS.campaign, urgent.date));
  const innerZip = zip({ 'mail/': null, 'mail/urgent.eml': Buffer.from(urgentSigned, 'utf8') });
  const readme = Buffer.from('Sauvegarde de la messagerie, mai 2017.\n', 'utf8');
  put(
    d,
    'archive/backup.tar.gz',
    await tarGz([
      { name: 'backup/LISEZMOI.txt', data: readme },
      { name: 'backup/mail-2017-05.zip', data: innerZip },
    ]),
    'consistent',
    'An archive: a container, nothing to prove about its own bytes.',
  );
  expectAt(d, 'archive/backup.tar.gz!backup/mail-2017-05.zip', innerZip, 'consistent', 'A nested archive.');
  expectAt(d, 'archive/backup.tar.gz!backup/mail-2017-05.zip!mail/urgent.eml', urgentSigned, 'verified', 'Valid campaign.example signature, found three containers deep.');
  expectAt(d, 'archive/backup.tar.gz!backup/LISEZMOI.txt', readme, 'consistent', 'A loose text file.');

  // A truncated copy of a zip: the reader must report it, not drop it.
  const damaged = zip({ 'mail/urgent.eml': Buffer.from(urgentSigned, 'utf8') });
  put(d, 'archive/damaged.zip', damaged.subarray(0, Math.floor(damaged.length / 2)), 'consistent', 'Truncated archive: cannot be read fully (an ingest finding), which says nothing about authenticity.');
}

function documents(d: Dump): void {
  put(d, 'docs/finances/budget-reunions-2017.csv', BUDGET_CSV, 'verified', 'Byte-identical to the attachment of verified inbox/005.eml and inbox/006.eml: inherits their proof.');
  put(d, 'docs/finances/budget-reunions-2017 (2).csv', BUDGET_CSV_EDITED, 'consistent', 'Near-copy of the proven budget with one figure changed (1250000 → 2250000): doc.near-copy-of-verified shows the diff as a lead (info); a CSV has no metadata that could contradict a version chain, so nothing makes it a red flag, and it has no proof of its own.');
  expectAt(d, 'inbox/005.eml!budget-reunions-2017.csv', BUDGET_CSV, 'verified', 'Attachment of verified inbox/005.eml.');
  expectAt(d, 'inbox/006.eml!budget-reunions-2017.csv', BUDGET_CSV, 'verified', 'Attachment of verified inbox/006.eml (same bytes as in inbox/005.eml).');
}

// ---------------------------------------------------------------------------------------------- main

/** Everything the sample consists of, in memory. */
async function buildDump(): Promise<Dump> {
  const d: Dump = { files: new Map(), expected: new Map() };
  const inbox = await authentic(d);
  await tampered(d);
  await other(d);
  await archives(d, inbox);
  documents(d);
  await phishing(d);
  return d;
}

/**
 * Writes the sample dump into `outDir` (replaced), and `keys.jsonl` and `expected.json` next to it
 * (in the parent folder of `outDir`), so that `sample/dump` gets `sample/keys.jsonl`.
 */
export async function makeSampleDump(outDir: string): Promise<void> {
  const dir = resolve(outDir);
  const d = await buildDump();
  rmSync(dir, { recursive: true, force: true });
  for (const [path, bytes] of [...d.files].sort(([a], [b]) => a.localeCompare(b))) {
    const file = join(dir, ...path.split('/'));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
  }
  const parent = dirname(dir);
  writeFileSync(join(parent, 'keys.jsonl'), keyArchive());
  const expected = {
    about:
      'Expected verdict per path in the sample dump (paths relative to the dump folder; "!" enters a container; ' +
      'mbox messages are numbered from 1; attachments are named by filename). Match on sha256 when paths are named differently.',
    items: Object.fromEntries([...d.expected].sort(([a], [b]) => a.localeCompare(b))),
  };
  writeFileSync(join(parent, 'expected.json'), `${JSON.stringify(expected, null, 2)}\n`);
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const out = process.argv[2] ?? join(ROOT, 'sample', 'dump');
  await makeSampleDump(out);
  console.log(`Sample dump written to ${out}`);
}
