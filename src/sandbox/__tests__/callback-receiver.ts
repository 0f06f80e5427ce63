import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"

/** A merchant endpoint for tests: records every callback body it receives, can answer non-200 a few times first. */
export class CallbackReceiver {
  readonly bodies: string[] = []
  failNext = 0
  private server?: Server
  private waiters: Array<{ count: number; resolve: () => void }> = []
  url = ""

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on("data", (chunk: Buffer) => chunks.push(chunk))
      req.on("end", () => {
        if (this.failNext > 0) {
          this.failNext--
          res.writeHead(503).end("try later")
          return
        }
        this.bodies.push(Buffer.concat(chunks).toString("utf8"))
        res.writeHead(200).end("OK")
        this.waiters = this.waiters.filter((w) => {
          if (this.bodies.length >= w.count) w.resolve()
          return this.bodies.length < w.count
        })
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve))
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/callback`
    return this.url
  }

  /** Resolves once `count` callbacks in total have been received. */
  received(count: number, timeoutMs = 5_000): Promise<void> {
    if (this.bodies.length >= count) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`expected ${count} callbacks, got ${this.bodies.length}`)),
        timeoutMs
      )
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer)
          resolve()
        },
      })
    })
  }

  parsed(): Array<Record<string, any>> {
    return this.bodies.map((body) => JSON.parse(body))
  }

  async close(): Promise<void> {
    const server = this.server
    if (!server) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
