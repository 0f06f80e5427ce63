import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { receiveGateCallback } from "../../../settlement/receive-notification"
import { BodyAlreadyRead, BodyTooLarge, CALLBACK_BODY_LIMIT_BYTES, readRawBody } from "../../raw-body"

/**
 * The callback URL to give ECommPay: sale, refund and payout callbacks all arrive here. 200 means "recorded, do not
 * send again"; 401 a bad signature, 400 a malformed body or another project's callback, 413 a body too large to be
 * Gate's (nothing changes either way); 409 the same callback is being applied by a simultaneous delivery (Gate
 * retries; the retry is answered 200); 503 the callback arrived before Medusa saved the payment session it is about
 * (Gate retries; nothing was recorded).
 */
export async function POST(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  let body: Buffer
  try {
    body = await readRawBody(req, CALLBACK_BODY_LIMIT_BYTES)
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      // The rest of an oversized upload is not read: the connection closes once this answer is sent.
      res.setHeader("Connection", "close")
      res.status(413).json({ message: "Rejected", outcome: "rejected", reason: error.message })
      return
    }
    if (error instanceof BodyAlreadyRead) {
      req.scope.resolve("logger").error(`flutterwave: callback not read: ${error.message}; remove the body parser configured for /hooks/flutterwave`)
      res.status(500).json({ message: "Retry later", outcome: "rejected", reason: error.message })
      return
    }
    throw error
  }
  const result = await receiveGateCallback(req.scope, body)
  res.status(result.httpStatus).json({
    message:
      result.httpStatus === 200 ? "OK" : result.httpStatus === 409 ? "In progress" : result.httpStatus === 503 ? "Retry later" : "Rejected",
    outcome: result.outcome,
    ...(result.httpStatus !== 200 && result.reason ? { reason: result.reason } : {}),
  })
}
