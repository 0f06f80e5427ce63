import { stringifyJson } from "../rails/ecommpay/json"
import { signParams } from "../rails/ecommpay/signature"
import type { SandboxCallbackScript, SandboxDeliveryRecord } from "./types"

export type DeliveryOptions = {
  secretKey: string
  /** Pauses between attempts after a non-200 answer; ECommPay's real schedule is 6 × 10 s, then growing. */
  retryDelaysMs: number[]
  timeoutMs: number
  log: (record: SandboxDeliveryRecord) => void
}

type Pending = { paymentId: string; send: () => Promise<void> }

/**
 * Sends signed callbacks the way Gate does: POST JSON, delivered once the receiver answers 200, otherwise retried.
 * Scripts can delay, drop, duplicate, reorder or tamper with them.
 */
export class CallbackDelivery {
  private readonly held = new Map<string, Pending[]>()
  private readonly inFlight = new Set<Promise<void>>()
  private closed = false

  constructor(private readonly options: DeliveryOptions) {}

  /** Callbacks signed from now on use this key (the project's secret was rotated in ECommPay's dashboard). */
  setSecretKey(secretKey: string): void {
    this.options.secretKey = secretKey
  }

  send(
    url: string | undefined,
    body: Record<string, unknown>,
    meta: { paymentId: string; operationId?: number; operationType?: string; paymentStatus: string },
    script: SandboxCallbackScript = {}
  ): void {
    if (!url || script.drop || this.closed) return
    const unsigned = { ...body }
    script.mutate?.(unsigned)
    const signed = { ...unsigned, signature: signParams(unsigned, this.options.secretKey) }
    script.tamper?.(signed)
    const text = stringifyJson(signed)
    const copies = 1 + Math.max(0, script.duplicates ?? 0)

    const sendAll = async (): Promise<void> => {
      if (script.delayMs) await sleep(script.delayMs)
      await Promise.all(Array.from({ length: copies }, () => this.deliver(url, text, meta)))
    }

    // Whatever was held for this payment goes out right after this callback: that is the reordering.
    const released = this.held.get(meta.paymentId) ?? []
    this.held.delete(meta.paymentId)
    if (script.reorder) {
      this.held.set(meta.paymentId, [...released, { paymentId: meta.paymentId, send: sendAll }])
      return
    }
    this.track(
      sendAll().then(async () => {
        for (const pending of released) await pending.send()
      })
    )
  }

  /** Resolves once every callback started so far has been delivered or given up. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight])
  }

  close(): void {
    this.closed = true
    this.held.clear()
  }

  private track(promise: Promise<void>): void {
    const tracked = promise.catch(() => undefined).finally(() => this.inFlight.delete(tracked))
    this.inFlight.add(tracked)
  }

  private async deliver(
    url: string,
    text: string,
    meta: { paymentId: string; operationId?: number; operationType?: string; paymentStatus: string }
  ): Promise<void> {
    const schedule = this.options.retryDelaysMs
    for (let attempt = 1; attempt <= schedule.length + 1 && !this.closed; attempt++) {
      const record: SandboxDeliveryRecord = {
        at: new Date().toISOString(),
        ...meta,
        url,
        attempt,
        body: text,
      }
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: text,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        })
        record.httpStatus = response.status
        await response.arrayBuffer().catch(() => undefined)
      } catch (error) {
        record.error = (error as Error).message
      }
      this.options.log(record)
      if (record.httpStatus === 200) return
      if (attempt <= schedule.length) await sleep(schedule[attempt - 1])
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
