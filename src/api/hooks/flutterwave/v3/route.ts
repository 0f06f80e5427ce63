import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { receiveFlutterwaveWebhook } from "../../../../settlement/receive-notification"
import { answerNotification } from "../../notification-route"

/**
 * The webhook URL to paste in Flutterwave's dashboard (Settings → Webhooks) for merchants with their own account.
 * 200 means "recorded, do not send again" (the dashboard's test event included); 401 a missing or wrong
 * `verif-hash`; 400 a body that is not a JSON event; 413 a body too large to be Flutterwave's (nothing changes either
 * way); 409 the same webhook is being applied by a simultaneous delivery; 503 Flutterwave's API could not confirm the
 * payment yet (Flutterwave retries 3 times, 30 minutes apart; reconciliation asks the API in the meantime).
 */
export async function POST(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  await answerNotification(req, res, { name: "webhook", path: "/hooks/flutterwave/v3" }, (body) =>
    receiveFlutterwaveWebhook(req.scope, body, req.headers)
  )
}
