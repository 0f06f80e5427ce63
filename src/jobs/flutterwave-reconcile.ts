import type { MedusaContainer } from "@medusajs/framework/types"
import { reconcile } from "../settlement/reconcile"

/** Every 5 minutes: settle what Gate has finished but whose callback never reached us. */
export default async function flutterwaveReconcileJob(container: MedusaContainer): Promise<void> {
  await reconcile(container, "job")
}

export const config = { name: "flutterwave-reconcile", schedule: "*/5 * * * *" }
