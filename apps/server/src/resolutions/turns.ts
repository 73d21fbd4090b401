/**
 * One change of a resolution at a time on this instance: work queued for a
 * resolution starts when the previous one has finished, whatever its outcome.
 * Between instances, the database decides (conditional updates).
 */
export class Turns {
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
