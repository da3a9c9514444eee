// Twitter v1.1 posts written at test time, in the streaming API's format, for the spread tests.

export const T0 = Date.parse('2018-10-11T08:00:00Z');
export const MIN = 60_000;

const created = (at: number): string => new Date(at).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 +0000 $4');
const user = (name: string) => ({ id_str: name, screen_name: name, created_at: 'Tue Mar 01 09:00:00 +0000 2011', default_profile: false, statuses_count: 900 });

/** A v1.1 retweet as the streaming API writes it (the fields the adapter reads, plus a few). */
export function v1Retweet(id: number, account: string, at: number, of: string, ofUser: string): string {
  return JSON.stringify({
    created_at: created(at),
    id_str: String(id),
    text: `RT @${ofUser}: post ${of}`,
    source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
    user: user(account),
    retweeted_status: { id_str: of, created_at: created(at - MIN), text: `post ${of}`, user: { id_str: ofUser, screen_name: ofUser } },
    entities: { hashtags: [], urls: [], user_mentions: [] },
  });
}

/** A v1.1 original tweet. */
export function v1Tweet(id: number, account: string, at: number, text: string): string {
  return JSON.stringify({ created_at: created(at), id_str: String(id), text, user: user(account), entities: { hashtags: [], urls: [], user_mentions: [] } });
}

/**
 * 200 organic accounts retweeting 300 posts at random over 20 hours (1,000 retweets), and a trio
 * (trio_a, trio_b, trio_c) retweeting eight obscure posts of one seed account within seconds of
 * each other (24 retweets): the trio is a network, the organic co-retweets are popularity.
 */
export function trioCampaign(): string[] {
  const lines: string[] = [];
  let id = 1;
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let u = 0; u < 200; u++) for (let i = 0; i < 5; i++) lines.push(v1Retweet(id++, `user${u}`, T0 + Math.floor(rand() * 1200 * MIN), `9${Math.floor(rand() * 300)}`, 'someone'));
  for (let k = 0; k < 8; k++) for (const [j, a] of ['trio_a', 'trio_b', 'trio_c'].entries()) lines.push(v1Retweet(id++, a, T0 + 30 * MIN + k * 97 * MIN + j * 4000, `7000${k}`, 'seed'));
  return lines;
}
