// received.order, ESLint-tester style: cases that must stay silent and cases that must be flagged.
import { describe, expect, it } from 'vitest';
import { receivedOrder } from '../src/checks/email/index.js';
import { mailFacts } from './fixtures/forgery-lab.js';

const hop = (by: string, date: string): string => `Received: from relay.example (relay.example [192.0.2.1]) by ${by} with ESMTPS id X; ${date}`;
/** Hops given bottom (first) to top (last); headers are written top first. */
const message = (date: string | undefined, hops: string[]) =>
  mailFacts(1, [...hops.map((d, i) => hop(`hop${i + 1}.example`, d)).reverse(), 'From: a@campaign.example', ...(date ? [`Date: ${date}`] : []), 'Message-ID: <m1@campaign.example>'], 'body');
const run = async (date: string | undefined, hops: string[]) => receivedOrder.run([await message(date, hops)], { orgDomains: [] }).get(1) ?? [];

describe('received.order', () => {
  const valid: [string, string | undefined, string[]][] = [
    ['ordered hops in mixed zones', 'Tue, 3 Mar 2020 10:00:00 +0100', ['Tue, 3 Mar 2020 09:00:05 +0000', 'Tue, 3 Mar 2020 04:00:40 -0500', 'Tue, 3 Mar 2020 10:00:41 +0100 (CET)']],
    ['server clock 3 minutes behind', 'Tue, 3 Mar 2020 10:00:00 +0100', ['Tue, 3 Mar 2020 10:00:05 +0100', 'Tue, 3 Mar 2020 09:57:05 +0100']],
    ['client clock 4 minutes fast', 'Tue, 3 Mar 2020 10:04:00 +0100', ['Tue, 3 Mar 2020 10:00:05 +0100', 'Tue, 3 Mar 2020 10:00:06 +0100']],
    ['greylisting delay of 25 minutes', 'Tue, 3 Mar 2020 10:00:00 +0100', ['Tue, 3 Mar 2020 10:00:05 +0100', 'Tue, 3 Mar 2020 10:25:05 +0100']],
    ['draft sent 5 hours after it was dated', 'Tue, 3 Mar 2020 05:00:00 +0100', ['Tue, 3 Mar 2020 10:00:05 +0100']],
    ['unparseable hop date', 'Tue, 3 Mar 2020 10:00:00 +0100', ['Tue, 3 Mar 2020 10:00:05 +0100', 'sometime yesterday', 'Tue, 3 Mar 2020 10:00:09 +0100']],
    ['unknown zone name is not guessed', 'Tue, 3 Mar 2020 10:00:00 +0100', ['Tue, 3 Mar 2020 10:00:05 XYZT']],
    ['named zone that matches', 'Tue, 3 Mar 2020 10:00:00 +0100', ['Tue, 3 Mar 2020 10:00:05 +0100', 'Tue, 3 Mar 2020 04:00:06 EST']],
    ['no Date header', undefined, ['Tue, 3 Mar 2020 10:00:05 +0100']],
  ];
  it.each(valid)('valid: %s', async (_name, date, hops) => expect(await run(date, hops)).toEqual([]));

  it('valid: no Received headers at all', async () => {
    const f = await mailFacts(1, ['From: a@campaign.example', 'Date: Tue, 3 Mar 2020 10:00:00 +0100'], 'x');
    expect(receivedOrder.run([f], { orgDomains: [] }).size).toBe(0);
  });

  const invalid: [string, string, string[], RegExp][] = [
    ['hop stamped two hours before the previous one', 'Tue, 3 Mar 2020 10:00:00 +0100', ['Tue, 3 Mar 2020 10:00:05 +0100', 'Tue, 3 Mar 2020 08:00:05 +0100'], /hop 2 is stamped 2 h 0 min before hop 1/],
    ['hops two days apart', 'Tue, 3 Mar 2020 10:00:00 +0100', ['Tue, 3 Mar 2020 10:00:05 +0100', 'Thu, 5 Mar 2020 10:00:05 +0100'], /2 days apart/],
    ['Date backdated three days', 'Sat, 29 Feb 2020 10:00:00 +0100', ['Tue, 3 Mar 2020 10:00:05 +0100'], /Date: is 3 days before/],
    ['Date hours after the first hop', 'Tue, 3 Mar 2020 15:00:00 +0100', ['Tue, 3 Mar 2020 10:00:05 +0100'], /Date: is [45] h \d+ min after/],
    ['named zone puts the hop an hour earlier', 'Tue, 3 Mar 2020 10:00:00 +0100', ['Tue, 3 Mar 2020 10:00:05 +0100', 'Tue, 3 Mar 2020 03:00:05 EST'], /hop 2 is stamped 1 h 0 min before hop 1/],
  ];
  it.each(invalid)('invalid: %s', async (_name, date, hops, message) => {
    const findings = await run(date, hops);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('warning');
    expect(findings[0]!.message).toMatch(message);
    expect(findings[0]!.evidence.hops).toHaveLength(hops.length);
  });
});
