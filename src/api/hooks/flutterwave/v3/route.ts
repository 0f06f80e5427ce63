import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { receiveFlutterwaveWebhook } from "../../../../settlement/receive-notification"
import { BodyAlreadyRead, BodyTooLarge, CALLBACK_BODY_LIMIT_BYTES, readRawBody } from "../../../raw-body"

/**
 * The webhook URL to paste in Flutterwave's dashboard (Settings → Webhooks) for merchants with their own account.
 * 200 means "recorded, do not send again" (the dashboard's test event included); 401 a missing or wrong
 * `verif-hash`; 400 a body that is not JSON; 413 a body too large to be Flutterwave's (nothing changes either way);
 * 409 the same webhook is being applied by a simultaneous delivery; 503 Flutterwave's API could not confirm the
 * payment yet (Flutterwave retries 3 times, 30 minutes apart; reconciliation asks the API in the meantime).
 */
export async function POST(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  let body: Buffer
  try {
    body = await readRawBody(req, CALLBACK_BODY_LIMIT_BYTES)
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      res.setHeader("Connection", "close")
      res.status(413).json({ message: "Rejected", outcome: "rejected", reason: error.message })
      return
    }
    if (error instanceof BodyAlreadyRead) {
      req.scope.resolve("logger").error(`flutterwave: webhook not read: ${error.message}; remove the body parser configured for /hooks/flutterwave/v3`)
      res.status(500).json({ message: "Retry later", outcome: "rejected", reason: error.message })
      return
    }
    throw error
  }
  const result = await receiveFlutterwaveWebhook(req.scope, body, req.headers)
  res.status(result.httpStatus).json({
    message:
      result.httpStatus === 200 ? "OK" : result.httpStatus === 409 ? "In progress" : result.httpStatus === 503 ? "Retry later" : "Rejected",
    outcome: result.outcome,
    ...(result.httpStatus !== 200 && result.reason ? { reason: result.reason } : {}),
  })
}
