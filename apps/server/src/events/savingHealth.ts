/**
 * Whether this instance is saving each resolution's documents (the original,
 * its language versions) or has changes waiting for the database. An event
 * stream opening says so at once: one that missed the `recovered` event, down
 * while the database came back, showed "saving is delayed" for good.
 */
export class SavingHealth {
  private readonly delayed = new Map<string, Set<string>>()

  note(resolutionId: string, documentName: string, health: 'delayed' | 'recovered'): void {
    const documents = this.delayed.get(resolutionId) ?? new Set<string>()
    if (health === 'delayed') documents.add(documentName)
    else documents.delete(documentName)
    if (documents.size > 0) this.delayed.set(resolutionId, documents)
    else this.delayed.delete(resolutionId)
  }

  of(resolutionId: string): 'delayed' | 'recovered' {
    return this.delayed.has(resolutionId) ? 'delayed' : 'recovered'
  }
}
