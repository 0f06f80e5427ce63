import type { IncomingMessage, ServerResponse } from "node:http"
import { GATE_PATHS } from "../rails/ecommpay/flutterwave"
import { JsonSyntaxError, parseJsonLossless, stringifyJson } from "../rails/ecommpay/json"
import { isObject } from "../rails/ecommpay/messages"
import { Rejection, SandboxEngine, SandboxNotFoundError, type SandboxEngineOptions } from "./engine"
import { checkLatency, LoopbackServer, MAX_LATENCY_MS, readBodyWithin } from "./listen"
import { hostedPaymentPage, paymentPage, paymentPageErrorPage, resultPage } from "./page"
import type {
  SandboxCallbackScript,
  SandboxDashboardRefundOptions,
  SandboxOperation,
  SandboxOperationName,
  SandboxPayment,
  SandboxScript,
} from "./types"

export type GateSandboxOptions = Omit<SandboxEngineOptions, "publicUrl"> & {
  /** 0 picks a free port. */
  port?: number
  /** Always loopback unless told otherwise: the sandbox is for this machine only. */
  host?: string
  /** Largest request body accepted. */
  maxBodyBytes?: number
  /**
   * Every Gate API answer (sale, refund, payout, status) is held back this long, as a distant Gate's round trip does,
   * on top of a script's hangMs; the request is processed at once. Changed at run time by setLatency or
   * `POST /_sandbox/latency`; reset() goes back to this value. Default 0.
   */
  latencyMs?: number
}

const ROUTES: Record<string, SandboxOperationName> = {
  [GATE_PATHS.sale]: "sale",
  [GATE_PATHS.refund]: "refund",
  [GATE_PATHS.payout]: "payout",
  [GATE_PATHS.status]: "status",
}

/**
 * Our local ECommPay Gate for the Flutterwave method: a real HTTP server speaking the documented protocol, used by
 * `npm run sandbox`, the demo and every integration test. Scriptable (see SandboxScript) and inspectable both
 * in-process (this class) and over HTTP (`/_sandbox/*`).
 */
export class GateSandbox {
  readonly engine: SandboxEngine
  private readonly listener = new LoopbackServer("GateSandbox")
  private readonly options: GateSandboxOptions
  private latencyMs: number

  constructor(options: GateSandboxOptions) {
    this.options = options
    this.latencyMs = options.latencyMs ?? 0
    this.engine = new SandboxEngine({ ...options, publicUrl: () => this.listener.baseUrl })
  }

  get url(): string {
    return this.listener.url
  }

  start(): Promise<string> {
    return this.listener.start(
      (req, res) => this.route(req, res),
      (res, error) => sendJson(res, 500, { status: "error", message: error.message }),
      this.options
    )
  }

  async close(): Promise<void> {
    this.engine.close()
    await this.listener.close()
  }

  setCallbackUrl(url: string | undefined): void {
    this.engine.setCallbackUrl(url)
  }

  rotateSecretKey(secretKey: string): void {
    this.engine.rotateSecretKey(secretKey)
  }

  script(script: SandboxScript): void {
    this.engine.script(script)
  }

  reset(): void {
    this.engine.reset()
    this.latencyMs = this.options.latencyMs ?? 0
  }

  /** How long every Gate API answer is held back from now on (see GateSandboxOptions.latencyMs). */
  setLatency(ms: number): void {
    this.latencyMs = checkLatency(ms)
  }

  get latency(): number {
    return this.latencyMs
  }

  payment(paymentId: string): SandboxPayment | undefined {
    return this.engine.payments.get(paymentId)
  }

  /**
   * The shopper pays (or declines) on the redirect page; same path as the page's buttons. `callback` scripts the
   * delivery of the result's callback (e.g. `{ drop: true }`: lost on its way).
   */
  pay(paymentId: string, callback?: SandboxCallbackScript): SandboxPayment {
    return this.engine.completeSale(paymentId, "success", undefined, undefined, callback)
  }

  decline(paymentId: string, code?: string, message?: string): SandboxPayment {
    return this.engine.completeSale(paymentId, "decline", code, message)
  }

  /** Settles an operation a `stall` script left processing, as Flutterwave does days later for a refund. */
  settleOperation(
    paymentId: string,
    operationId: number | string,
    outcome: "success" | "decline",
    code?: string,
    message?: string
  ): SandboxOperation {
    return this.engine.settleOperation(paymentId, operationId, outcome, code, message)
  }

  /** A refund made in ECommPay's dashboard: no request from the plugin, only a callback (or a status query). */
  dashboardRefund(paymentId: string, amount: number, options?: SandboxDashboardRefundOptions): SandboxOperation {
    return this.engine.dashboardRefund(paymentId, amount, options)
  }

  /** Resolves when every callback sent so far has been delivered or given up. */
  async callbacksDelivered(): Promise<void> {
    await this.engine.idle()
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox")
    const path = url.pathname.replace(/\/+$/, "") || "/"

    const operation = ROUTES[path]
    if (operation) {
      if (req.method !== "POST") return sendJson(res, 405, { status: "error", message: "Method not allowed" })
      const body = await this.readJson(req, res)
      if (body === undefined) return
      const answer = this.engine.handle(operation, body)
      const heldMs = (answer.hangMs ?? 0) + this.latencyMs
      if (heldMs > 0) await sleep(heldMs)
      if (res.destroyed) return
      return sendJson(res, answer.httpStatus, answer.body)
    }

    if (path === "/payment") return this.paymentPageEntry(req, res, url.searchParams)

    const pay = /^\/pay\/([^/]+)(?:\/(confirm|cancel|result))?$/.exec(path)
    if (pay) return this.shopperPage(req, res, decodeURIComponent(pay[1]), pay[2])

    if (path === "/health") return sendJson(res, 200, { status: "ok" })
    if (path.startsWith("/_sandbox/")) return this.control(req, res, path.slice("/_sandbox".length))
    return sendJson(res, 404, { status: "error", message: "Not found" })
  }

  private shopperPage(req: IncomingMessage, res: ServerResponse, paymentId: string, action?: string): void {
    const payment = this.engine.payments.get(paymentId)
    if (!payment || payment.type !== "purchase") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Unknown payment")
      return
    }
    if (!action || action === "result") {
      if (req.method !== "GET") return void res.writeHead(405).end()
      const html =
        action === "result"
          ? resultPage(payment)
          : payment.channel === "payment_page"
            ? hostedPaymentPage(payment)
            : paymentPage(payment)
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html)
      return
    }
    if (req.method !== "POST") return void res.writeHead(405).end()
    const done = this.engine.completeSale(paymentId, action === "confirm" ? "success" : "decline")
    const back = done.status === "success" ? done.returnUrl?.success : done.returnUrl?.decline
    const target = back ?? done.returnUrl?.return ?? `/pay/${encodeURIComponent(paymentId)}/result`
    res.writeHead(303, { Location: target }).end()
  }

  /**
   * ECommPay's Payment Page: `GET /payment?<signed params>&signature=…`, or the same parameters POSTed as a form
   * (EPayWidget.run(config, "POST")). A valid URL shows the page for its payment; anything else an error page.
   */
  private async paymentPageEntry(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    let params = query
    if (req.method === "POST") {
      const body = await this.readBody(req, res)
      if (body === undefined) return
      params = new URLSearchParams(body.toString("utf8"))
    } else if (req.method !== "GET") {
      return void res.writeHead(405).end()
    }
    const opening = this.engine.openPaymentPage(params)
    const html = opening.ok ? hostedPaymentPage(opening.payment) : paymentPageErrorPage(opening.code, opening.message)
    res.writeHead(opening.ok ? 200 : opening.httpStatus, { "Content-Type": "text/html; charset=utf-8" }).end(html)
  }

  private async control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const engine = this.engine
    const method = req.method ?? "GET"
    if (method === "GET" && path === "/payments") return sendJson(res, 200, { payments: [...engine.payments.values()] })
    const one = /^\/payments\/([^/]+)$/.exec(path)
    if (method === "GET" && one) {
      const payment = engine.payments.get(decodeURIComponent(one[1]))
      return payment ? sendJson(res, 200, { payment }) : sendJson(res, 404, { message: "Unknown payment" })
    }
    const settle = /^\/payments\/([^/]+)\/(pay|decline)$/.exec(path)
    if (method === "POST" && settle) {
      const raw = await this.readJson(req, res)
      if (raw === undefined) return
      const body = (isObject(raw) ? raw : {}) as { code?: string; message?: string; drop?: unknown }
      // drop: the shopper's result happens, but its callback is lost on the way (status still reports it).
      if (body.drop !== undefined && typeof body.drop !== "boolean") return sendJson(res, 400, { message: "drop must be a boolean" })
      const callback = body.drop ? { drop: true } : undefined
      const id = decodeURIComponent(settle[1])
      if (!engine.payments.has(id)) return sendJson(res, 404, { message: "Unknown payment" })
      const payment =
        settle[2] === "pay"
          ? engine.completeSale(id, "success", undefined, undefined, callback)
          : engine.completeSale(id, "decline", body.code, body.message, callback)
      return sendJson(res, 200, { payment })
    }
    const callbackOf = /^\/payments\/([^/]+)\/operations\/([^/]+)\/callback$/.exec(path)
    if (method === "GET" && callbackOf) {
      const paymentId = decodeURIComponent(callbackOf[1])
      const operationId = decodeURIComponent(callbackOf[2])
      return answerControl(res, 200, () => ({ callback: engine.callbackBody(paymentId, operationId) }))
    }
    const settleOperation = /^\/payments\/([^/]+)\/operations\/([^/]+)\/settle$/.exec(path)
    if (method === "POST" && settleOperation) {
      const body = await this.readJson(req, res)
      if (body === undefined) return
      const { outcome, code, message } = isObject(body) ? body : {}
      if (outcome !== "success" && outcome !== "decline") {
        return sendJson(res, 400, { message: 'outcome must be "success" or "decline"' })
      }
      if (!isOptionalString(code) || !isOptionalString(message)) {
        return sendJson(res, 400, { message: "code and message must be strings" })
      }
      const paymentId = decodeURIComponent(settleOperation[1])
      const operationId = decodeURIComponent(settleOperation[2])
      return answerControl(res, 200, () => ({
        operation: engine.settleOperation(paymentId, operationId, outcome, code, message),
        payment: engine.payments.get(paymentId),
      }))
    }
    const dashboardRefund = /^\/payments\/([^/]+)\/dashboard-refund$/.exec(path)
    if (method === "POST" && dashboardRefund) {
      const body = await this.readJson(req, res)
      if (body === undefined) return
      const { amount, outcome, code, message, duplicates, drop } = isObject(body) ? body : {}
      if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount <= 0) {
        return sendJson(res, 400, { message: "amount must be a positive integer in minor units" })
      }
      if (outcome !== undefined && outcome !== "success" && outcome !== "decline" && outcome !== "stall") {
        return sendJson(res, 400, { message: 'outcome must be "success", "decline" or "stall"' })
      }
      if (!isOptionalString(code) || !isOptionalString(message)) {
        return sendJson(res, 400, { message: "code and message must be strings" })
      }
      if (duplicates !== undefined && (typeof duplicates !== "number" || !Number.isSafeInteger(duplicates) || duplicates < 0)) {
        return sendJson(res, 400, { message: "duplicates must be a non-negative integer" })
      }
      if (drop !== undefined && typeof drop !== "boolean") return sendJson(res, 400, { message: "drop must be a boolean" })
      const paymentId = decodeURIComponent(dashboardRefund[1])
      return answerControl(res, 201, () => ({
        operation: engine.dashboardRefund(paymentId, amount, { outcome, code, message, callback: { duplicates, drop } }),
        payment: engine.payments.get(paymentId),
      }))
    }
    if (method === "POST" && path === "/scripts") {
      const script = (await this.readJson(req, res)) as SandboxScript | undefined
      if (!script) return
      engine.script(script)
      return sendJson(res, 201, { ok: true })
    }
    if (method === "DELETE" && path === "/scripts") {
      engine.clearScripts()
      return sendJson(res, 200, { ok: true })
    }
    if (method === "GET" && path === "/requests") return sendJson(res, 200, { requests: engine.requests })
    if (method === "GET" && path === "/callbacks") return sendJson(res, 200, { callbacks: engine.deliveries })
    if (method === "GET" && path === "/page-openings") return sendJson(res, 200, { pageOpenings: engine.pageOpenings })
    if (method === "GET" && path === "/latency") return sendJson(res, 200, { latencyMs: this.latencyMs })
    if (method === "POST" && path === "/latency") {
      const body = await this.readJson(req, res)
      if (body === undefined) return
      const { latencyMs } = isObject(body) ? body : {}
      if (typeof latencyMs !== "number" || !Number.isSafeInteger(latencyMs) || latencyMs < 0 || latencyMs > MAX_LATENCY_MS) {
        return sendJson(res, 400, { message: `latencyMs must be a whole number of ms from 0 to ${MAX_LATENCY_MS}` })
      }
      this.setLatency(latencyMs)
      return sendJson(res, 200, { latencyMs })
    }
    if (method === "POST" && path === "/reset") {
      this.reset()
      return sendJson(res, 200, { ok: true })
    }
    return sendJson(res, 404, { message: "Unknown sandbox control route" })
  }

  /** Reads a JSON body; on failure answers like Gate (2003 Invalid JSON) and returns undefined. */
  private async readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    const body = await this.readBody(req, res)
    if (body === undefined) return undefined
    const text = body.toString("utf8")
    if (text.trim() === "") return {}
    try {
      return parseJsonLossless(text)
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error
      sendJson(res, 400, { status: "error", code: "2003", message: "Invalid JSON string" })
      return undefined
    }
  }

  /** Reads a body up to maxBodyBytes; beyond it answers 413 (Gate's 702) and returns undefined. */
  private readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
    return readBodyWithin(req, this.options.maxBodyBytes ?? 1024 * 1024, () =>
      sendJson(res, 413, { status: "error", code: "702", message: "Malformed request: body too large" })
    )
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = stringifyJson(body)
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) })
  res.end(text)
}

/**
 * Answers a control call with what it returns. A payment or operation the sandbox does not have is a 404; what Gate
 * itself would refuse (a refund of an unpaid payment: 3060) is answered as Gate answers, with its code.
 */
function answerControl(res: ServerResponse, status: number, call: () => unknown): void {
  let body: unknown
  try {
    body = call()
  } catch (error) {
    if (error instanceof SandboxNotFoundError) return sendJson(res, 404, { message: error.message })
    if (error instanceof Rejection) {
      return sendJson(res, error.httpStatus, { status: "error", code: error.code, message: error.message })
    }
    throw error
  }
  sendJson(res, status, body)
}

function isOptionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === "string"
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
