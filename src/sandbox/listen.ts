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
