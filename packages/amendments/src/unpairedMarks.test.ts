import { describe, expect, it } from 'vitest'
import { keepsUnpairedMarks } from './unpairedMarks.ts'
import { markdownToWording } from './wording.ts'

const keeps = (markdown: string) => keepsUnpairedMarks(markdown, markdownToWording(markdown))

describe('marks Markdown left as written', () => {
  it('are found where bold or italic did not pair up (a hostile review: they reached the adopted text)', () => {
    for (const text of ["*L'*Alliance agit.", '_Conseil_s agit.', '***x** agit.', "**L'**Alliance agit.", '__Le__Conseil agit.', 'Le Conseil ** agit.', 'Article 5* et 6*', '5\\* et 6*']) {
      expect(keeps(text), text).toBe(true)
    }
  })

  it('are not found where none could be a mark, or the writer escaped them', () => {
    for (const text of ["**L'Alliance** agit.", '*Considérant* que', 'snake_case et foo_bar_baz', '3 * 4 = 12', 'Article 5\\*', '\\*\\*gras\\*\\*', 'a &ast; b&#42;', '\\_Conseil\\_s', '**a** et *b* et _c_']) {
      expect(keeps(text), text).toBe(false)
    }
  })
})
