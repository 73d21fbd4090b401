import { describe, expect, it } from 'vitest'
import { readAsOfOneMoment, READS_AGAINST_TEXT, type StampedRead } from './asOfOneMoment.ts'

/** Reads that give these, in turn, and rows whose stamp is asked for give these, in turn; each call counted. */
function scripted(reads: Array<StampedRead<string>>, stamps: string[]) {
  const calls = { reads: 0, stamps: 0 }
  return {
    calls,
    read: async () => reads[calls.reads++]!,
    rowsStamp: async () => stamps[calls.stamps++]!,
  }
}

describe('reading the rows and the text as of one moment', () => {
  it('answers the first read when the rows are still those it read', async () => {
    const { calls, read, rowsStamp } = scripted([{ value: 'first', stamp: 'a' }], ['a'])
    expect(await readAsOfOneMoment(read, rowsStamp)).toBe('first')
    expect(calls).toEqual({ reads: 1, stamps: 1 })
  })

  it('reads everything again when a decision came in between, and answers the read the rows still match', async () => {
    const { calls, read, rowsStamp } = scripted(
      [
        { value: 'first', stamp: 'a' },
        { value: 'second', stamp: 'b' },
      ],
      ['b', 'b'],
    )
    expect(await readAsOfOneMoment(read, rowsStamp)).toBe('second')
    expect(calls).toEqual({ reads: 2, stamps: 2 })
  })

  it(`gives up after ${READS_AGAINST_TEXT} reads each crossed by a decision, answering the last as read without asking the rows again`, async () => {
    const { calls, read, rowsStamp } = scripted(
      [
        { value: 'first', stamp: 'a' },
        { value: 'second', stamp: 'b' },
        { value: 'third', stamp: 'c' },
        { value: 'fourth', stamp: 'd' },
      ],
      ['b', 'c', 'd'],
    )
    expect(await readAsOfOneMoment(read, rowsStamp)).toBe('third')
    expect(calls).toEqual({ reads: READS_AGAINST_TEXT, stamps: READS_AGAINST_TEXT - 1 })
  })

  it('answers at once a read that did not read the text, without asking the rows again', async () => {
    const { calls, read, rowsStamp } = scripted([{ value: 'rows only', stamp: null }], [])
    expect(await readAsOfOneMoment(read, rowsStamp)).toBe('rows only')
    expect(calls).toEqual({ reads: 1, stamps: 0 })
  })

  it('lets a read’s failure through, not reading again', async () => {
    let reads = 0
    const failing = async (): Promise<StampedRead<string>> => {
      reads += 1
      throw new Error('no such amendment')
    }
    await expect(readAsOfOneMoment(failing, async () => 'a')).rejects.toThrow('no such amendment')
    expect(reads).toBe(1)
  })
})
