/**
 * A tiny Flutterwave v3 for the rail's unit tests: a real node:http server answering like docs/flutterwave-v3-wire.md,
 * as far as the rail's own tests need (the full sandbox lives in src/sandbox/flutterwave-v3 and is not used here).
 * State is plain maps; faults are scripted per route and consumed in order.
 */
import { createHash } from "node:crypto"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { toMinorUnits } from "../../../money"

export type Fault = "server_error" | "hang" | "garbage" | "unauthorized"

export type RecordedRequest = { method: string; path: string; body: any; authorization?: string }

type Transaction = { id: number; tx_ref: string; amount: number; currency: string; status: string; processor_response: string }
type Refund = { id: number; tx_id: number; amount_refunded: number; status: string; comments: string }
type Transfer = { id: number; reference: string; amount: number; currency: string; status: string; complete_message: string; bank_code: string }

export class FakeFlutterwaveV3 {
  url = ""
  readonly requests: RecordedRequest[] = []
  readonly transactions = new Map<string, Transaction>()
  readonly refunds: Refund[] = []
  readonly transfers: Transfer[] = []
  refundsDisabled = false
  /** Status new refunds get. */
  refundStatus = "completed"
  private readonly faults: Array<{ route: RegExp; fault: Fault }> = []
  private nextId = 1000
  private server?: Server
  private readonly hanging = new Set<ServerResponse>()

  constructor(private readonly secretKey: string) {}

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response))
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy()
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve())
  }

  reset(): void {
    this.requests.length = 0
    this.transactions.clear()
    this.refunds.length = 0
    this.transfers.length = 0
    this.faults.length = 0
    this.refundsDisabled = false
    this.refundStatus = "completed"
  }

  /** The next request whose "METHOD /path" matches `route` meets `fault` (once per call). */
  script(route: RegExp, fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push({ route, fault })
  }

  /** The shopper's attempt under `txRef` (what the hosted page would create). */
  pay(txRef: string, amount: number, currency: string, status: "successful" | "failed" | "pending", processorResponse = "Approved"): Transaction {
    const transaction = { id: this.nextId++, tx_ref: txRef, amount, currency, status, processor_response: processorResponse }
    this.transactions.set(txRef, transaction)
    return transaction
  }

  calls(method: string, pathPrefix: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && request.path.startsWith(pathPrefix))
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString("utf8")
    const url = new URL(request.url ?? "/", "http://fake")
    const body = text ? JSON.parse(text) : undefined
    this.requests.push({ method: request.method ?? "", path: url.pathname + url.search, body, authorization: request.headers.authorization })

    const line = `${request.method} ${url.pathname}`
    const faultAt = this.faults.findIndex((fault) => fault.route.test(line))
    if (faultAt >= 0) {
      const [{ fault }] = this.faults.splice(faultAt, 1)
      if (fault === "hang") {
        this.hanging.add(response)
        return
      }
      if (fault === "server_error") return send(response, 502, { status: "error", message: "Bad gateway", data: null })
      if (fault === "garbage") {
        response.writeHead(200, { "content-type": "text/html" })
        response.end("<html>maintenance</html>")
        return
      }
    }
    if (request.headers.authorization !== `Bearer ${this.secretKey}` || faultAt >= 0) {
      // Echoes nothing of what it got: the rail must not leak the key even so.
      return send(response, 401, { status: "error", message: "Invalid authorization key", data: null })
    }
    this.route(request.method ?? "", url, body, response)
  }

  private route(method: string, url: URL, body: any, response: ServerResponse): void {
    const path = url.pathname
    let match: RegExpExecArray | null
    if (method === "POST" && path === "/v3/payments") {
      if (!body?.customer?.email) return error(response, 400, "customer.email is required")
      const secretKeyHash = createHash("sha256").update(this.secretKey).digest("hex")
      const expected = createHash("sha256")
        .update(String(body.amount) + body.currency + body.customer.email + body.tx_ref + secretKeyHash)
        .digest("hex")
      if (body.payload_hash !== expected) return error(response, 400, "Invalid payload hash")
      return ok(response, "Hosted Link", { link: `${this.url}/v3/hosted/pay/flwlnk-${this.nextId++}` })
    }
    if (method === "GET" && path === "/v3/transactions/verify_by_reference") {
      const transaction = this.transactions.get(url.searchParams.get("tx_ref") ?? "")
      return transaction ? ok(response, "Transaction fetched successfully", this.transactionData(transaction)) : error(response, 400, "No transaction was found for this id")
    }
    if (method === "POST" && (match = /^\/v3\/transactions\/(\d+)\/refund$/.exec(path))) {
      const transaction = [...this.transactions.values()].find((each) => each.id === Number(match![1]))
      if (!transaction) return error(response, 404, "Transaction not found")
      if (this.refundsDisabled) return error(response, 400, "Refunds are not enabled for this account. Contact support to enable refunds")
      if (transaction.status !== "successful") return error(response, 400, "Only successful transactions can be refunded")
      const refunded = this.refunds
        .filter((refund) => refund.tx_id === transaction.id && refund.status !== "failed")
        .reduce((sum, refund) => sum + toMinorUnits(String(refund.amount_refunded), transaction.currency), 0)
      const asked = toMinorUnits(String(body.amount), transaction.currency)
      if (asked > toMinorUnits(String(transaction.amount), transaction.currency) - refunded) {
        return error(response, 400, "Amount requested for refund is greater than refundable amount")
      }
      const refund = { id: this.nextId++, tx_id: transaction.id, amount_refunded: body.amount, status: this.refundStatus, comments: body.comments }
      this.refunds.push(refund)
      return ok(response, "Transaction refund initiated", { ...refund, flw_ref: `URF_${refund.id}`, destination: "payment_source" })
    }
    if (method === "GET" && path === "/v3/refunds") {
      const txId = Number(url.searchParams.get("tx_id"))
      return ok(response, "Refunds fetched", this.refunds.filter((refund) => refund.tx_id === txId))
    }
    if (method === "POST" && path === "/v3/transfers") {
      if (this.transfers.some((transfer) => transfer.reference === body.reference)) return error(response, 400, "Transfer with this reference already exists")
      if (body.account_bank === "999") return error(response, 400, "Invalid bank code")
      const transfer = {
        id: this.nextId++,
        reference: body.reference,
        amount: body.amount,
        currency: body.currency,
        status: "NEW",
        complete_message: "",
        bank_code: body.account_bank,
      }
      this.transfers.push(transfer)
      return ok(response, "Transfer Queued Successfully", transfer)
    }
    if (method === "GET" && path === "/v3/transfers") {
      const reference = url.searchParams.get("reference")
      return ok(response, "Transfers fetched", this.transfers.filter((transfer) => transfer.reference === reference))
    }
    if (method === "GET" && (match = /^\/v3\/banks\/([A-Z]{2})$/.exec(path))) {
      return ok(response, "Banks fetched successfully", [
        { id: 3, code: "058", name: "GTBank Plc" },
        { id: 1, code: "044", name: "Access Bank" },
        { id: 2, code: "023", name: "Citi Bank" },
      ])
    }
    return error(response, 404, "Route not found")
  }

  private transactionData(transaction: Transaction): Record<string, unknown> {
    return {
      ...transaction,
      flw_ref: `FLW-${transaction.id}`,
      charged_amount: transaction.amount,
      app_fee: 0,
      merchant_fee: 0,
      auth_model: "PIN",
      payment_type: "card",
      created_at: "2026-01-01T00:00:00.000Z",
      account_id: 1,
      customer: { id: 1, name: "Ada Obi", phone_number: null, email: "ada@example.ng", created_at: "2026-01-01T00:00:00.000Z" },
      meta: null,
    }
  }
}

function ok(response: ServerResponse, message: string, data: unknown): void {
  send(response, 200, { status: "success", message, data })
}

function error(response: ServerResponse, status: number, message: string): void {
  send(response, status, { status: "error", message, data: null })
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" })
  response.end(JSON.stringify(body))
}

/** A port nothing listens on: a server bound, then closed. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
