/**
 * One procedural step of a resolution at a time: tabling, decisions,
 * compromises and stage moves of one resolution queue behind each other, so
 * two of them never rebase on, or hash, the same moment of the text, and a
 * decision never lands between the checks and the record of a stage move.
 * Steps of different resolutions run side by side.
 */
export class ResolutionTurns {
  private readonly queues = new Map<string, Promise<unknown>>()

  run<T>(resolutionId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(resolutionId) ?? Promise.resolve()
    const next = previous.catch(() => {}).then(work)
    this.queues.set(resolutionId, next)
    void next
      .finally(() => {
        if (this.queues.get(resolutionId) === next) this.queues.delete(resolutionId)
      })
      .catch(() => {})
    return next
  }
}
