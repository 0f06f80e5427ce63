/**
 * Flutterwave v3's answers as this rail reads them (docs/flutterwave-v3-wire.md), and the readers that check an
 * answer's `data` has what the rail relies on. Only the fields the rail uses are kept; amounts stay in major units as
 * Flutterwave wrote them, and become minor units in ./transform.ts only.
 */

/** An amount in major units, as Flutterwave wrote it (documented as a JSON number; decimal text read as well). */
export type MajorAmount = number | string

export type V3Transaction = {
  id: number
  tx_ref: string
  flw_ref?: string
  amount: MajorAmount
  currency: string
  status: string
  processor_response?: string
  payment_type?: string
  created_at?: string
}

export type V3Refund = {
  id: number
  tx_id?: number
  flw_ref?: string
  amount_refunded: MajorAmount
  status: string
  comments?: string
  created_at?: string
}

export type V3Transfer = {
  id: number
  reference: string
  amount: MajorAmount
  currency: string
  status: string
  complete_message?: string
  fee?: MajorAmount
  bank_code?: string
  account_number?: string
  created_at?: string
}

export type V3Bank = { id?: number; code: string; name: string }

export type V3HostedLinkRequest = {
  tx_ref: string
  amount: number
  currency: string
  redirect_url: string
  customer: { email: string; name?: string; phonenumber?: string }
  customizations?: { title?: string; description?: string }
  meta?: Record<string, string>
  configurations?: { session_duration?: number }
}

export type V3TransferRequest = {
  account_bank: string
  account_number: string
  amount: number
  currency: string
  debit_currency: string
  narration?: string
  reference: string
  callback_url?: string
}

export type V3RefundRequest = { amount: number; comments: string }

/** An answer's `data` is not what the documentation promises. */
export class MalformedAnswerError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "MalformedAnswerError"
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}

export function readTransaction(value: unknown, where = "data"): V3Transaction {
  const data = record(value, where)
  return {
    id: id(data.id, `${where}.id`),
    tx_ref: text(data.tx_ref, `${where}.tx_ref`),
    ...optionalText(data, "flw_ref"),
    amount: amount(data.amount, `${where}.amount`),
    currency: text(data.currency, `${where}.currency`),
    status: text(data.status, `${where}.status`),
    ...optionalText(data, "processor_response"),
    ...optionalText(data, "payment_type"),
    ...optionalText(data, "created_at"),
  }
}

export function readRefund(value: unknown, where = "data"): V3Refund {
  const data = record(value, where)
  return {
    id: id(data.id, `${where}.id`),
    ...(data.tx_id === undefined || data.tx_id === null ? {} : { tx_id: id(data.tx_id, `${where}.tx_id`) }),
    ...optionalText(data, "flw_ref"),
    amount_refunded: amount(data.amount_refunded, `${where}.amount_refunded`),
    status: text(data.status, `${where}.status`),
    ...optionalText(data, "comments"),
    ...optionalText(data, "created_at"),
  }
}

export function readTransfer(value: unknown, where = "data"): V3Transfer {
  const data = record(value, where)
  return {
    id: id(data.id, `${where}.id`),
    reference: text(data.reference, `${where}.reference`),
    amount: amount(data.amount, `${where}.amount`),
    currency: text(data.currency, `${where}.currency`),
    status: text(data.status, `${where}.status`),
    ...optionalText(data, "complete_message"),
    ...(data.fee === undefined || data.fee === null ? {} : { fee: amount(data.fee, `${where}.fee`) }),
    ...optionalText(data, "bank_code"),
    ...optionalText(data, "account_number"),
    ...optionalText(data, "created_at"),
  }
}

export function readBank(value: unknown, where = "data"): V3Bank {
  const data = record(value, where)
  return {
    ...(typeof data.id === "number" ? { id: data.id } : {}),
    code: text(data.code, `${where}.code`),
    name: text(data.name, `${where}.name`),
  }
}

export function readList<T>(value: unknown, readOne: (item: unknown, where: string) => T, where = "data"): T[] {
  if (!Array.isArray(value)) throw new MalformedAnswerError(`${where} is not a list`)
  return value.map((item, i) => readOne(item, `${where}[${i}]`))
}

/** `data.link` of a hosted-link answer: the absolute http(s) URL the shopper goes to. */
export function readHostedLink(value: unknown): string {
  const link = text(record(value, "data").link, "data.link")
  let url: URL
  try {
    url = new URL(link)
  } catch {
    throw new MalformedAnswerError("data.link is not a URL")
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new MalformedAnswerError("data.link is not an http(s) URL")
  return link
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (!isRecord(value)) throw new MalformedAnswerError(`${where} is not an object`)
  return value
}

function text(value: unknown, where: string): string {
  if (typeof value !== "string" || value === "") throw new MalformedAnswerError(`${where} is missing or not text`)
  return value
}

/** Flutterwave's ids are JSON integers; digits as text are read too (the id goes back into URLs as digits). */
function id(value: unknown, where: string): number {
  const number = typeof value === "string" && /^\d{1,15}$/.test(value) ? Number(value) : value
  if (typeof number !== "number" || !Number.isSafeInteger(number) || number < 0) {
    throw new MalformedAnswerError(`${where} is not an integer id`)
  }
  return number
}

function amount(value: unknown, where: string): MajorAmount {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value
  if (typeof value === "string" && /^\d+(\.\d+)?$/.test(value)) return value
  throw new MalformedAnswerError(`${where} is not an amount`)
}

function optionalText<K extends string>(data: Record<string, unknown>, key: K): Partial<Record<K, string>> {
  const value = data[key]
  return typeof value === "string" ? ({ [key]: value } as Partial<Record<K, string>>) : {}
}
