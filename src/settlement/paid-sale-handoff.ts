/**
 * A paid sale the ledger has just recorded, handed to the provider for the order completion it is placing.
 *
 * Placing the order runs Medusa's workflow, which calls the provider's `authorizePayment` for the same sale. The
 * provider would otherwise read the ledger again (or ask the rail) to learn what the intake knows already: that the
 * ledger holds this sale as paid, for this amount. The hand-off lives in this process only and only while the
 * completion runs; anything else (another process, a storefront's own completion) finds nothing here and reads the
 * ledger as before.
 */
export type HandedOffSale = { gatePaymentId: string; amount: number; currency: string }

const handedOff = new Map<string, { sale: HandedOffSale; holders: number }>()

/** Runs `work` (Medusa's completion) with the sale handed off; several completions of one sale may overlap. */
export async function withPaidSaleHandedOff<T>(sale: HandedOffSale, work: () => Promise<T>): Promise<T> {
  const entry = handedOff.get(sale.gatePaymentId)
  if (entry) entry.holders++
  else handedOff.set(sale.gatePaymentId, { sale, holders: 1 })
  try {
    return await work()
  } finally {
    const current = handedOff.get(sale.gatePaymentId)
    if (current && --current.holders === 0) handedOff.delete(sale.gatePaymentId)
  }
}

/** The paid sale the intake is placing an order for right now in this process, if it is this one. */
export function handedOffPaidSale(gatePaymentId: string): HandedOffSale | undefined {
  return handedOff.get(gatePaymentId)?.sale
}
