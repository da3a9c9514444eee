// A small real case for the workbench tests: RFC 822 messages written here (French and English,
// accents, a reply, a forged copy, a hostile HTML email), stored and annotated through the Case API.
import { Case } from '../src/store/case.js';
import type { Json, Verdict } from '../src/model.js';
import type { DkimRow } from '../src/report/types.js';

const crlf = (s: string): Buffer => Buffer.from(s.replace(/\r?\n/g, '\r\n'), 'utf8');

export const ELYSEE = crlf(`From: Alice Martin <alice.martin@en-marche.fr>
To: Bob Durand <bob@example.org>
Cc: Chloé Petit <chloe@en-marche.fr>
Subject: =?UTF-8?Q?R=C3=A9union_=C3=A0_l'=C3=89lys=C3=A9e?=
Date: Fri, 10 Mar 2017 09:15:00 +0100
Message-ID: <elysee-1@en-marche.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bonjour Bob,

La réunion à l'Élysée est confirmée pour jeudi.
Le budget prévu est de 12 000 euros.
Merci de préparer le dossier.

Alice
--b1
Content-Type: text/plain; charset=utf-8; name="programme.txt"
Content-Disposition: attachment; filename="programme.txt"

Programme de la visite.
--b1--
`);

export const ELYSEE_FORGED = crlf(`From: Alice Martin <alice.martin@en-marche.fr>
To: Bob Durand <bob@example.org>
Subject: =?UTF-8?Q?R=C3=A9union_=C3=A0_l'=C3=89lys=C3=A9e?=
Date: Fri, 10 Mar 2017 09:15:00 +0100
Message-ID: <elysee-1@en-marche.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bonjour Bob,

La réunion à l'Élysée est confirmée pour jeudi.
Le budget prévu est de 950 000 euros, en liquide.
Merci de préparer le dossier.

Alice
`);

export const REPLY = crlf(`From: Bob Durand <bob@example.org>
To: Alice Martin <alice.martin@en-marche.fr>
Subject: Re: Budget draft for the campaign
Date: Sun, 02 Apr 2017 18:40:00 +0200
Message-ID: <reply-2@example.org>
In-Reply-To: <elysee-1@en-marche.fr>
References: <elysee-1@en-marche.fr>
Content-Type: text/plain; charset=us-ascii

Alice, the budget draft looks fine. The offshore account is not mentioned anywhere.
Bob
`);

/** Everything a hostile sender could try: script, handlers, remote image, CSS import, javascript: link. */
export const HOSTILE = crlf(`From: Mallory <mallory@evil.example>
To: Bob Durand <bob@example.org>
Subject: Invoice overdue
Date: Mon, 03 Apr 2017 08:00:00 +0000
Message-ID: <hostile-3@evil.example>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><head>
<style>@import url("http://css.evil.example/steal.css"); body { background: url(http://bg.evil.example/bg.png); }</style>
<link rel="stylesheet" href="http://link.evil.example/x.css">
<script>window.parent.document.title = 'PWNED'; alert('xss'); console.log('TAMIS-XSS-MARKER');</script>
</head><body>
<p id="hostile-body">Please pay the invoice.</p>
<img src="http://tracker.evil.example/pixel.gif?id=42" width="1" height="1">
<img src="x" onerror="console.log('TAMIS-XSS-MARKER'); parent.document.body.innerHTML='PWNED'">
<a href="javascript:alert(1)">click</a>
<iframe src="http://frame.evil.example/"></iframe>
<svg onload="console.log('TAMIS-XSS-MARKER')"></svg>
</body></html>
`);

export const DOC_BYTES = Buffer.from('PK fake bytes of a document whose text was extracted by the analyser');

const dkimOk = (d: string): DkimRow => ({
  d,
  s: 'sel2017',
  algorithm: 'rsa-sha256',
  canonicalization: 'relaxed/relaxed',
  bodyHashOk: true,
  signatureOk: true,
  keyBits: 2048,
  keySource: 'archive:keys-2017.txt',
});

export interface FixtureIds {
  elysee: number;
  attachment: number;
  forged: number;
  reply: number;
  hostile: number;
  doc: number;
}

async function addEmail(
  kase: Case,
  bytes: Buffer,
  path: string,
  meta: { [k: string]: Json },
  verdict: Verdict,
  reason: string,
): Promise<number> {
  const blob = await kase.blobs.putBuffer(bytes);
  const { id } = kase.upsertItem(blob.sha256, blob.size, 'message/rfc822', 'email');
  kase.addOccurrence(id, path, null);
  kase.setAnalysis(id, 'test-1', meta);
  kase.setVerdict(id, verdict, reason);
  return id;
}

export async function buildFixtureCase(dir: string): Promise<{ kase: Case; ids: FixtureIds }> {
  const kase = await Case.open(dir);
  const elysee = await addEmail(
    kase,
    ELYSEE,
    'dump/alice/inbox/1.eml',
    {
      from: 'Alice Martin <alice.martin@en-marche.fr>',
      to: ['Bob Durand <bob@example.org>'],
      cc: ['Chloé Petit <chloe@en-marche.fr>'],
      subject: "Réunion à l'Élysée",
      date: '2017-03-10T08:15:00.000Z',
      messageId: '<elysee-1@en-marche.fr>',
      inReplyTo: null,
      references: [],
      dkim: [dkimOk('en-marche.fr')] as unknown as Json,
    },
    'verified',
    'valid DKIM signature of en-marche.fr',
  );
  kase.addOccurrence(elysee, 'dump/bob/archive.zip!inbox/1.eml', null);
  kase.addFinding(elysee, 'analysis', {
    check: 'dkim.signature',
    severity: 'info',
    message: 'Valid DKIM signature by en-marche.fr (selector sel2017).',
    evidence: { d: 'en-marche.fr', s: 'sel2017', bh: 'ok' },
    proof: 'proves',
  });
  const att = await kase.blobs.putBuffer(Buffer.from('Programme de la visite.'));
  const attachment = kase.upsertItem(att.sha256, att.size, 'text/plain', 'other').id;
  kase.addOccurrence(attachment, 'dump/alice/inbox/1.eml!programme.txt', elysee);

  const forged = await addEmail(
    kase,
    ELYSEE_FORGED,
    'dump/leak/forged.eml',
    {
      from: 'Alice Martin <alice.martin@en-marche.fr>',
      to: ['Bob Durand <bob@example.org>'],
      cc: [],
      subject: "Réunion à l'Élysée",
      date: '2017-03-10T08:15:00.000Z',
      messageId: '<elysee-1@en-marche.fr>',
      inReplyTo: null,
      references: [],
      dkim: [{ ...dkimOk('en-marche.fr'), bodyHashOk: false, signatureOk: true }] as unknown as Json,
    },
    'tampered',
    'body hash mismatch',
  );
  kase.addFinding(forged, 'analysis', {
    check: 'dkim.body-hash',
    severity: 'critical',
    message: 'The body was changed after signing: body hash does not match bh=.',
    evidence: { expected: 'abc=', computed: 'xyz=' },
    proof: 'disproves',
  });
  const reply = await addEmail(
    kase,
    REPLY,
    'dump/bob/sent/2.eml',
    {
      from: 'Bob Durand <bob@example.org>',
      to: ['Alice Martin <alice.martin@en-marche.fr>'],
      cc: [],
      subject: 'Re: Budget draft for the campaign',
      date: '2017-04-02T16:40:00.000Z',
      messageId: '<reply-2@example.org>',
      inReplyTo: '<elysee-1@en-marche.fr>',
      references: ['<elysee-1@en-marche.fr>'],
      dkim: [],
    },
    'suspicious',
    'Received headers out of order',
  );
  kase.addFinding(reply, 'analysis', {
    check: 'received.order',
    severity: 'warning',
    message: 'Received headers go back in time.',
    evidence: { hop: 2, delta: '-3h' },
  });
  const hostile = await addEmail(
    kase,
    HOSTILE,
    'dump/bob/inbox/3.eml',
    {
      from: 'Mallory <mallory@evil.example>',
      to: ['Bob Durand <bob@example.org>'],
      cc: [],
      subject: 'Invoice overdue',
      date: '2017-04-03T08:00:00.000Z',
      messageId: '<hostile-3@evil.example>',
      inReplyTo: null,
      references: [],
      dkim: [],
    },
    'consistent',
    '',
  );
  const docBlob = await kase.blobs.putBuffer(DOC_BYTES);
  const doc = kase.upsertItem(
    docBlob.sha256,
    docBlob.size,
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'document',
  ).id;
  kase.addOccurrence(doc, 'dump/leak/Rapport.docx', null);
  kase.setAnalysis(doc, 'test-1', {
    title: 'Rapport confidentiel',
    author: 'Рошка Георгий Петрович',
    created: '2016-11-02T10:00:00Z',
    modified: '2017-03-27T14:02:00Z',
  });
  // Extracted text lives beside the metadata, as the analysis stage stores it.
  kase.setText(doc, 'Rapport sur le financement occulte. Les comptes aux Bahamas.', 'fr', undefined);
  kase.setVerdict(doc, 'suspicious', 'edited by a foreign account');
  kase.addFinding(doc, 'analysis', {
    check: 'doc.editor-name',
    severity: 'warning',
    message: 'Last edited by an account unrelated to the claimed author.',
    evidence: { lastModifiedBy: 'Рошка Георгий Петрович' },
  });
  return { kase, ids: { elysee, attachment, forged, reply, hostile, doc } };
}
