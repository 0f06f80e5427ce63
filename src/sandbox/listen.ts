import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

/**
 * A sandbox's HTTP server on this machine: started on a port (127.0.0.1 unless told otherwise: a sandbox is for this
 * machine only), its base URL, closed with its connections. `name` says which sandbox was asked for its URL too early.
 */
export class LoopbackServer {
  private server?: Server
  private address = ""

  constructor(private readonly name: string) {}

  /** The base URL, e.g. http://127.0.0.1:8765; throws before start(). */
  get url(): string {
    if (!this.address) throw new Error(`${this.name}: not started`)
    return this.address
  }

  /** The base URL, or "" before start() (what an engine reads for the links it makes). */
  get baseUrl(): string {
    return this.address
  }

  /**
   * Listens on `host` and `port` (0 or none picks a free one); each request goes to `route`. A route that throws is
   * answered by `answerError` (a 500 in the sandbox's own words), or its connection dropped if the answer had begun.
   * Resolves with the base URL.
   */
  async start(
    route: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
    answerError: (res: ServerResponse, error: Error) => void,
    { port, host }: { port?: number; host?: string }
  ): Promise<string> {
    const server = createServer((req, res) => {
      route(req, res).catch((error: Error) => {
        if (!res.headersSent) answerError(res, error)
        else res.destroy()
      })
    })
    server.keepAliveTimeout = 5_000
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject)
      server.listen(port ?? 0, host ?? "127.0.0.1", () => resolve())
    })
    this.server = server
    const address = server.address() as AddressInfo
    const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address
    this.address = `http://${urlHost}:${address.port}`
    return this.address
  }

  /** Stops listening and ends open connections; nothing to do if not started (or closed already). */
  async close(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (!server) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

/** The longest latency a sandbox accepts for its answers: beyond it, a client's timeout is better rehearsed with hangMs. */
export const MAX_LATENCY_MS = 600_000

/** A latency for a sandbox's answers, checked: a whole number of ms from 0 to MAX_LATENCY_MS (RangeError otherwise). */
export function checkLatency(ms: number): number {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_LATENCY_MS) {
    throw new RangeError(`sandbox: latency must be a whole number of ms from 0 to ${MAX_LATENCY_MS}, not ${ms}`)
  }
  return ms
}

/**
 * A request's body, up to `limit` bytes. Beyond it `tooLarge` answers (a 413 in the sandbox's own words), the rest
 * is not read (the request is destroyed), and undefined is returned.
 */
export async function readBodyWithin(req: IncomingMessage, limit: number, tooLarge: () => void): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > limit) {
      tooLarge()
      req.destroy()
      return undefined
    }
    chunks.push(buffer)
  }
  return Buffer.concat(chunks)
}
