import { GateClient } from "../../rails/ecommpay"
import { GateSandbox, type GateSandboxOptions } from "../server"
import { CallbackReceiver } from "./callback-receiver"

export type SandboxUnderTest = { sandbox: GateSandbox; receiver: CallbackReceiver; client: GateClient }

/**
 * A started sandbox whose callbacks go to a real HTTP receiver, and our Gate client pointed at it: what the sandbox's
 * own tests talk to. Callback retries are fast so a test never waits on Gate's real schedule.
 */
export async function startSandboxUnderTest(
  projectId: number,
  secretKey: string,
  options: Partial<GateSandboxOptions> = {}
): Promise<SandboxUnderTest> {
  const receiver = new CallbackReceiver()
  await receiver.start()
  const sandbox = new GateSandbox({ projectId, secretKey, callbackUrl: receiver.url, callbackRetryDelaysMs: [20, 20, 20], ...options })
  await sandbox.start()
  const client = new GateClient({ projectId, secretKey, baseUrl: sandbox.url, timeoutMs: 2_000, retryDelayMs: 10 })
  return { sandbox, receiver, client }
}

/** Forgets every payment, script and received callback between tests. */
export function resetSandboxUnderTest({ sandbox, receiver }: Pick<SandboxUnderTest, "sandbox" | "receiver">): void {
  sandbox.reset()
  receiver.bodies.length = 0
  receiver.failNext = 0
}

export async function stopSandboxUnderTest({ sandbox, receiver }: Pick<SandboxUnderTest, "sandbox" | "receiver">): Promise<void> {
  await sandbox.close()
  await receiver.close()
}
