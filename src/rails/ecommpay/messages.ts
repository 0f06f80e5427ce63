import type {
  GateErrorEntry,
  GateOperation,
  GatePayment,
  GateRedirectData,
  GateSum,
} from "./types"

/**
 * Reading the blocks Gate's callbacks and status answers share (`payment`, `operation`, `errors`,
 * `redirect_data`) into typed values. A required field that is missing or of the wrong type is a MalformedMessage
 * naming its path, so a bad body is reported precisely instead of failing somewhere downstream.
 */
export class MalformedMessageError extends Error {
  readonly path: string
  constructor(path: string, problem: string) {
    super(`${path} ${problem}`)
    this.name = "MalformedMessageError"
    this.path = path
  }
}

type Obj = Record<string, unknown>

export function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value)
}

export function requireObject(value: unknown, path: string): Obj {
  if (!isObject(value)) throw new MalformedMessageError(path, "must be an object")
  return value
}

function requireString(value: unknown, path: string): string {
  if (typeof value === "string" && value.length > 0) return value
  if (typeof value === "number" || typeof value === "bigint") return String(value)
  throw new MalformedMessageError(path, "must be a non-empty string")
}

function optionalString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === "string") return value
  if (typeof value === "number" || typeof value === "bigint") return String(value)
  return undefined
}

export function requireInteger(value: unknown, path: string): number {
  if (typeof value === "number" && Number.isSafeInteger(value)) return value
  if (typeof value === "string" && /^-?\d{1,15}$/.test(value)) return Number(value)
  throw new MalformedMessageError(path, "must be an integer")
}

export function readSum(value: unknown, path: string): GateSum {
  const sum = requireObject(value, path)
  const amount = requireInteger(sum.amount, `${path}.amount`)
  if (amount < 0) throw new MalformedMessageError(`${path}.amount`, "must not be negative")
  const currency = requireString(sum.currency, `${path}.currency`)
  if (!/^[A-Za-z]{3}$/.test(currency)) throw new MalformedMessageError(`${path}.currency`, "must be an ISO 4217 code")
  return { amount, currency: currency.toUpperCase() }
}

function optionalSum(value: unknown, path: string): GateSum | undefined {
  return value === undefined || value === null ? undefined : readSum(value, path)
}

export function readPayment(value: unknown, path = "payment"): GatePayment {
  const payment = requireObject(value, path)
  return {
    id: requireString(payment.id, `${path}.id`),
    type: optionalString(payment.type) ?? "purchase",
    status: requireString(payment.status, `${path}.status`),
    method: optionalString(payment.method),
    date: optionalString(payment.date),
    sum: readSum(payment.sum, `${path}.sum`),
    description: optionalString(payment.description),
  }
}

export function readOperation(value: unknown, path = "operation"): GateOperation {
  const operation = requireObject(value, path)
  const provider = isObject(operation.provider) ? operation.provider : undefined
  return {
    id: requireString(operation.id, `${path}.id`),
    type: requireString(operation.type, `${path}.type`),
    status: requireString(operation.status, `${path}.status`),
    requestId: optionalString(operation.request_id),
    date: optionalString(operation.date),
    createdDate: optionalString(operation.created_date),
    sumInitial: optionalSum(operation.sum_initial, `${path}.sum_initial`),
    sumConverted: optionalSum(operation.sum_converted, `${path}.sum_converted`),
    code: optionalString(operation.code),
    message: optionalString(operation.message),
    provider: provider && {
      id: optionalString(provider.id),
      paymentId: optionalString(provider.payment_id),
      date: optionalString(provider.date),
      authCode: optionalString(provider.auth_code),
    },
  }
}

export function readErrors(value: unknown): GateErrorEntry[] {
  if (!Array.isArray(value)) return []
  return value.filter(isObject).map((entry) => ({
    code: optionalString(entry.code),
    message: optionalString(entry.message),
    description: optionalString(entry.description),
    field: optionalString(entry.field),
  }))
}

export function readRedirectData(value: unknown): GateRedirectData | undefined {
  if (!isObject(value) || typeof value.url !== "string" || value.url === "") return undefined
  return {
    method: typeof value.method === "string" ? value.method.toUpperCase() : "GET",
    url: value.url,
    body: isObject(value.body) ? value.body : {},
  }
}
