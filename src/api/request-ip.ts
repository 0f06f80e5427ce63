import { isIP } from "node:net"

/** The client's IP address as Gate wants it (no IPv4-mapped IPv6 prefix), or undefined when there is none. */
export function requestIp(req: { ip?: string }): string | undefined {
  const raw = (req.ip ?? "").replace(/^::ffff:/, "")
  return isIP(raw) ? raw : undefined
}
