import { createHmac } from "node:crypto"
import type { FlutterwaveV3WebhookScript, SandboxV3Delivery, SandboxV3Undelivered, SandboxV3WebhookBody } from "./types"

/** Flutterwave's documented schedule: 3 retries, 30 minutes apart. */
export const FLUTTERWAVE_V3_RETRY_DELAYS_MS: readonly number[] = Object.freeze([1_800_000, 1_800_000, 1_800_000])
/** Flutterwave waits 60 s for the merchant's answer. */
export const FLUTTERWAVE_V3_WEBHOOK_TIMEOUT_MS = 60_000

/**
 * The sandbox's background work (settle timers, webhook attempts and the pauses between them), kept in one place so
 * that tests can await all of it (idle) and reset/close can cancel all of it at once: timers are unref'd and cleared,
 * sleepers woken, requests in flight aborted, and anything finishing after a cancel sees a new `epoch` and records
 * nothing, so a reset sandbox never shows the previous test's deliveries.
 */
export class PendingWork {
  private readonly pending = new Set<Promise<void>>()
  private readonly sleepers = new Map<NodeJS.Timeout, () => void>()
  private controller = new AbortController()
  private currentEpoch = 0

  /** Changes at every cancel: work started under an older epoch must stop. */
  get epoch(): number {
    return this.currentEpoch
  }

  /** Aborted at the next cancel. */
  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** Counts `promise` as pending until it settles (its failure is the caller's to log; here it is swallowed). */
  track(promise: Promise<unknown>): void {
    const tracked: Promise<void> = promise.then(
      () => undefined,
      () => undefined
    )
    this.pending.add(tracked)
    void tracked.finally(() => this.pending.delete(tracked))
  }

  /** Sleeps `ms` on an unref'd timer; true when the time passed, false when a cancel cut it short. */
  sleep(ms: number): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(true)
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.sleepers.delete(timer)
        resolve(true)
      }, ms)
      timer.unref()
      this.sleepers.set(timer, () => resolve(false))
    })
  }

  /** Runs `task` after `ms` unless cancelled first; counted as pending until it has run. */
  later(ms: number, task: () => void): void {
    const epoch = this.currentEpoch
    this.track(
      this.sleep(ms).then((elapsed) => {
        if (elapsed && epoch === this.currentEpoch) task()
      })
    )
  }

  /** Resolves once nothing is pending, including work that pending work started. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }

  /** Stops everything scheduled or in flight. */
  cancelAll(): void {
    this.currentEpoch++
    for (const [timer, wake] of this.sleepers) {
      clearTimeout(timer)
      wake()
    }
    this.sleepers.clear()
    this.controller.abort()
    this.controller = new AbortController()
  }
}

export type WebhookDeliveryOptions = {
  work: PendingWork
  secretHash: string
  sign: boolean
  retryDelaysMs: readonly number[]
  timeoutMs: number
  onAttempt: (delivery: SandboxV3Delivery) => void
  onUndelivered: (record: SandboxV3Undelivered) => void
}

/** The headers Flutterwave sends with a webhook body. */
export function webhookHeaders(rawBody: string, secretHash: string, sign: boolean): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json", "verif-hash": secretHash }
  if (sign) headers["flutterwave-signature"] = createHmac("sha256", secretHash).update(rawBody, "utf8").digest("base64")
  return headers
}

/**
 * Sends webhooks as Flutterwave does: POST JSON with `verif-hash`; a 200 ends it; anything else, or no answer within
 * the timeout, is retried on the schedule, then given up. Scripts drop, delay, duplicate or falsify them.
 */
export class WebhookDelivery {
  private closed = false

  constructor(private readonly options: WebhookDeliveryOptions) {}

  close(): void {
    this.closed = true
  }

  /** The raw body and headers a webhook `body` would be sent with (after a script's mutate). */
  render(body: SandboxV3WebhookBody, script: FlutterwaveV3WebhookScript = {}): { body: string; headers: Record<string, string> } {
    // A deep copy, so a lying body never changes the sandbox's own records.
    const sent = structuredClone(body)
    script.mutate?.(sent)
    const text = JSON.stringify(sent)
    return { body: text, headers: webhookHeaders(text, this.options.secretHash, this.options.sign) }
  }

  send(url: string | undefined, body: SandboxV3WebhookBody, script: FlutterwaveV3WebhookScript = {}): void {
    if (this.closed) return
    const rendered = this.render(body, script)
    const { event } = body
    if (!url || script.drop) {
      this.options.onUndelivered({ ...rendered, reason: url ? "dropped" : "no webhook url", at: Date.now(), event })
      return
    }
    const { work } = this.options
    const epoch = work.epoch
    const copies = 1 + Math.max(0, Math.floor(script.duplicates ?? 0))
    const run = async (): Promise<void> => {
      if (script.delayMs && !(await work.sleep(script.delayMs))) return
      if (epoch !== work.epoch) return
      await Promise.all(Array.from({ length: copies }, () => this.deliver(url, rendered, event, epoch)))
    }
    work.track(run())
  }

  private async deliver(url: string, rendered: { body: string; headers: Record<string, string> }, event: string, epoch: number): Promise<void> {
    const { work, retryDelaysMs } = this.options
    for (let attempt = 1; attempt <= retryDelaysMs.length + 1; attempt++) {
      const status = await this.attempt(url, rendered)
      if (epoch !== work.epoch || this.closed) return
      this.options.onAttempt({ ...rendered, headers: { ...rendered.headers }, status, at: Date.now(), url, attempt, event })
      if (status === 200) return
      if (attempt <= retryDelaysMs.length && !(await work.sleep(retryDelaysMs[attempt - 1]))) return
      if (epoch !== work.epoch || this.closed) return
    }
  }

  /** One POST; the merchant's status, or 0 for no answer (refused, reset, timed out, or cancelled). */
  private async attempt(url: string, rendered: { body: string; headers: Record<string, string> }): Promise<number> {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: rendered.headers,
        body: rendered.body,
        signal: AbortSignal.any([this.options.work.signal, AbortSignal.timeout(this.options.timeoutMs)]),
      })
      // Read the answer to the end so the connection is released; its content does not matter.
      await response.arrayBuffer().catch(() => undefined)
      return response.status
    } catch {
      return 0
    }
  }
}
