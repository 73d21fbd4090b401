import { inAnyCase } from './anyCase.ts'
import { WORD_CHARACTER } from './wordCharacters.ts'

/**
 * Dates and times written with words, as regular expression sources for the
 * tokenizer (words.ts): "mardi 12 mars 2024", "March 12, 2024", "1º de
 * enero", "10 heures et demie", "las 10 y media". A reader takes each as one
 * thing: read as several words, one amendment changing the day and another
 * the year, the month untouched between them, both applied ("13 mars 2025",
 * a date neither proposed). In the alliance's three languages.
 */

/** Nothing of a word goes on after: "mars" is not the start of "marsupial". */
const ENDS = `(?!${WORD_CHARACTER})`
/** As between the groups of a figure (words.ts): a space of any width, typed up to three times. */
const SPACE = String.raw`\p{Zs}{1,3}`

/** English capitalises its months and days; lower case, "may", "march" and "august" are other words. */
const capitalised = (name: string) => `${name.replace('.', String.raw`\.`)}|${name.toUpperCase().replace('.', String.raw`\.`)}`

const anyOf = (names: readonly string[], spell: (name: string) => string) => `(?:${names.map(spell).join('|')})`

export const MONTHS = {
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'setiembre', 'octubre', 'noviembre', 'diciembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
}
/** Abbreviations count only with their point: "sept" alone is the French seven, "mar" the Spanish sea. Spanish "may." is left out: English "may." ends sentences. */
const ABBREVIATED = {
  fr: ['janv.', 'févr.', 'fév.', 'avr.', 'juil.', 'sept.', 'oct.', 'nov.', 'déc.'],
  es: ['ene.', 'feb.', 'mar.', 'abr.', 'jun.', 'jul.', 'ago.', 'sep.', 'sept.', 'oct.', 'nov.', 'dic.'],
  en: ['Jan.', 'Feb.', 'Mar.', 'Apr.', 'Jun.', 'Jul.', 'Aug.', 'Sep.', 'Sept.', 'Oct.', 'Nov.', 'Dec.'],
}
export const WEEKDAYS = {
  fr: ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'],
  es: ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
}

const MONTH = `(?:${anyOf([...MONTHS.fr, ...MONTHS.es], inAnyCase)}${ENDS}|${anyOf(MONTHS.en, capitalised)}${ENDS}|${anyOf([...ABBREVIATED.fr, ...ABBREVIATED.es], inAnyCase)}|${anyOf(ABBREVIATED.en, capitalised)})`
const WEEKDAY = `(?:${anyOf([...WEEKDAYS.fr, ...WEEKDAYS.es], inAnyCase)}|${anyOf(WEEKDAYS.en, capitalised)})${ENDS}`

/**
 * Where a figure would go on (words.ts's NUMBER_JOINT, looked at from before
 * it): a day or a year is not cut out of "1,000" or "2024/2025".
 */
const FIGURE_GOES_ON = String.raw`[.,'’\u066b\u066c/:\-\u2010\u2011]\p{Nd}|\p{Zs}{1,3}\p{Nd}{3}(?!\p{Nd})`
const NUMBER_ENDS = `(?!${WORD_CHARACTER}|${FIGURE_GOES_ON})`

/** "12", "1er", "1re", "2e", "12th", "1º", "1.º", or a range of days, "30-31". */
const ORDINAL = String.raw`(?:er|re|e|ème|st|nd|rd|th|\.?[ºª°])?`
const ONE_DAY = String.raw`\p{Nd}{1,2}${ORDINAL}`
const DAY = String.raw`${ONE_DAY}(?:\p{Zs}?[-–‑]\p{Zs}?${ONE_DAY})?`
const YEAR = String.raw`\p{Nd}{4}${NUMBER_ENDS}`
/** Spanish "de marzo de 2024", "del 2024"; English "the 12th of March". */
const DAY_OF = `(?:(?:${inAnyCase('de')}|of)${SPACE})?`
const YEAR_OF = `(?:${inAnyCase('del')}${SPACE}|${inAnyCase('de')}${SPACE})?`

const DAY_FIRST = `${DAY}${SPACE}${DAY_OF}${MONTH}(?:,?${SPACE}${YEAR_OF}${YEAR})?`
const MONTH_FIRST = `${MONTH}${SPACE}${DAY}${NUMBER_ENDS}(?:,?${SPACE}${YEAR})?`
const MONTH_AND_YEAR = `${MONTH}${SPACE}${YEAR_OF}${YEAR}`

/** A date with its month in words: "le 12 mars 2024", "Tuesday, March 12, 2024", "12 de marzo de 2024", "mars 2024". */
export const DATE = `(?:(?:${WEEKDAY},?${SPACE})?(?:${DAY_FIRST}|${MONTH_FIRST})|${MONTH_AND_YEAR})`

const HOUR = String.raw`\p{Nd}{1,2}`
/** "h", "heures", "horas": "10 h 30", "10 heures 30", "10 h et quart", "10 heures moins le quart"; the minutes may follow with no space ("10h30"), a letter may not ("10 hab."). */
const HOURS = String.raw`\p{Zs}{0,3}(?:h|${inAnyCase('heures')}|${inAnyCase('heure')}|${inAnyCase('horas')})(?![\p{L}\p{M}])\p{Zs}{0,3}`
const MINUTES = String.raw`\p{Nd}{2}(?!\p{Nd})`
const FRENCH_PART = `(?:${inAnyCase('et')}${SPACE}(?:${inAnyCase('demie')}|${inAnyCase('quart')})|${inAnyCase('moins')}${SPACE}(?:${inAnyCase('le')}${SPACE})?${inAnyCase('quart')})${ENDS}`
const SPANISH_PART = `(?:${inAnyCase('y')}${SPACE}(?:${inAnyCase('media')}|${inAnyCase('cuarto')})|${inAnyCase('menos')}${SPACE}${inAnyCase('cuarto')})${ENDS}`

/**
 * A time of more than two words: "10 h 30" ("10h30" is one word already),
 * "10 heures et demie", Spanish "10 y media". An hour and its unit alone
 * ("10 h", "9 a.m.") are two neighbouring words: a change to each touches
 * the other already.
 */
export const TIME = `${HOUR}(?:${HOURS}(?:${MINUTES}|${FRENCH_PART})|${SPACE}(?:${inAnyCase('horas')}${SPACE})?${SPANISH_PART})`
