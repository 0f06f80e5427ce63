import { createHash } from "node:crypto"
import { createServer, type IncomingHttpHeaders, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { FlutterwaveV3Sandbox } from "../server"
import type { FlutterwaveV3SandboxOptions } from "../types"

export const SECRET_KEY = "FLWSECK_TEST-sandbox-unit"
export const SECRET_HASH = "my-webhook-hash"

/** One webhook as the merchant received it. */
export type ReceivedWebhook = { body: string; headers: IncomingHttpHeaders; json: Record<string, any> }

/**
 * A merchant's webhook endpoint for tests: records what arrives, answers 200 unless told to answer something else
 * (`answers`: the statuses of the next requests, in order) or to not answer at all (`hang`).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = []
  answers: number[] = []
  hang = false
  url = ""
  private server?: Server

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on("data", (chunk: Buffer) => chunks.push(chunk))
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8")
        this.received.push({ body, headers: req.headers, json: JSON.parse(body) })
        if (this.hang) return // no answer: the sender's timeout decides
        res.writeHead(this.answers.shift() ?? 200).end("ok")
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve))
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hooks/flutterwave/v3`
    return this.url
  }

  clear(): void {
    this.received.length = 0
    this.answers = []
    this.hang = false
  }

  async close(): Promise<void> {
    const server = this.server
    if (!server) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

export type Harness = { sandbox: FlutterwaveV3Sandbox; receiver: WebhookReceiver }

/** A started sandbox whose webhooks go to a real receiver; settles and retries are compressed to milliseconds. */
export async function startHarness(options: Partial<FlutterwaveV3SandboxOptions> = {}): Promise<Harness> {
  const receiver = new WebhookReceiver()
  await receiver.start()
  const sandbox = new FlutterwaveV3Sandbox({
    secretKey: SECRET_KEY,
    secretHash: SECRET_HASH,
    webhookUrl: receiver.url,
    webhookRetryDelaysMs: [10, 10, 10],
    webhookTimeoutMs: 1_000,
    refundSettleMs: 20,
    transferSettleMs: 20,
    ...options,
  })
  await sandbox.start()
  return { sandbox, receiver }
}

export async function stopHarness({ sandbox, receiver }: Harness): Promise<void> {
  await sandbox.close()
  await receiver.close()
}

export function resetHarness({ sandbox, receiver }: Harness): void {
  sandbox.reset()
  receiver.clear()
}

/**
 * For a describe: a harness started in beforeAll, its deliveries awaited and everything reset after each test, stopped
 * in afterAll. Its `sandbox` and `receiver` are read when a test runs.
 */
export function useHarness(options: Partial<FlutterwaveV3SandboxOptions> = {}): Harness {
  let started: Harness | undefined
  const current = (): Harness => {
    if (!started) throw new Error("the v3 sandbox harness is not started yet")
    return started
  }
  beforeAll(async () => {
    started = await startHarness(options)
  })
  afterEach(async () => {
    await current().sandbox.webhooksDelivered()
    resetHarness(current())
  })
  afterAll(() => stopHarness(current()))
  return {
    get sandbox() {
      return current().sandbox
    },
    get receiver() {
      return current().receiver
    },
  }
}

export type ApiResult = { status: number; body: Record<string, any> }

/** One v3 API call with the sandbox's key (or `key`, null for none). */
export async function api(
  sandbox: FlutterwaveV3Sandbox,
  method: string,
  path: string,
  body?: unknown,
  key: string | null = SECRET_KEY
): Promise<ApiResult> {
  const headers: Record<string, string> = { accept: "application/json" }
  if (key !== null) headers.authorization = `Bearer ${key}`
  if (body !== undefined) headers["content-type"] = "application/json"
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}

/** The payload_hash the rail sends (docs/flutterwave-v3-wire.md). */
export function payloadHash(amount: number, currency: string, email: string, txRef: string, secretKey = SECRET_KEY): string {
  const keyHash = createHash("sha256").update(secretKey).digest("hex")
  return createHash("sha256").update(`${String(amount)}${currency}${email}${txRef}${keyHash}`).digest("hex")
}

export function paymentBody(txRef: string, amount = 1500.5, currency = "NGN", email = "ada@example.ng"): Record<string, unknown> {
  return {
    tx_ref: txRef,
    amount,
    currency,
    redirect_url: "http://shop.test/checkout/return?cart=c1",
    customer: { email, name: "Ada Obi", phonenumber: "08012345678" },
    customizations: { title: "Test Store", description: "Order #1" },
    meta: { payment_ref: txRef },
    configurations: { session_duration: 30 },
    payload_hash: payloadHash(amount, currency, email, txRef),
  }
}

/** Creates a hosted link through the API; returns its URL. */
export async function createLink(sandbox: FlutterwaveV3Sandbox, txRef: string, amount = 1500.5, currency = "NGN"): Promise<string> {
  const answer = await api(sandbox, "POST", "/v3/payments", paymentBody(txRef, amount, currency))
  if (answer.status !== 200) throw new Error(`link not created: ${JSON.stringify(answer.body)}`)
  return answer.body.data.link as string
}

/** A paid transaction for txRef (link made over HTTP, paid in-process); returns its id. */
export async function paidTransaction(sandbox: FlutterwaveV3Sandbox, txRef: string, amount = 1500.5, currency = "NGN"): Promise<number> {
  await createLink(sandbox, txRef, amount, currency)
  return sandbox.pay(txRef).id
}
