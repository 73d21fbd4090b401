import type { AmendmentKind, AmendmentStatus, Language, Stage } from '@hemicycle/protocol'
import type { PendingTranslation } from './pendingTranslation.ts'

/**
 * The words documents are printed with, in the resolution's language (the
 * text stays in its own language, and so does everything printed around it).
 */
export interface Vocabulary {
  booklet: string
  redline: string
  line: string
  /** "tabled at §5, line 26": where an amendment was tabled, once its paragraph is cited otherwise (amendments reopened, numbers frozen afresh). */
  tabledAt: (citation: string) => string
  startOfText: string
  kinds: Record<AmendmentKind, string>
  insertAtStart: string
  tabledBy: string
  cosponsors: string
  none: string
  original: string
  proposed: string
  justification: string
  decision: string
  reason: string
  wordingAdopted: string
  awaiting: string
  compromise: string
  statuses: Record<AmendmentStatus, string>
  status: string
  delegation: string
  amendments: (count: number) => string
  legend: string
  changedBy: string
  unattributed: string
  /** A redline's author of a decision taken back: "A3 taken back". */
  takenBack: (amendment: string) => string
  /** A redline's author of a compromise's words, before the delegations it merged: "A5 (compromise of A1, A3)". */
  compromiseOf: (compromise: string, merged: string) => string
  version: string
  /** The text as it stands, compared without saving a version. */
  current: string
  /** What the server names the versions it saves itself (`versionLabelText`): on import, at creation, by a secretariat's save. */
  imported: string
  created: string
  saved: string
  /** The stages, as a version saved at a stage move names them ("Projet → Amendements ouverts"). */
  stages: Record<Stage, string>
  /** Introduce the two versions a redline compares. */
  from: string
  to: string
  page: string
  /** "Texte en espagnol": a language version's text, printed beside the original's. */
  textIn: (language: Language) => string
  /**
   * The note printed after a paragraph of a language version whose
   * translation is not the original's wording as it now reads: `due` (not
   * confirmed against it) or `missing`. `paragraph` is the original's § it
   * sends the reader to; null for a heading or a block before §1.
   */
  pending: (status: PendingTranslation, paragraph: string | null) => string
}

const LANGUAGE_NAMES: Record<Language, Record<Language, string>> = {
  fr: { fr: 'français', en: 'anglais', es: 'espagnol' },
  en: { fr: 'French', en: 'English', es: 'Spanish' },
  es: { fr: 'francés', en: 'inglés', es: 'español' },
}

export const VOCABULARY: Record<Language, Vocabulary> = {
  fr: {
    booklet: 'Cahier des amendements',
    redline: 'Texte comparé',
    line: 'ligne',
    tabledAt: (citation) => `déposé au ${citation}`,
    startOfText: 'début du texte',
    kinds: { replace: 'Remplacer', insertAfter: 'Insérer après', delete: 'Supprimer' },
    insertAtStart: 'Insérer au début du texte',
    tabledBy: 'Déposé par',
    cosponsors: 'Cosignataires',
    none: 'aucun',
    original: 'Texte original',
    proposed: 'Texte proposé',
    justification: 'Justification',
    decision: 'Décision',
    reason: 'Motif',
    wordingAdopted: 'Texte retenu',
    awaiting: 'en attente de décision',
    compromise: 'Amendement de compromis',
    statuses: {
      tabled: 'déposé',
      withdrawn: 'retiré',
      accepted: 'adopté',
      acceptedModified: 'adopté tel que modifié',
      rejected: 'rejeté',
      merged: 'fusionné dans un compromis',
      obsolete: 'sans objet',
      lapsed: 'caduc',
    },
    status: 'Statut',
    delegation: 'Délégation',
    amendments: (count) => (count === 1 ? '1 amendement' : `${count} amendements`),
    legend: 'Ajouts soulignés, suppressions barrées.',
    changedBy: 'Modifié par',
    unattributed: 'non attribué',
    takenBack: (amendment) => `${amendment} annulé`,
    compromiseOf: (compromise, merged) => `${compromise} (compromis de ${merged})`,
    version: 'Version',
    current: 'Texte actuel',
    imported: 'importée',
    created: 'créée',
    saved: 'enregistrée par le secrétariat',
    stages: { draft: 'Projet', amendments: 'Amendements ouverts', consolidation: 'Consolidation', final: 'Texte final', adopted: 'Adoptée' },
    from: 'De',
    to: 'À',
    page: 'page',
    textIn: (language) => `Texte en ${LANGUAGE_NAMES.fr[language]}`,
    pending: (status, paragraph) =>
      status === 'missing'
        ? `[Non traduit\u00a0: voir ${paragraph === null ? 'l’original' : `le §${paragraph} de l’original`}.]`
        : `[Traduction en attente\u00a0: ${paragraph === null ? 'ce passage n’a pas été confirmé au regard de l’original' : `ce paragraphe n’a pas été confirmé au regard du §${paragraph} de l’original`} dans sa rédaction actuelle.]`,
  },
  en: {
    booklet: 'Amendments booklet',
    redline: 'Redline',
    line: 'line',
    tabledAt: (citation) => `tabled at ${citation}`,
    startOfText: 'start of the text',
    kinds: { replace: 'Replace', insertAfter: 'Insert after', delete: 'Delete' },
    insertAtStart: 'Insert at the start of the text',
    tabledBy: 'Tabled by',
    cosponsors: 'Co-sponsors',
    none: 'none',
    original: 'Original text',
    proposed: 'Proposed text',
    justification: 'Justification',
    decision: 'Decision',
    reason: 'Reason',
    wordingAdopted: 'Wording adopted',
    awaiting: 'awaiting decision',
    compromise: 'Compromise amendment',
    statuses: {
      tabled: 'tabled',
      withdrawn: 'withdrawn',
      accepted: 'accepted',
      acceptedModified: 'accepted as modified',
      rejected: 'rejected',
      merged: 'merged into a compromise',
      obsolete: 'obsolete',
      lapsed: 'lapsed',
    },
    status: 'Status',
    delegation: 'Delegation',
    amendments: (count) => (count === 1 ? '1 amendment' : `${count} amendments`),
    legend: 'Insertions underlined, deletions struck through.',
    changedBy: 'Changed by',
    unattributed: 'unattributed',
    takenBack: (amendment) => `${amendment} taken back`,
    compromiseOf: (compromise, merged) => `${compromise} (compromise of ${merged})`,
    version: 'Version',
    current: 'Current text',
    imported: 'imported',
    created: 'created',
    saved: 'saved by the secretariat',
    stages: { draft: 'Draft', amendments: 'Amendments open', consolidation: 'Consolidation', final: 'Final text', adopted: 'Adopted' },
    from: 'From',
    to: 'To',
    page: 'page',
    textIn: (language) => `Text in ${LANGUAGE_NAMES.en[language]}`,
    pending: (status, paragraph) =>
      status === 'missing'
        ? `[Not translated: see ${paragraph === null ? 'the original' : `§${paragraph} of the original`}.]`
        : `[Translation pending: ${paragraph === null ? 'this passage has not been confirmed against the original' : `this paragraph has not been confirmed against §${paragraph} of the original`} as it now reads.]`,
  },
  es: {
    booklet: 'Cuaderno de enmiendas',
    redline: 'Texto comparado',
    line: 'línea',
    tabledAt: (citation) => `presentada en el ${citation}`,
    startOfText: 'inicio del texto',
    kinds: { replace: 'Sustituir', insertAfter: 'Insertar después de', delete: 'Suprimir' },
    insertAtStart: 'Insertar al inicio del texto',
    tabledBy: 'Presentada por',
    cosponsors: 'Copatrocinadores',
    none: 'ninguno',
    original: 'Texto original',
    proposed: 'Texto propuesto',
    justification: 'Justificación',
    decision: 'Decisión',
    reason: 'Motivo',
    wordingAdopted: 'Texto aprobado',
    awaiting: 'pendiente de decisión',
    compromise: 'Enmienda de compromiso',
    statuses: {
      tabled: 'presentada',
      withdrawn: 'retirada',
      accepted: 'aceptada',
      acceptedModified: 'aceptada con modificaciones',
      rejected: 'rechazada',
      merged: 'fusionada en un compromiso',
      obsolete: 'sin objeto',
      lapsed: 'caducada',
    },
    status: 'Estado',
    delegation: 'Delegación',
    amendments: (count) => (count === 1 ? '1 enmienda' : `${count} enmiendas`),
    legend: 'Adiciones subrayadas, supresiones tachadas.',
    changedBy: 'Modificado por',
    unattributed: 'sin atribuir',
    takenBack: (amendment) => `${amendment} anulada`,
    compromiseOf: (compromise, merged) => `${compromise} (compromiso de ${merged})`,
    version: 'Versión',
    current: 'Texto actual',
    imported: 'importada',
    created: 'creada',
    saved: 'guardada por la secretaría',
    stages: { draft: 'Proyecto', amendments: 'Enmiendas abiertas', consolidation: 'Consolidación', final: 'Texto final', adopted: 'Aprobada' },
    from: 'De',
    to: 'A',
    page: 'página',
    textIn: (language) => `Texto en ${LANGUAGE_NAMES.es[language]}`,
    pending: (status, paragraph) =>
      status === 'missing'
        ? `[Sin traducir: véase ${paragraph === null ? 'el original' : `el §${paragraph} del original`}.]`
        : `[Traducción pendiente: ${paragraph === null ? 'este pasaje no se ha confirmado con respecto al original' : `este párrafo no se ha confirmado con respecto al §${paragraph} del original`} en su redacción actual.]`,
  },
}

/** French sets a colon off with a space; English and Spanish do not. */
export const colon = (language: Language) => (language === 'fr' ? '\u00a0: ' : ': ')

/** The labels the server gives the versions it saves itself (`recordVersion`); any other label is a person's own words. */
export const SERVER_VERSION_LABELS = { imported: 'imported', created: 'created', saved: 'saved by the secretariat' } as const
const STAGE_MOVE = /^(draft|amendments|consolidation|final|adopted) → (draft|amendments|consolidation|final|adopted)$/

/**
 * A saved version's label in the document's language: the server stores its own labels in English ("imported",
 * "draft → amendments", "saved by the secretariat"), which a French or Spanish redline printed as they were. A label
 * a person gave is printed as written.
 */
export function versionLabelText(label: string, language: Language): string {
  const words = VOCABULARY[language]
  if (label === SERVER_VERSION_LABELS.imported) return words.imported
  if (label === SERVER_VERSION_LABELS.created) return words.created
  if (label === SERVER_VERSION_LABELS.saved) return words.saved
  const move = STAGE_MOVE.exec(label)
  return move ? `${words.stages[move[1] as Stage]} → ${words.stages[move[2] as Stage]}` : label
}
