import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { receiveGateCallback } from "../../../settlement/receive-notification"
import { answerNotification } from "../notification-route"

/**
 * The callback URL to give ECommPay: sale, refund and payout callbacks all arrive here. 200 means "recorded, do not
 * send again"; 401 a bad signature, 400 a malformed body or another project's callback, 413 a body too large to be
 * Gate's (nothing changes either way); 409 the same callback is being applied by a simultaneous delivery (Gate
 * retries; the retry is answered 200); 503 the callback arrived before Medusa saved the payment session it is about
 * (Gate retries; nothing was recorded).
 */
export async function POST(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  await answerNotification(req, res, { name: "callback", path: "/hooks/flutterwave" }, (body) => receiveGateCallback(req.scope, body))
}
