import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { CallbackResult } from "../../settlement/receive-notification"
import { BodyAlreadyRead, BodyTooLarge, CALLBACK_BODY_LIMIT_BYTES, readRawBody } from "../raw-body"

/**
 * What a notification route does around its intake, for ECommPay's callbacks and Flutterwave's webhooks alike: reads
 * the exact bytes (size-limited: 413 and the connection closed beyond it, the rest unread), hands them to `receive`,
 * and turns its result into the HTTP answer the sender acts on (only 200 stops its retries).
 */
export async function answerNotification(
  req: MedusaRequest,
  res: MedusaResponse,
  what: { name: "callback" | "webhook"; path: string },
  receive: (body: Buffer) => Promise<CallbackResult>
): Promise<void> {
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
      req.scope.resolve("logger").error(`flutterwave: ${what.name} not read: ${error.message}; remove the body parser configured for ${what.path}`)
      res.status(500).json({ message: "Retry later", outcome: "rejected", reason: error.message })
      return
    }
    throw error
  }
  const result = await receive(body)
  res.status(result.httpStatus).json({
    message:
      result.httpStatus === 200 ? "OK" : result.httpStatus === 409 ? "In progress" : result.httpStatus === 503 ? "Retry later" : "Rejected",
    outcome: result.outcome,
    ...(result.httpStatus !== 200 && result.reason ? { reason: result.reason } : {}),
  })
}
