import type { IncomingMessage, ServerResponse } from "node:http"
import { checkLatency, LoopbackServer, readBodyWithin } from "../listen"
import {
  FLUTTERWAVE_V3_MESSAGES,
  FlutterwaveV3Engine,
  SandboxV3AlreadyPaidError,
  SandboxV3NotFoundError,
  SandboxV3ScriptError,
  validateScript,
  validateWebhookScript,
} from "./engine"
import { alreadyPaidPage, hostedCheckoutPage, linkNotFoundPage } from "./page"
import type {
  FlutterwaveV3SandboxOptions,
  FlutterwaveV3Script,
  FlutterwaveV3WebhookScript,
  SandboxV3Delivery,
  SandboxV3Link,
  SandboxV3Refund,
  SandboxV3Request,
  SandboxV3Transaction,
  SandboxV3Transfer,
  SandboxV3Undelivered,
} from "./types"

/** What `links()` and `GET /_sandbox/transactions` show of a hosted link. */
export type SandboxV3LinkSummary = Pick<
  SandboxV3Link,
  "id" | "link" | "txRef" | "amount" | "currency" | "redirectUrl" | "email" | "payloadHashChecked" | "createdAt"
>

/**
 * Our local Flutterwave v3 (docs/flutterwave-v3-wire.md): a real HTTP server on 127.0.0.1 with the v3 API, a hosted
 * checkout page and webhooks, scriptable (FlutterwaveV3Script) and inspectable in-process (this class) and over HTTP
 * (`/_sandbox/*`, for the demo and browser tests running it in another process).
 */
export class FlutterwaveV3Sandbox {
  readonly engine: FlutterwaveV3Engine
  private readonly listener = new LoopbackServer("FlutterwaveV3Sandbox")
  private latencyMs: number

  constructor(private readonly options: FlutterwaveV3SandboxOptions) {
    this.latencyMs = checkLatency(options.latencyMs ?? 0)
    this.engine = new FlutterwaveV3Engine({ ...options, publicUrl: () => this.listener.baseUrl })
  }

  get url(): string {
    return this.listener.url
  }

  start(): Promise<string> {
    return this.listener.start(
      (req, res) => this.route(req, res),
      (res, error) => sendJson(res, 500, { status: "error", message: error.message, data: null }),
      this.options
    )
  }

  async close(): Promise<void> {
    this.engine.close()
    await this.listener.close()
  }

  /** Forgets everything, scripts too; webhook URL, refunds switch and latency go back to the constructor's. */
  reset(): void {
    this.engine.reset()
    this.latencyMs = this.options.latencyMs ?? 0
  }

  script(script: FlutterwaveV3Script): void {
    this.engine.script(script)
  }

  clearScripts(): void {
    this.engine.clearScripts()
  }

  setWebhookUrl(url: string | undefined): void {
    this.engine.setWebhookUrl(url)
  }

  setRefundsEnabled(enabled: boolean): void {
    this.engine.setRefundsEnabled(enabled)
  }

  /** How long every API answer is held back from now on. */
  setLatency(ms: number): void {
    this.latencyMs = checkLatency(ms)
  }

  get latency(): number {
    return this.latencyMs
  }

  /**
   * As the shopper on the latest hosted link of txRef: pay or fail. Returns the transaction made. Throws if there is
   * no link, or if the tx_ref is already paid. `webhook` scripts this charge's webhook delivery.
   */
  pay(txRef: string, outcome: "successful" | "failed" = "successful", webhook?: FlutterwaveV3WebhookScript): SandboxV3Transaction {
    const link = this.engine.latestLink(txRef)
    if (!link) throw new SandboxV3NotFoundError(`sandbox: no hosted link for tx_ref "${txRef}"`)
    if (webhook) validateWebhookScript(webhook)
    return copyTransaction(this.engine.charge(link, outcome, webhook))
  }

  /** What verify_by_reference would answer for txRef (a copy). */
  transaction(txRef: string): SandboxV3Transaction | undefined {
    const found = this.engine.transactionOf(txRef)
    return found ? copyTransaction(found) : undefined
  }

  transactions(): SandboxV3Transaction[] {
    return [...this.engine.transactions.values()].map(copyTransaction)
  }

  refunds(): SandboxV3Refund[] {
    return [...this.engine.refunds.values()].map((refund) => ({ ...refund }))
  }

  transfers(): SandboxV3Transfer[] {
    return [...this.engine.transfers.values()].map((transfer) => structuredClone(transfer))
  }

  links(): SandboxV3LinkSummary[] {
    return [...this.engine.links.values()].map(linkSummary)
  }

  settleRefund(refundId: number, status: "completed" | "failed"): SandboxV3Refund {
    return { ...this.engine.settleRefund(refundId, status) }
  }

  settleTransfer(transferId: number, status: "SUCCESSFUL" | "FAILED", message?: string): SandboxV3Transfer {
    return structuredClone(this.engine.settleTransfer(transferId, status, message))
  }

  /** The dashboard's test event (event "test_assess"). */
  sendTestWebhook(): void {
    this.engine.sendTestWebhook()
  }

  /** A charge.completed webhook body for a transaction (for tests delivering one themselves), and its headers. */
  chargeWebhook(transactionId: number): { body: string; headers: Record<string, string> } {
    return this.engine.chargeWebhook(transactionId)
  }

  /** Every webhook attempt made: raw body, headers sent, the merchant's HTTP status (0 = no answer). */
  get deliveries(): SandboxV3Delivery[] {
    return this.engine.deliveries
  }

  /** Webhooks never attempted: no webhook URL was set, or a script dropped them. */
  get undelivered(): SandboxV3Undelivered[] {
    return this.engine.undelivered
  }

  /** Every API request, as answered. */
  get requests(): SandboxV3Request[] {
    return this.engine.requests
  }

  /** Resolves once every scheduled settle and webhook delivery (including retries) has happened. */
  async webhooksDelivered(): Promise<void> {
    await this.engine.idle()
  }

  // ── HTTP ──────────────────────────────────────────────────────────────────────────────────────────────────────

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox")
    const path = url.pathname.replace(/\/+$/, "") || "/"
    const method = req.method ?? "GET"

    const hosted = /^\/v3\/hosted\/pay\/flwlnk-(\d+)(?:\/(pay|fail|cancel))?$/.exec(path)
    if (hosted) return this.hostedPage(req, res, Number(hosted[1]), hosted[2])

    if (path.startsWith("/v3/")) {
      const raw = method === "POST" || method === "PUT" ? await this.readBody(req, res) : Buffer.alloc(0)
      if (raw === undefined) return
      let body: unknown
      let bodyError: string | undefined
      const textBody = raw.toString("utf8")
      if (textBody.trim() !== "") {
        try {
          body = JSON.parse(textBody)
        } catch {
          bodyError = "Invalid JSON body"
        }
      }
      const answer = this.engine.handleApi({
        method,
        path,
        query: url.searchParams,
        authorization: req.headers.authorization,
        body,
        bodyError,
      })
      const heldMs = (answer.hangMs ?? 0) + this.latencyMs
      if (heldMs > 0) await this.engine.work.sleep(heldMs)
      if (res.destroyed) return
      return sendJson(res, answer.httpStatus, answer.body)
    }

    if (path === "/health") return sendJson(res, 200, { status: "ok" })
    if (path.startsWith("/_sandbox/")) return this.control(req, res, method, path.slice("/_sandbox".length))
    return sendJson(res, 404, { status: "error", message: "Not found", data: null })
  }

  private async hostedPage(req: IncomingMessage, res: ServerResponse, linkId: number, action?: string): Promise<void> {
    const link = this.engine.links.get(linkId)
    const wantsJson = (req.headers.accept ?? "").includes("application/json")
    if (!link) {
      if (wantsJson) return sendJson(res, 404, { error: "This payment link is not valid" })
      return sendHtml(res, 404, linkNotFoundPage())
    }
    if (!action) {
      if (req.method !== "GET") return void res.writeHead(405).end()
      return sendHtml(res, 200, hostedCheckoutPage(link, this.engine.transactionOf(link.txRef)?.status === "successful"))
    }
    if (req.method !== "POST") return void res.writeHead(405).end()
    // The form's body carries nothing we need; read it so the connection stays usable.
    if ((await this.readBody(req, res)) === undefined) return

    let redirect: string
    let transactionId: number | undefined
    if (action === "cancel") {
      redirect = redirectUrl(link, { status: "cancelled", tx_ref: link.txRef })
    } else {
      try {
        const transaction = this.engine.charge(link, action === "pay" ? "successful" : "failed")
        transactionId = transaction.id
        redirect = redirectUrl(link, { status: transaction.status, tx_ref: link.txRef, transaction_id: String(transaction.id) })
      } catch (error) {
        if (!(error instanceof SandboxV3AlreadyPaidError)) throw error
        if (wantsJson) return sendJson(res, 409, { error: FLUTTERWAVE_V3_MESSAGES.alreadyPaid })
        return sendHtml(res, 409, alreadyPaidPage())
      }
    }
    if (wantsJson) return sendJson(res, 200, { redirect, ...(transactionId !== undefined ? { transaction_id: transactionId } : {}) })
    res.writeHead(302, { Location: redirect }).end()
  }

  private async control(req: IncomingMessage, res: ServerResponse, method: string, path: string): Promise<void> {
    if (method === "GET" && path === "/transactions") {
      return sendJson(res, 200, {
        transactions: this.transactions(),
        refunds: this.refunds(),
        transfers: this.transfers(),
        links: this.links(),
      })
    }
    if (method === "GET" && path === "/deliveries") {
      return sendJson(res, 200, { deliveries: this.deliveries, undelivered: this.undelivered })
    }
    if (method === "GET" && path === "/requests") return sendJson(res, 200, { requests: this.requests })
    if (method === "GET" && path === "/webhooks-delivered") {
      await this.webhooksDelivered()
      return sendJson(res, 200, { ok: true })
    }
    if (method === "GET" && path === "/latency") return sendJson(res, 200, { latencyMs: this.latencyMs })
    if (method === "DELETE" && path === "/script") {
      this.clearScripts()
      return sendJson(res, 200, { ok: true })
    }
    if (method !== "POST") return sendJson(res, 404, { message: "Unknown sandbox control route" })

    const raw = await this.readBody(req, res)
    if (raw === undefined) return
    let body: Record<string, unknown> = {}
    if (raw.length > 0) {
      try {
        const parsed: unknown = JSON.parse(raw.toString("utf8"))
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>
        else return sendJson(res, 400, { message: "The body must be a JSON object" })
      } catch {
        return sendJson(res, 400, { message: "Invalid JSON body" })
      }
    }
    return answerControl(res, () => this.controlPost(path, body))
  }

  /** The POST control routes; throws SandboxV3NotFoundError (404), ScriptError / RangeError / TypeError (400). */
  private controlPost(path: string, body: Record<string, unknown>): { status: number; body: unknown } {
    if (path === "/reset") {
      this.reset()
      return { status: 200, body: { ok: true } }
    }
    if (path === "/script") {
      refuseMutateOverHttp(body.webhook)
      this.script(validateScript(body))
      return { status: 201, body: { ok: true } }
    }
    if (path === "/webhook-url") {
      const { url } = body
      if (url !== undefined && url !== null && typeof url !== "string") throw new TypeError("url must be a string or null")
      this.setWebhookUrl(typeof url === "string" && url !== "" ? url : undefined)
      return { status: 200, body: { url: this.engine.currentWebhookUrl ?? null } }
    }
    if (path === "/refunds-enabled") {
      if (typeof body.enabled !== "boolean") throw new TypeError("enabled must be a boolean")
      this.setRefundsEnabled(body.enabled)
      return { status: 200, body: { enabled: body.enabled } }
    }
    if (path === "/latency") {
      if (typeof body.latencyMs !== "number") throw new TypeError("latencyMs must be a number")
      this.setLatency(body.latencyMs)
      return { status: 200, body: { latencyMs: this.latencyMs } }
    }
    if (path === "/test-webhook") {
      this.sendTestWebhook()
      return { status: 200, body: { ok: true } }
    }
    if (path === "/pay") {
      const { tx_ref: txRef, outcome, webhook } = body
      if (typeof txRef !== "string" || txRef === "") throw new TypeError("tx_ref must be a string")
      if (outcome !== undefined && outcome !== "successful" && outcome !== "failed") {
        throw new TypeError('outcome must be "successful" or "failed"')
      }
      refuseMutateOverHttp(webhook)
      const script = webhook === undefined ? undefined : validateWebhookScript(webhook)
      return { status: 200, body: { transaction: this.pay(txRef, outcome ?? "successful", script) } }
    }
    const refund = /^\/refunds\/(\d+)\/settle$/.exec(path)
    if (refund) {
      const { status } = body
      if (status !== "completed" && status !== "failed") throw new TypeError('status must be "completed" or "failed"')
      return { status: 200, body: { refund: this.settleRefund(Number(refund[1]), status) } }
    }
    const transfer = /^\/transfers\/(\d+)\/settle$/.exec(path)
    if (transfer) {
      const { status, message } = body
      if (status !== "SUCCESSFUL" && status !== "FAILED") throw new TypeError('status must be "SUCCESSFUL" or "FAILED"')
      if (message !== undefined && typeof message !== "string") throw new TypeError("message must be a string")
      return { status: 200, body: { transfer: this.settleTransfer(Number(transfer[1]), status, message) } }
    }
    throw new SandboxV3NotFoundError("Unknown sandbox control route")
  }

  /** Reads a body up to maxBodyBytes; beyond it answers 413 and returns undefined. */
  private readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
    return readBodyWithin(req, this.options.maxBodyBytes ?? 1024 * 1024, () =>
      sendJson(res, 413, { status: "error", message: "Request body too large", data: null })
    )
  }
}

/** A webhook script's `mutate` is a function: JSON cannot carry one, and a key by that name is a mistake to say so. */
function refuseMutateOverHttp(webhook: unknown): void {
  if (typeof webhook === "object" && webhook !== null && "mutate" in webhook) {
    throw new SandboxV3ScriptError("webhook.mutate cannot be sent over HTTP")
  }
}

function redirectUrl(link: SandboxV3Link, params: Record<string, string>): string {
  const url = new URL(link.redirectUrl)
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
  return url.toString()
}

function linkSummary(link: SandboxV3Link): SandboxV3LinkSummary {
  return {
    id: link.id,
    link: link.link,
    txRef: link.txRef,
    amount: link.amount,
    currency: link.currency,
    redirectUrl: link.redirectUrl,
    email: link.email,
    payloadHashChecked: link.payloadHashChecked,
    createdAt: link.createdAt,
  }
}

function copyTransaction(transaction: SandboxV3Transaction): SandboxV3Transaction {
  return structuredClone(transaction)
}


function answerControl(res: ServerResponse, call: () => { status: number; body: unknown }): void {
  let result: { status: number; body: unknown }
  try {
    result = call()
  } catch (error) {
    if (error instanceof SandboxV3NotFoundError) return sendJson(res, 404, { message: error.message })
    if (error instanceof SandboxV3AlreadyPaidError) return sendJson(res, 409, { message: error.message })
    if (error instanceof SandboxV3ScriptError || error instanceof RangeError || error instanceof TypeError) {
      return sendJson(res, 400, { message: error.message })
    }
    throw error
  }
  sendJson(res, result.status, result.body)
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) })
  res.end(text)
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(html) })
  res.end(html)
}
