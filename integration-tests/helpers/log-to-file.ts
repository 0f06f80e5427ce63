import { mkdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

/**
 * Imported first by a suite that must read everything the app logs: Medusa's logger adds a file transport when
 * LOG_FILE is set, and reads it once, when it is first loaded. Jest's console may or may not pass the logger's lines
 * through process.stdout (it depends on how many suites run), so the file is the one reliable record.
 */
const dir = join(tmpdir(), "flutterwave-test-logs")
mkdirSync(dir, { recursive: true })
export const LOG_FILE = join(dir, `app-${process.pid}-${Date.now()}.log`)
process.env.LOG_FILE = LOG_FILE
