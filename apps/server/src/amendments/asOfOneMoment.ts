/**
 * How many times a read of the amendments against the text is made again when
 * a decision came in between: a decision stores its row and its change to the
 * text together, then applies the change to the live text, so rows read before
 * it with the text read after it would show an accepted amendment as tabled
 * beside a text that holds it. Decisions come seconds apart; three reads in a
 * row each crossed by one is not expected, and the last is answered as read.
 */
export const READS_AGAINST_TEXT = 3

/**
 * One read of the amendment rows and then the text: what it gives, and the
 * rows' stamp as read (`UnreadAmendments.stamp`); null when the text was not
 * read, as then nothing was read against it.
 */
export interface StampedRead<T> {
  value: T
  stamp: string | null
}

/**
 * What `read` gives, once the rows are still those it read after it has read
 * the text (`rowsStamp`: the rows' stamp as they stand now): otherwise it is
 * made again, up to `READS_AGAINST_TEXT` times.
 */
export async function readAsOfOneMoment<T>(read: () => Promise<StampedRead<T>>, rowsStamp: () => Promise<string>): Promise<T> {
  for (let reads = 1; ; reads++) {
    const { value, stamp } = await read()
    if (stamp === null || reads === READS_AGAINST_TEXT || (await rowsStamp()) === stamp) return value
  }
}
