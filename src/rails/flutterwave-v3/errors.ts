/**
 * What can go wrong talking to Flutterwave's v3 API, split by what the caller may conclude:
 * - FlutterwaveV3RejectedError: Flutterwave answered 4xx (`status: "error"`) and did not do it. Nothing moved.
 *   - FlutterwaveV3AuthError: the 401 among those: the secret key is wrong or missing.
 * - FlutterwaveV3UnreachableError: the connection was refused or the name did not resolve: the request never left
 *   this machine. Nothing moved.
 * - FlutterwaveV3UnknownOutcomeError: timeout, connection lost, 5xx, or a 2xx we cannot read. It may have happened:
 *   look our reference up before anything else, never read it as a refusal.
 * Messages never contain the secret key (the client redacts any text it did not write itself).
 */
export class FlutterwaveV3Error extends Error {
  /** Which call: "createHostedLink", "refund", "verifyByReference", … */
  readonly operation: string
  /** Our reference (tx_ref, transfer reference) or Flutterwave's id the call was about, when there is one. */
  readonly subject?: string
  readonly httpStatus?: number

  constructor(message: string, details: { operation: string; subject?: string; httpStatus?: number; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = "FlutterwaveV3Error"
    this.operation = details.operation
    this.subject = details.subject
    this.httpStatus = details.httpStatus
  }
}

export class FlutterwaveV3RejectedError extends FlutterwaveV3Error {
  override readonly httpStatus: number
  /** Flutterwave's own message ("Invalid bank code"), or a description of the answer when it gave none. */
  readonly flutterwaveMessage: string

  constructor(details: { operation: string; subject?: string; httpStatus: number; flutterwaveMessage: string }) {
    super(
      `Flutterwave rejected the ${details.operation} request` +
        (details.subject ? ` for ${details.subject}` : "") +
        `: ${details.flutterwaveMessage} (HTTP ${details.httpStatus})`,
      details
    )
    this.name = "FlutterwaveV3RejectedError"
    this.httpStatus = details.httpStatus
    this.flutterwaveMessage = details.flutterwaveMessage
  }
}

/** HTTP 401: a rejection like any other (nothing moved), told apart because only a new key fixes it. */
export class FlutterwaveV3AuthError extends FlutterwaveV3RejectedError {
  constructor(details: { operation: string; subject?: string; flutterwaveMessage: string }) {
    super({ ...details, httpStatus: 401 })
    this.name = "FlutterwaveV3AuthError"
    this.message = `Flutterwave refused the secret key for the ${details.operation} request: ${details.flutterwaveMessage} (HTTP 401)`
  }
}

export class FlutterwaveV3UnreachableError extends FlutterwaveV3Error {
  /** The system's code for why the connection failed (ECONNREFUSED, ENOTFOUND, …). */
  readonly code: string

  constructor(details: { operation: string; subject?: string; code: string; cause?: unknown }) {
    super(`Flutterwave could not be reached for the ${details.operation} request (${details.code}); nothing was sent`, details)
    this.name = "FlutterwaveV3UnreachableError"
    this.code = details.code
  }
}

export type FlutterwaveV3UnknownReason = "timeout" | "connection_lost" | "server_error" | "invalid_response"

export class FlutterwaveV3UnknownOutcomeError extends FlutterwaveV3Error {
  readonly reason: FlutterwaveV3UnknownReason

  constructor(details: {
    reason: FlutterwaveV3UnknownReason
    operation: string
    subject?: string
    httpStatus?: number
    detail?: string
    cause?: unknown
  }) {
    super(
      `The outcome of the ${details.operation} request` +
        (details.subject ? ` for ${details.subject}` : "") +
        ` is unknown (${details.reason}${details.detail ? `: ${details.detail}` : ""}); look it up before sending it again`,
      details
    )
    this.name = "FlutterwaveV3UnknownOutcomeError"
    this.reason = details.reason
  }
}

/**
 * Flutterwave's "there is no such transaction": verify answers 400 "No transaction was found for this id", a refund of
 * an unknown id 404 "Transaction not found" (docs/flutterwave-v3-wire.md). Any other rejection is not a "not found".
 */
export function isFlutterwaveV3NotFound(error: unknown): error is FlutterwaveV3RejectedError {
  return (
    error instanceof FlutterwaveV3RejectedError &&
    !(error instanceof FlutterwaveV3AuthError) &&
    (error.httpStatus === 400 || error.httpStatus === 404) &&
    /no transaction|transaction not found/i.test(error.flutterwaveMessage)
  )
}
