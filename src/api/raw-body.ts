import type { IncomingMessage } from "node:http"

/** Callback bodies are small JSON documents; anything much larger is not from Gate. */
export const CALLBACK_BODY_LIMIT_BYTES = 256 * 1024

export class BodyTooLarge extends Error {
  constructor(limitBytes: number) {
    super(`the body is larger than ${limitBytes} bytes`)
  }
}

/** The stream was consumed before the route ran and its bytes were not kept: nothing can be verified. */
export class BodyAlreadyRead extends Error {}

/**
 * The exact bytes of a request body, read once. The callback route takes no body parser: its signature is checked on
 * these bytes, and the one parse is the rail's (a second JSON parse by Express would only be thrown away).
 */
export function readRawBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  // A host whose own middleware config gave this path a body parser with `preserveRawBody` kept the bytes for us.
  const kept = (req as IncomingMessage & { rawBody?: unknown }).rawBody
  if (Buffer.isBuffer(kept)) {
    return kept.length > limitBytes ? Promise.reject(new BodyTooLarge(limitBytes)) : Promise.resolve(kept)
  }
  if (req.readableEnded) return Promise.reject(new BodyAlreadyRead("the request body was read before this route, and its bytes were not kept"))
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"])
    if (Number.isFinite(declared) && declared > limitBytes) {
      req.resume()
      return reject(new BodyTooLarge(limitBytes))
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > limitBytes) {
        req.removeAllListeners("data")
        req.resume()
        reject(new BodyTooLarge(limitBytes))
        return
      }
      chunks.push(chunk)
    })
    req.once("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)))
    req.once("error", reject)
  })
}
