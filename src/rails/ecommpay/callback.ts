import { JsonSyntaxError, parseJsonLossless } from "./json"
import {
  isObject,
  MalformedMessageError,
  readErrors,
  readOperation,
  readPayment,
  readRedirectData,
  requireInteger,
} from "./messages"
import { assertSignableDepth, extractSignature, verifySignature } from "./signature"
import type { GateErrorEntry, GateOperation, GatePayment, GateRedirectData } from "./types"

/**
 * A verified Gate callback. ECommPay sends sale, refund and payout callbacks to the project's one callback URL, so
 * the same shape serves all three; `operation.type` tells them apart.
 */
export type GateCallback = {
  projectId: number
  payment: GatePayment
  /** Absent only in the prescriptive "awaiting redirect result" callbacks that precede an operation's result. */
  operation?: GateOperation
  errors: GateErrorEntry[]
  redirectData?: GateRedirectData
  account?: { number?: string }
  customer?: { id?: string }
  /** The verified body as parsed (integers beyond 2^53 as bigint). */
  raw: Record<string, unknown>
}

export type CallbackRejection = "malformed" | "signature" | "project"

export class CallbackError extends Error {
  readonly reason: CallbackRejection
  constructor(reason: CallbackRejection, message: string) {
    super(message)
    this.name = "CallbackError"
    this.reason = reason
  }
}

export type ParseCallbackOptions = { secretKey: string; projectId: number }

/**
 * Parse and verify a callback body (the raw text or Buffer as received, or an already parsed object).
 * Verification comes before anything is read from the body, so nothing unverified ever reaches the caller.
 * Errors name what is wrong without echoing the signature or the secret. Whatever goes wrong before or during
 * verification (a body nested too deeply, a number JSON reads as Infinity, anything thrown) is a CallbackError, so
 * the route answers 400/401, never 500.
 */
export function parseCallback(body: string | Buffer | object, options: ParseCallbackOptions): GateCallback {
  const parsed = verifiedBody(body, options.secretKey)

  let projectId: number
  try {
    projectId = requireInteger(
      parsed.project_id ?? (isObject(parsed.general) ? parsed.general.project_id : undefined),
      "project_id"
    )
  } catch (error) {
    throw asMalformed(error)
  }
  if (projectId !== options.projectId) {
    throw new CallbackError("project", `Callback is for project ${projectId}, not this store's project`)
  }

  try {
    return {
      projectId,
      payment: readPayment(parsed.payment),
      operation: parsed.operation === undefined || parsed.operation === null ? undefined : readOperation(parsed.operation),
      errors: readErrors(parsed.errors),
      redirectData: readRedirectData(parsed.redirect_data),
      account: isObject(parsed.account)
        ? { number: typeof parsed.account.number === "string" ? parsed.account.number : undefined }
        : undefined,
      customer: isObject(parsed.customer)
        ? { id: parsed.customer.id === undefined ? undefined : String(parsed.customer.id) }
        : undefined,
      raw: parsed,
    }
  } catch (error) {
    throw asMalformed(error)
  }
}

function verifiedBody(body: string | Buffer | object, secretKey: string): Record<string, unknown> {
  let parsed: Record<string, unknown>
  let verifies: boolean
  try {
    parsed = parseBody(body)
    if (extractSignature(parsed) === undefined) {
      throw new CallbackError("signature", "Callback has no signature")
    }
    verifies = verifySignature(parsed, secretKey)
  } catch (error) {
    if (error instanceof CallbackError) throw error
    throw new CallbackError("malformed", `Callback is malformed: ${errorText(error)}`)
  }
  if (!verifies) throw new CallbackError("signature", "Callback signature does not verify")
  return parsed
}

function parseBody(body: string | Buffer | object): Record<string, unknown> {
  let value: unknown = body
  if (typeof body === "string" || Buffer.isBuffer(body)) {
    const text = Buffer.isBuffer(body) ? body.toString("utf8") : body
    if (text.trim() === "") throw new CallbackError("malformed", "Callback body is empty")
    try {
      value = parseJsonLossless(text)
    } catch (error) {
      if (error instanceof JsonSyntaxError) throw new CallbackError("malformed", "Callback body is not valid JSON")
      throw error
    }
  }
  if (!isObject(value)) throw new CallbackError("malformed", "Callback body must be a JSON object")
  // Before the signature is even looked for: a body this deep is malformed whether it is signed or not.
  assertSignableDepth(value)
  return value
}

/** The message of whatever was thrown, kept short: it ends up in a log line and a 400 answer. */
function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.length > 200 ? text.slice(0, 200) + "…" : text
}

function asMalformed(error: unknown): unknown {
  if (error instanceof MalformedMessageError) {
    return new CallbackError("malformed", `Callback is malformed: ${error.message}`)
  }
  return error
}
