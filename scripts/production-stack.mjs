// Production's topology on one machine, each part a real process: PostgreSQL, Redis, the Gate sandbox, two Medusa
// servers (HTTP only) and one Medusa worker (scheduled jobs and subscribers), all sharing the database and Redis.
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { createConnection } from "node:net"
import { tmpdir } from "node:os"
import { delimiter, join } from "node:path"
import { freePort } from "./postgres.mjs"
import { ROOT, Stack, hasExited, signalGroup, untilStopped, waitForHttp } from "./stack.mjs"

const MEDUSA = join(ROOT, "node_modules", ".bin", "medusa")
const SERVER_COUNT = 2
const BOOT_TIMEOUT_MS = 240_000

export class ProductionStack extends Stack {
  /** Takes Stack's options; the app always runs as `medusa start` (the admin, if enabled, must be built). */
  constructor(options) {
    super(options)
    /** The two server processes, in the order of serverUrls. */
    this.servers = []
    /** Every worker process started, oldest first; `worker` is the last. */
    this.workers = []
  }

  async start() {
    await this.startRedis()
    // Every Medusa process of this stack uses Redis. The CLI commands Stack runs (db:migrate, user) load the whole app:
    // as servers they run no jobs and consume no events, so only the worker ever does.
    this.extraEnv = { ...this.extraEnv, REDIS_URL: this.redisUrl, MEDUSA_WORKER_MODE: "server" }
    // PostgreSQL, migrations, the sandbox (its callbacks go to the first server), then startApp() below.
    await super.start()
  }

  async startRedis() {
    const redisServer = findRedisServer()
    this.redisDir = mkdtempSync(join(tmpdir(), "flutterwave-redis-"))
    const port = await freePort()
    // Nothing written to disk: a test's Redis starts empty and leaves nothing behind.
    this.redis = this.spawn(
      "redis",
      redisServer,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.redisDir],
      process.env
    )
    this.redisUrl = `redis://127.0.0.1:${port}`
    const deadline = Date.now() + 15_000
    while ((await this.redisCommand("PING").catch(() => undefined)) !== "PONG") {
      if (hasExited(this.redis) || Date.now() > deadline) {
        throw new Error(`redis-server did not start on port ${port}:\n${this.redis.log.slice(-2_000)}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    this.log(`Redis ready on ${this.redisUrl}`)
  }

  /** Two servers and the worker, booting together; resolves when all three answer /health. */
  async startApp() {
    const ports = [this.appPort, ...(await Promise.all(Array.from({ length: SERVER_COUNT - 1 }, () => freePort())))]
    this.serverUrls = ports.map((port) => `http://localhost:${port}`)
    this.appUrl = this.serverUrls[0]
    this.workerPort = await freePort()
    // A worker loads no routes, but `medusa start` still listens, for /health only.
    this.workerUrl = `http://localhost:${this.workerPort}`
    this.servers = ports.map((port, index) =>
      this.spawn(`server-${index + 1}`, MEDUSA, ["start"], { ...this.appEnv(port), MEDUSA_WORKER_MODE: "server" })
    )
    this.app = this.servers[0]
    const worker = this.spawnWorker()
    await Promise.all([
      ...this.servers.map((server, index) => untilReady(server, this.serverUrls[index])),
      untilReady(worker, this.workerUrl),
    ])
    this.log(`Medusa servers ready on ${this.serverUrls.join(", ")}; worker ready (health on ${this.workerUrl})`)
  }

  spawnWorker() {
    const worker = this.spawn(`worker-${this.workers.length + 1}`, MEDUSA, ["start"], {
      ...this.appEnv(this.workerPort),
      MEDUSA_WORKER_MODE: "worker",
    })
    this.workers.push(worker)
    this.worker = worker
    return worker
  }

  /** The worker dies at once (SIGKILL of its process group), mid-job if it is in one: no shutdown hook runs. */
  async killWorker() {
    const worker = this.worker
    if (!worker || hasExited(worker)) return
    const exited = new Promise((resolve) => worker.once("exit", resolve))
    signalGroup(worker, "SIGKILL")
    await exited
  }

  /** A new worker process; resolves when it answers /health, i.e. Medusa has loaded and started its queues. */
  async startWorker() {
    if (this.worker && !hasExited(this.worker)) throw new Error("the worker is still running: killWorker() first")
    await untilReady(this.spawnWorker(), this.workerUrl)
  }

  /** Everything every worker process printed, oldest first. */
  workerOutput() {
    return this.workers.map((worker) => worker.log).join("")
  }

  /** Everything server `index` (0 or 1, as in serverUrls) printed. */
  serverOutput(index) {
    return this.servers[index].log
  }

  /**
   * One Redis command on a fresh connection, e.g. redisCommand("TTL", key). The reply decoded: a simple or bulk
   * string, an integer, null, or an array of those; an error reply rejects.
   */
  redisCommand(...args) {
    const port = Number(new URL(this.redisUrl).port)
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: "127.0.0.1", port })
      let received = Buffer.alloc(0)
      socket.setTimeout(5_000, () => socket.destroy(new Error(`redis: no reply to ${args[0]} within 5 s`)))
      socket.on("error", reject)
      socket.on("connect", () => socket.write(encodeCommand(args)))
      socket.on("data", (chunk) => {
        received = Buffer.concat([received, chunk])
        const reply = decodeReply(received, 0)
        if (!reply) return
        socket.end()
        if (reply.value instanceof Error) reject(reply.value)
        else resolve(reply.value)
      })
    })
  }

  spawn(name, command, args, env) {
    const child = super.spawn(name, command, args, env)
    // Stack keeps the last 20 kB for error messages; the topology test reads everything a process printed.
    child.log = ""
    const keepAll = (chunk) => {
      child.log += chunk.toString()
    }
    child.stdout.on("data", keepAll)
    child.stderr.on("data", keepAll)
    return child
  }

  async stop() {
    // Medusa first, while Redis still answers: its shutdown closes its queues there.
    this.stopping = true
    const medusa = [...this.servers, ...this.workers].filter((child) => !hasExited(child))
    for (const child of medusa) signalGroup(child, "SIGTERM")
    await Promise.all(medusa.map(untilStopped))
    await super.stop()
    if (this.redisDir) rmSync(this.redisDir, { recursive: true, force: true })
  }
}

/** redis-server on PATH, else Debian's /usr/bin/redis-server. */
function findRedisServer() {
  const candidates = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean).map((dir) => join(dir, "redis-server")), "/usr/bin/redis-server"]
  const found = candidates.find((path) => existsSync(path))
  if (found) return found
  throw new Error("redis-server is not installed: the production topology needs it (Debian: apt-get install redis-server)")
}

/** Waits for `url`/health, failing at once with the process's last output if it exits first. */
async function untilReady(child, url) {
  let onExit
  const died = new Promise((_, reject) => {
    onExit = () => reject(new Error(`${child.label} exited before it was ready:\n${child.log.split("\n").slice(-30).join("\n")}`))
    child.once("exit", onExit)
  })
  try {
    await Promise.race([waitForHttp(`${url}/health`, BOOT_TIMEOUT_MS), died])
  } finally {
    child.off("exit", onExit)
  }
}

function encodeCommand(args) {
  const parts = args.map(String)
  return `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join("")}`
}

/** One RESP reply from `buffer` at `start`: { value, end }, or undefined while it is incomplete. */
function decodeReply(buffer, start) {
  const lineEnd = buffer.indexOf("\r\n", start)
  if (lineEnd < 0) return undefined
  const type = String.fromCharCode(buffer[start])
  const line = buffer.toString("utf8", start + 1, lineEnd)
  const next = lineEnd + 2
  if (type === "+") return { value: line, end: next }
  if (type === "-") return { value: new Error(`redis: ${line}`), end: next }
  if (type === ":") return { value: Number(line), end: next }
  if (type === "$") {
    const length = Number(line)
    if (length < 0) return { value: null, end: next }
    if (buffer.length < next + length + 2) return undefined
    return { value: buffer.toString("utf8", next, next + length), end: next + length + 2 }
  }
  if (type === "*") {
    const count = Number(line)
    if (count < 0) return { value: null, end: next }
    const items = []
    let at = next
    for (let i = 0; i < count; i++) {
      const item = decodeReply(buffer, at)
      if (!item) return undefined
      items.push(item.value)
      at = item.end
    }
    return { value: items, end: at }
  }
  return { value: new Error(`redis: unexpected reply ${JSON.stringify(line)}`), end: next }
}
