import { FlutterwavePaymentError } from "./errors"
import { messageOf } from "./session"

/**
 * One call's time budget and the caller's AbortSignal. Every wait and every request goes through it, so a call never
 * outlives `timeoutMs` nor an abort, and the error says which of the two stopped it.
 */
export class Waiting {
  private readonly deadline: number
  /** The last passing failure (network, 5xx), quoted in the timeout message. */
  lastProblem?: unknown

  constructor(
    private readonly timeoutMs: number,
    private readonly what: string,
    private readonly signal: AbortSignal | undefined,
    private readonly sessionId?: () => string | undefined
  ) {
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`timeoutMs must be a positive number of milliseconds, not ${timeoutMs}`)
    this.deadline = Date.now() + timeoutMs
    this.checkAborted()
  }

  /**
   * A budget for a step that must not be cut short once it starts (placing the order of a paid cart): what is left
   * of this one, but at least `minMs`.
   */
  atLeast(minMs: number, what: string): Waiting {
    return new Waiting(Math.max(this.deadline - Date.now(), minMs), what, this.signal, this.sessionId)
  }

  /** Waits `ms` before the next request, or gives up now if that request would fall after the deadline. */
  async pause(ms: number): Promise<void> {
    this.checkAborted()
    if (Date.now() + ms >= this.deadline) throw this.timeout()
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer)
        reject(this.aborted())
      }
      const timer = setTimeout(() => {
        this.signal?.removeEventListener("abort", onAbort)
        resolve()
      }, ms)
      this.signal?.addEventListener("abort", onAbort, { once: true })
    })
  }

  /**
   * Runs one request within the budget. The request gets a signal that fires at the deadline or on abort; a request
   * that ignores it is no longer waited for.
   */
  async run<T>(request: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.checkAborted()
    const remaining = this.deadline - Date.now()
    if (remaining <= 0) throw this.timeout()
    const controller = new AbortController()
    let onStop: () => void = () => undefined
    const stopped = new Promise<never>((_, reject) => {
      onStop = () => {
        controller.abort()
        reject(this.signal?.aborted ? this.aborted() : this.timeout())
      }
    })
    const timer = setTimeout(onStop, remaining)
    this.signal?.addEventListener("abort", onStop, { once: true })
    try {
      return await Promise.race([request(controller.signal), stopped])
    } catch (error) {
      if (this.signal?.aborted) throw this.aborted(error)
      if (controller.signal.aborted) throw this.timeout(error)
      throw error
    } finally {
      clearTimeout(timer)
      this.signal?.removeEventListener("abort", onStop)
    }
  }

  checkAborted(): void {
    if (this.signal?.aborted) throw this.aborted()
  }

  private aborted(cause?: unknown): FlutterwavePaymentError {
    if (cause instanceof FlutterwavePaymentError && cause.code === "aborted") return cause
    return new FlutterwavePaymentError("aborted", `Stopped waiting for ${this.what}: the page aborted it`, this.details(cause))
  }

  private timeout(cause?: unknown): FlutterwavePaymentError {
    if (cause instanceof FlutterwavePaymentError && (cause.code === "timeout" || cause.code === "aborted")) return cause
    const seconds = Math.round(this.timeoutMs / 100) / 10
    const problem = this.lastProblem === undefined ? "" : ` (last problem: ${messageOf(this.lastProblem)})`
    return new FlutterwavePaymentError("timeout", `No answer about ${this.what} within ${seconds} s${problem}; please try again`, this.details(cause ?? this.lastProblem))
  }

  private details(cause: unknown): { sessionId?: string; cause?: unknown } {
    const sessionId = this.sessionId?.()
    return { ...(sessionId === undefined ? {} : { sessionId }), ...(cause === undefined ? {} : { cause }) }
  }
}
