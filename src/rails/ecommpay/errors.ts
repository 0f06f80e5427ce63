/**
 * What can go wrong talking to Gate, split by what the caller may conclude:
 * - GateRejectedError: Gate answered and did not accept the request. Nothing happened; the request may be fixed
 *   and sent again (with a new payment_id after a decline).
 * - GateUnreachableError: the connection was refused before anything was sent. Nothing happened.
 * - GateUnknownOutcomeError: timeout, 5xx, connection lost mid-request, or an answer we cannot trust. The
 *   operation may or may not exist at Gate: ask `status` before anything else, never treat it as a decline.
 * Messages never contain the secret key or a signature.
 */
export class GateError extends Error {
  /** Gate's code ("3061", "3261", …) when Gate gave one. */
  readonly code?: string
  readonly httpStatus?: number
  readonly operation: string
  readonly paymentId?: string

  constructor(
    message: string,
    details: { code?: string; httpStatus?: number; operation: string; paymentId?: string; cause?: unknown }
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = "GateError"
    this.code = details.code
    this.httpStatus = details.httpStatus
    this.operation = details.operation
    this.paymentId = details.paymentId
  }
}

export class GateRejectedError extends GateError {
  /** Gate's own message for the rejection. */
  readonly gateMessage: string

  constructor(details: {
    code?: string
    gateMessage: string
    httpStatus?: number
    operation: string
    paymentId?: string
  }) {
    super(
      `Gate rejected the ${details.operation} request` +
        (details.paymentId ? ` for payment ${details.paymentId}` : "") +
        `: ${details.gateMessage}` +
        (details.code ? ` (code ${details.code})` : ""),
      details
    )
    this.name = "GateRejectedError"
    this.gateMessage = details.gateMessage
  }
}

export class GateUnreachableError extends GateError {
  constructor(details: { operation: string; paymentId?: string; cause?: unknown }) {
    super(`Gate could not be reached for the ${details.operation} request; nothing was sent`, details)
    this.name = "GateUnreachableError"
  }
}

export type UnknownOutcomeReason = "timeout" | "server_error" | "connection_lost" | "invalid_response"

export class GateUnknownOutcomeError extends GateError {
  readonly reason: UnknownOutcomeReason

  constructor(details: {
    reason: UnknownOutcomeReason
    operation: string
    paymentId?: string
    httpStatus?: number
    code?: string
    detail?: string
    cause?: unknown
  }) {
    super(
      `The outcome of the ${details.operation} request` +
        (details.paymentId ? ` for payment ${details.paymentId}` : "") +
        ` is unknown (${details.reason}${details.detail ? `: ${details.detail}` : ""}); ask Gate for its status`,
      details
    )
    this.name = "GateUnknownOutcomeError"
    this.reason = details.reason
  }
}

export function isGateNotFound(error: unknown): boolean {
  return error instanceof GateRejectedError && error.code === "3061"
}
