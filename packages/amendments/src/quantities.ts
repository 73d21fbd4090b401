import { MONTHS, WEEKDAYS } from './datesAndTimes.ts'
import type { Edit } from './edits.ts'
import { isWord, type Token } from './tokens.ts'
import { asSeen } from './words.ts'

/**
 * An amount, a date, a time or a period written over several words: "2
 * millions 500 000 euros", "cinq cent mille", "le douze mars deux mille
 * vingt-quatre", "10 heures et 30 minutes", "2 años y 6 meses". Each side
 * changing one part of it merged into an amount or a date nobody wrote ("3
 * millions 600 000" from "3 millions" on one side and "600 000" on the
 * other). The tokenizer joins figures and dates written with digits into
 * one word; these are the ones it cannot join, read from their words.
 */

const NUMBER_WORDS = new Set(
  [
    // French
    'zéro un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt vingts trente quarante cinquante soixante septante huitante octante nonante cent cents mille million millions milliard milliards billion billions premier première demi demie quart quarts tiers moitié dizaine dizaines douzaine douzaines vingtaine centaine centaines millier milliers',
    // English
    'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion billions trillion trillions half quarter quarters third thirds dozen dozens',
    // Spanish
    'cero uno una dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis diecisiete dieciocho diecinueve veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa cien ciento cientos doscientos doscientas trescientos trescientas cuatrocientos cuatrocientas quinientos quinientas seiscientos seiscientas setecientos setecientas ochocientos ochocientas novecientos novecientas mil millón millones billón billones medio media cuarto cuartos tercio tercios docena docenas',
    // Ordinals, the day of a date or the rank of a weekday in it ("the first of May 2024", "el primero de marzo", "le
    // deuxième jeudi de mai"): changed on one side, the month or the year on the other, they wrote a date nobody wrote.
    // Compounds are read in their parts: "twenty-first", "dix-septième", "vingt et unième".
    'premiers premières unième deuxième second seconde troisième quatrième cinquième sixième septième huitième neuvième dixième onzième douzième treizième quatorzième quinzième seizième vingtième trentième quarantième cinquantième soixantième centième millième',
    'first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth hundredth thousandth millionth',
    'primero primera primer segundo segunda tercero tercera tercer cuarta quinto quinta sexto sexta séptimo séptima octavo octava noveno novena décimo décima',
  ]
    .join(' ')
    .split(' '),
)

/** Units an amount, a time or a period is counted in. */
const UNITS = new Set(
  [
    'heure heures h minute minutes min seconde secondes jour jours semaine semaines mois an ans année années siècle siècles euro euros dollar dollars franc francs livre livres degré degrés',
    'hour hours minute minutes second seconds day days week weeks month months year years century centuries euro euros dollar dollars pound pounds percent degree degrees',
    'hora horas minuto minutos segundo segundos día días semana semanas mes meses año años siglo siglos euro euros dólar dólares peso pesos grado grados',
    // Scales a figure is read on: "1,5 degré Celsius" and "1,5 degré Fahrenheit" are not the same amount.
    'celsius fahrenheit kelvin',
    // Whose currency: "5 million US dollars" and "5 million Canadian dollars" are not the same amount either.
    'us canadian australian american canadiens australiens américains estadounidenses canadienses australianos sterling',
    'libra libras yen yuan rouble roubles ruble rubles rublo rublos roupie roupies rupee rupees rupia rupias',
    // What is weighed, measured or counted: "6 millions de tonnes" and "5 millions de kilos" are not one amount.
    'tonne tonnes tons tonelada toneladas kilo kilos kg kilogramme kilogrammes kilogram kilograms kilogramo kilogramos gramme grammes gram grams gramo gramos',
    'mètre mètres metre metres meter meters metro metros kilomètre kilomètres kilometre kilometres kilometer kilometers kilómetro kilómetros km mile miles milla millas',
    'hectare hectares hectárea hectáreas acre acres litre litres liter liters litro litros baril barils barrel barrels barril barriles gallon gallons galón galones',
    'carré carrés square cuadrado cuadrados cubic cúbico cúbicos metric métrique métriques métrica métricas',
    // Noon and midnight are hours: "twelve noon", "à midi trente".
    'midi minuit noon midnight mediodía medianoche',
  ]
    .join(' ')
    .split(' '),
)

/**
 * Parts of a legal reference: "l'article 5, paragraphe 3" with "article 6"
 * on one side and "paragraphe 4" on the other cites a provision nobody
 * cited. A comma links two parts when one of these follows it.
 */
const REFERENCES = new Set(
  [
    'article articles art alinéa alinéas paragraphe paragraphes annexe annexes chapitre chapitres section sections',
    'article articles paragraph paragraphs subparagraph subparagraphs annex annexes chapter chapters section sections',
    'artículo artículos apartado apartados párrafo párrafos inciso incisos anexo anexos capítulo capítulos sección secciones',
  ]
    .join(' ')
    .split(' '),
)

/**
 * Whose currency, matched as written: "francs suisses", "Swiss francs",
 * "francs CFA"; "la Suisse" is a country, not a currency, and a fund "pour
 * la Suisse" is not one amount with the millions before it; nor is "Franco", a
 * name, the "francos" of "5 millones de francos".
 */
const CURRENCY_OF = new Set('suisse suisses suizo suizos Swiss CFA franco francos'.split(' '))

/** Weekdays name the day of a date ("le deuxième jeudi de mai 2024"); English capitalises them, as its months. */
const MONTH_NAMES = new Set([...MONTHS.fr, ...MONTHS.es, ...WEEKDAYS.fr, ...WEEKDAYS.es])
const ENGLISH_MONTHS = new Set([...MONTHS.en, ...WEEKDAYS.en])

/**
 * Which part of the day a time is in, or that it is on the hour: "ten
 * o’clock in the evening", "10 heures du soir", "las diez de la noche" (one
 * side changing the hour, the other "du matin" to "du soir", wrote a time
 * nobody wrote). Read as one part of a time only after another part: "in"
 * and "at" are too common to link anything else, and "mañana" and "tarde"
 * are also "tomorrow" and "late", so these never start an amount.
 */
const TIMES_OF_DAY = [
  'o clock',
  'in the morning',
  'in the afternoon',
  'in the evening',
  'at night',
  'du matin',
  'de l après midi',
  'du soir',
  'de la nuit',
  'de la mañana',
  'de la tarde',
  'de la noche',
  'de la madrugada',
  'del mediodía',
].map((phrase) => phrase.split(' '))

/** Words that may stand between two parts of one amount or date: "10 heures et 30", "le 12 du mois de mars", "2 años y 6 meses", "3 pour cent", "half past ten", "ten to eleven", "dix heures moins le quart". */
const LINKS = new Set('et de du des d à au le la l and of the to y e a al el per pour por past moins menos'.split(' '))

/** Marks inside an amount or a date: "vingt-quatre", "d'euros", "1/2". */
const BRIDGES = /^[-‐‑–'’/]$/u

/** Spanish twenties and teens written as one word: "veinticinco", "dieciséis". */
const SPANISH_COMPOUND = /^(?:veinti|dieci)\p{L}+$/u

/**
 * Looked up as seen (`asSeen`): a soft hyphen in "mil\u00adlions", a combining grapheme joiner after "millions", a
 * zero-width space in "fir\u200bst" made a word the lists did not know, which ended the amount, and two sides each
 * changing one part of it merged into one nobody wrote (a hostile review).
 */
function isQuantityWord(written: string): boolean {
  const text = asSeen(written)
  const word = text.toLowerCase()
  // A figure starts with its digits ("1er", "2024", "10h30"); "w0" is a name.
  return (
    /^\p{N}/u.test(word) ||
    NUMBER_WORDS.has(word) ||
    UNITS.has(word) ||
    REFERENCES.has(word) ||
    MONTH_NAMES.has(word) ||
    ENGLISH_MONTHS.has(text) ||
    CURRENCY_OF.has(text) ||
    SPANISH_COMPOUND.test(word)
  )
}

/** A token the tokenizer joined ("mars 2024", "1 000") is part of an amount when one of its words is. */
function isQuantity(token: Token): boolean {
  if (!isWord(token)) return /^(?:\p{Sc}|[%‰‱])$/u.test(token.text)
  return token.text.split(/[\s.]+/u).some((word) => asSeen(word) !== '' && isQuantityWord(word))
}

/** A word that may link two parts of one amount ("et", "of", "y"). */
const isLink = (token: Token) => isWord(token) && LINKS.has(asSeen(token.text).toLowerCase())

/** Spaces (or nothing, next to an edit) and marks inside an amount: what stands between an amount and an edit that goes on with it. */
/**
 * Spaces, bridges, and characters nobody sees standing between words (a word joiner, a zero-width space, a soft
 * hyphen beside a space): read as ending the amount, one typed after "first" let "the second of May 2025" merge from
 * "second" on one side and "2025" on the other (a hostile review).
 */
const isBlankOrBridge = (token: Token) => /^\s*$/u.test(asSeen(token.text)) || BRIDGES.test(token.text)

/** At most this many linking words between two parts of one amount. */
const MOST_LINKS = 2

/** The spans [from, to) of `tokens` that are amounts, dates, times or periods of two parts or more. */
export function quantitySpans(tokens: readonly Token[]): ReadonlyArray<readonly [number, number]> {
  // Read once per paragraph: a paragraph's amendments are compared pair by pair over the same tokens.
  let known = spansOf.get(tokens)
  if (!known) spansOf.set(tokens, (known = readQuantitySpans(tokens)))
  return known
}

const spansOf = new WeakMap<readonly Token[], ReadonlyArray<readonly [number, number]>>()

function readQuantitySpans(tokens: readonly Token[]): Array<[number, number]> {
  const spans: Array<[number, number]> = []
  let from = -1
  let to = -1
  let parts = 0
  let links = 0
  const close = () => {
    if (parts >= 2) spans.push([from, to])
    from = -1
    parts = 0
    links = 0
  }
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!
    const timeOfDay = from < 0 ? index : timeOfDayEnd(tokens, index)
    if (isQuantity(token)) {
      if (from < 0) from = index
      to = index + 1
      parts++
      links = 0
    } else if (from < 0) {
      continue
    } else if (timeOfDay > index) {
      to = timeOfDay
      index = to - 1
      parts++
      links = 0
    } else if (token.text !== '' && isBlankOrBridge(token)) {
      continue
    } else if (isLink(token) && ++links <= MOST_LINKS) {
      continue
    } else if (token.text === ',' && REFERENCES.has(nextWord(tokens, index + 1)) && ++links <= MOST_LINKS) {
      continue
    } else {
      close()
    }
  }
  close()
  return spans
}

/** The first word of `tokens` from `start` on, lower-cased, past spaces; '' if none. */
function nextWord(tokens: readonly Token[], start: number): string {
  for (let index = start; index < tokens.length; index++) {
    const token = tokens[index]!
    if (isWord(token)) return token.text.toLowerCase()
    if (!/^\s+$/u.test(token.text)) return ''
  }
  return ''
}

/**
 * Where a time of day ("in the evening", "du soir", "o’clock") read from
 * `start` ends, past its spaces and marks ("o’clock", "l’après-midi");
 * `start` itself if none starts there.
 */
function timeOfDayEnd(tokens: readonly Token[], start: number): number {
  for (const phrase of TIMES_OF_DAY) {
    let index = start
    let matched = 0
    while (matched < phrase.length && index < tokens.length) {
      const token = tokens[index]!
      const word = isWord(token) ? asSeen(token.text).toLowerCase() : ''
      if (word !== '') {
        if (word !== phrase[matched]) break
        matched++
      } else if (matched === 0 || !isBlankOrBridge(token)) {
        break
      }
      index++
    }
    if (matched === phrase.length) return index
  }
  return start
}

/** Whether an edit changes something inside a span: what it replaces meets the span, or it inserts between two of its tokens. */
function changesInside(edit: Edit, [from, to]: readonly [number, number]): boolean {
  return edit.from === edit.to ? from < edit.from && edit.from < to : edit.from < to && edit.to > from
}

const solidBefore = new WeakMap<readonly Token[], Uint32Array>()

/**
 * The amounts among `spans` of `base` (by index) an edit changes: inside
 * one, or by writing more of it at either end ("2 millions" → "2 millions
 * 500 000", "cent vingt mille" → "deux cent vingt mille", "2 años" → "2
 * años y 6 meses"). Those, with the other side changing a part ("3
 * millions"), made an amount nobody wrote. Words written next to it that do
 * not go on with it ("en 2025", "pour la paix") leave it alone. Read once
 * per edit, the blanks between an edit and an amount counted once for the
 * paragraph: asked of every pair of two sides' changes and every amount,
 * the blanks sliced out each time, a paragraph of 10,000 characters with 52
 * amounts and 250 changes a side held the event loop 3 to 25 s.
 */
export function amountsChangedIn(base: readonly Token[], spans: ReadonlyArray<readonly [number, number]>): (edit: Edit) => ReadonlySet<number> {
  // solid[i]: how many tokens before i are neither blank nor a bridge; between two places, none when equal.
  let solid = solidBefore.get(base)
  if (!solid) {
    solid = new Uint32Array(base.length + 1)
    for (const [index, token] of base.entries()) solid[index + 1] = solid[index]! + (isBlankOrBridge(token) ? 0 : 1)
    solidBefore.set(base, solid)
  }
  const blank = (start: number, end: number) => start >= end || solid[end]! === solid[start]!
  return (edit) => {
    const changed = new Set<number>()
    let after: boolean | undefined
    let before: boolean | undefined
    for (const [index, span] of spans.entries()) {
      const [from, to] = span
      if (changesInside(edit, span)) changed.add(index)
      else if (edit.from >= to && blank(to, edit.from)) {
        if ((after ??= goesOn(edit.insert))) changed.add(index)
      } else if (edit.to <= from && blank(edit.to, from)) {
        if ((before ??= goesOn([...edit.insert].reverse()))) changed.add(index)
      }
    }
    return changed
  }
}

/**
 * Whether `tokens`, read from the amount outward, go on with it: a part of
 * an amount first, or after at most two linking words; after it, a time of
 * day ("ten o’clock" → "ten o’clock in the evening").
 */
function goesOn(tokens: readonly Token[]): boolean {
  let links = 0
  for (const [index, token] of tokens.entries()) {
    if (isBlankOrBridge(token)) continue
    if (isQuantity(token) || timeOfDayEnd(tokens, index) > index) return true
    if (!(isLink(token) && ++links <= MOST_LINKS)) return false
  }
  return false
}
