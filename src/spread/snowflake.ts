/** Twitter's epoch for Snowflake ids (2010-11-04T01:42:54.657Z). */
const TWITTER_EPOCH = 1288834974657n;
/** The first Snowflake ids date from late 2010; smaller numeric ids are sequential and carry no time. */
const FIRST_SNOWFLAKE = 29_700_859_247n;

/** Milliseconds since the epoch encoded in a Twitter Snowflake id, or undefined for pre-Snowflake or non-numeric ids. */
export function snowflakeTime(id: string): number | undefined {
  if (!/^\d{1,20}$/.test(id)) return undefined;
  const n = BigInt(id);
  if (n < FIRST_SNOWFLAKE) return undefined;
  return Number((n >> 22n) + TWITTER_EPOCH);
}
