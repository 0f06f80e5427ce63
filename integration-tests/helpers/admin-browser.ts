import { cpSync, mkdirSync, rmSync } from "node:fs"
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import type { Browser, Page } from "playwright-core"
import { launchChromium } from "./chromium"
import { signInAdmin } from "./live-app"

const ROOT = process.cwd()
export const SHOTS = join(ROOT, "artifacts", "screenshots")

export type AdminInBrowser = {
  stack: any
  browser: Browser
  page: Page
  app: Awaited<ReturnType<typeof signInAdmin>>
  stop(): Promise<void>
}

/**
 * The admin as a store owner meets it: the dashboard with this plugin's extensions built as a store builds it
 * (`medusa build --admin-only`, served by `medusa start` from public/admin), the stack's real processes (PostgreSQL,
 * the Gate sandbox, Medusa), an admin user, and Debian's Chromium signed in on the dashboard.
 */
export async function startAdminInBrowser(options: {
  databaseName: string
  email: string
  password: string
  /** Start without the ECommPay keys, as a store that enters them in Settings → Flutterwave. */
  keysInAdmin?: boolean
  viewport?: { width: number; height: number }
  acceptDownloads?: boolean
}): Promise<AdminInBrowser> {
  const build = spawnSync(join(ROOT, "node_modules", ".bin", "medusa"), ["build", "--admin-only"], {
    cwd: ROOT,
    env: { ...process.env, MEDUSA_DISABLE_TELEMETRY: "true" },
    encoding: "utf8",
  })
  if (build.status !== 0) throw new Error(`admin build failed:\n${build.stdout}\n${build.stderr}`)
  rmSync(join(ROOT, "public", "admin"), { recursive: true, force: true })
  cpSync(join(ROOT, ".medusa", "admin"), join(ROOT, "public", "admin"), { recursive: true })
  mkdirSync(SHOTS, { recursive: true })

  const { Stack } = await import("../../scripts/stack.mjs" as string)
  const stack = new Stack({ log: () => undefined, databaseName: options.databaseName, adminBuilt: true, keysInAdmin: options.keysInAdmin ?? false })
  await stack.start()
  const app = await signInAdmin(stack, options.email, options.password)

  const browser = await launchChromium()
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1440, height: 1000 }, acceptDownloads: options.acceptDownloads })
  page.setDefaultTimeout(60_000)
  await page.goto(`${stack.appUrl}/app/login`)
  await page.fill('input[name="email"]', options.email)
  await page.fill('input[name="password"]', options.password)
  await page.click('button[type="submit"]')
  await page.waitForURL(/\/app\/(orders|products|$)/)

  return {
    stack,
    browser,
    page,
    app,
    async stop() {
      await browser.close()
      await stack.stop()
    },
  }
}
