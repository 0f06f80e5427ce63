import * as fc from "fast-check"
import {
  ApplicationMethodAllocation,
  ApplicationMethodType,
  BigNumber,
  calculateAdjustmentAmountFromPromotion,
  decorateCartTotals,
  defaultCurrencies,
  MathBN,
  MEDUSA_EPSILON,
} from "@medusajs/framework/utils"
import {
  cartTotalToMinorUnits,
  CHARGE_DECIMALS,
  CURRENCY_EXPONENTS,
  fromMinorUnits,
  refundSliceToMinorUnits,
  roundHalfUpToMinorUnits,
  SUPPORTED_CURRENCIES,
  toMinorUnits,
  type GateCurrency,
} from "../money"

/**
 * THE rounding rule against carts priced by Medusa's own totals code (`decorateCartTotals`, and
 * `calculateAdjustmentAmountFromPromotion` for percentage promotions, from @medusajs/utils), with tax-exclusive prices
 * as the realistic store has them. Medusa leaves those totals unrounded; what Gate charges must be the total the
 * shopper is shown, rounded half up to the currency's charge decimals.
 */

type Decimal = ReturnType<typeof MathBN.convert>
/** bignumber.js's ROUND_HALF_UP and ROUND_FLOOR (bignumber.js is Medusa's dependency, reached through MathBN). */
const ROUND_HALF_UP = 4 as const
const ROUND_FLOOR = 3 as const

const NUM_RUNS = 150

type Item = { unitPrice: Decimal; quantity: number }
type Cart = { currency: GateCurrency; items: Item[]; taxRate: number; promotion?: Promotion }
type Promotion = { percent: number; allocation: "across" | "each"; maxQuantity: number }

/** Prices in Medusa's display precision: whole cents, or whole units for TZS and UGX. */
function itemArb(currency: GateCurrency): fc.Arbitrary<Item> {
  const displayDecimals = defaultCurrencies[currency].decimal_digits
  const steps = fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 1_000_000_000 }))
  return fc.record({
    unitPrice: steps.map((n) => MathBN.div(n, 10 ** displayDecimals)),
    quantity: fc.integer({ min: 1, max: 5 }),
  })
}

/** 0–30 % with up to two decimals, and Nigeria's 7.5 % often. */
const taxRateArb = fc.oneof(
  fc.constant(7.5),
  fc.integer({ min: 0, max: 30 }),
  fc.integer({ min: 0, max: 3000 }).map((basisPoints) => basisPoints / 100)
)

/** 0–90 %, whole and with decimals. */
const promotionArb: fc.Arbitrary<Promotion | undefined> = fc.option(
  fc.record({
    percent: fc.oneof(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 9000 }).map((n) => n / 100)),
    allocation: fc.constantFrom("across" as const, "each" as const),
    maxQuantity: fc.integer({ min: 1, max: 5 }),
  }),
  { nil: undefined }
)

function cartArb(currency: GateCurrency): fc.Arbitrary<Cart> {
  return fc.record({
    currency: fc.constant(currency),
    items: fc.array(itemArb(currency), { minLength: 1, maxLength: 3 }),
    taxRate: taxRateArb,
    promotion: promotionArb,
  })
}

/** Fresh Medusa-shaped line items (decorateCartTotals writes its totals into the objects it is given). */
function lineItems(cart: Cart, adjustments: Decimal[] = []) {
  return cart.items.map((item, index) => ({
    id: `item_${index}`,
    unit_price: new BigNumber(item.unitPrice),
    quantity: item.quantity,
    is_tax_inclusive: false,
    tax_lines: [{ rate: cart.taxRate }],
    adjustments: MathBN.gt(adjustments[index] ?? 0, 0) ? [{ amount: new BigNumber(adjustments[index]) }] : [],
  }))
}

/**
 * The cart total as Medusa computes it: price the items, let the promotion module's formula compute each item's
 * adjustment from the decorated items (as `getActionsToComputeFromPromotionsStep` does), then price the cart again
 * with the adjustments.
 */
function medusaCartTotal(cart: Cart): BigNumber {
  let adjustments: Decimal[] = []
  if (cart.promotion) {
    const promotion = cart.promotion
    const items = lineItems(cart)
    // decorateCartTotals writes each item's totals (subtotal, original_total, …) into the item objects.
    decorateCartTotals({ currency_code: cart.currency.toLowerCase(), items })
    const priced = items as unknown as { subtotal: BigNumber; original_total: BigNumber; quantity: number }[]
    const lineItemsAmount = MathBN.sum(...priced.map((item) => item.subtotal))
    adjustments = priced.map((item) =>
      calculateAdjustmentAmountFromPromotion(
        item,
        {
          value: promotion.percent,
          applied_value: 0,
          is_tax_inclusive: false,
          max_quantity: promotion.allocation === "each" ? promotion.maxQuantity : undefined,
          type: ApplicationMethodType.PERCENTAGE,
          allocation:
            promotion.allocation === "each" ? ApplicationMethodAllocation.EACH : ApplicationMethodAllocation.ACROSS,
        },
        lineItemsAmount
      )
    )
  }
  const { total } = decorateCartTotals({
    currency_code: cart.currency.toLowerCase(),
    items: lineItems(cart, adjustments),
  })
  if (!(total instanceof BigNumber)) throw new Error("decorateCartTotals gave a total that is not a BigNumber")
  return total
}

/**
 * The same total by the plain formula: per item, subtotal = unit_price × qty, discount = discounted base × pct / 100
 * (the whole subtotal for an "across" promotion, max_quantity units for an "each" one), tax = (subtotal − discount) ×
 * rate / 100, total = subtotal − discount + tax; the cart adds its items up. Two quirks of Medusa's code are kept:
 * - an adjustment of MEDUSA_EPSILON (0.0001) or less is dropped (`calculateAdjustmentAmountFromPromotion`);
 * - the adjustment is spread per unit and multiplied back (`getLineItemTotals`: discount ÷ qty × qty), and the
 *   division keeps 20 decimals, so 0.0022 over 3 units comes back as 0.00219999999999999999.
 */
function formulaCartTotal(cart: Cart): Decimal {
  return MathBN.sum(
    ...cart.items.map((item) => {
      const subtotal = MathBN.mult(item.unitPrice, item.quantity)
      const discountedBase = !cart.promotion
        ? MathBN.convert(0)
        : cart.promotion.allocation === "across"
          ? subtotal
          : MathBN.mult(item.unitPrice, Math.min(item.quantity, cart.promotion.maxQuantity))
      let discount = MathBN.div(MathBN.mult(discountedBase, cart.promotion?.percent ?? 0), 100)
      if (MathBN.lte(discount, MEDUSA_EPSILON)) discount = MathBN.convert(0)
      const discountSubtotal = MathBN.mult(MathBN.div(discount, item.quantity), item.quantity)
      const taxable = MathBN.sub(subtotal, discountSubtotal)
      const tax = MathBN.mult(taxable, MathBN.div(cart.taxRate, 100))
      return MathBN.add(taxable, tax)
    })
  )
}

function pow10(n: number): Decimal {
  return MathBN.exp(10, n)
}

/** What THE rule gives, by bignumber.js's own half-up rounding: the reference the bigint implementation must meet. */
function referenceMinor(exact: Decimal, currency: GateCurrency): Decimal {
  const decimals = CHARGE_DECIMALS[currency]
  return MathBN.mult(
    MathBN.convert(exact).decimalPlaces(decimals, ROUND_HALF_UP),
    pow10(CURRENCY_EXPONENTS[currency])
  )
}

describe.each(SUPPORTED_CURRENCIES)("THE rounding rule on Medusa-priced %s carts", (currency) => {
  const exponent = CURRENCY_EXPONENTS[currency]
  const decimals = CHARGE_DECIMALS[currency]
  /** One charge unit in Gate minor units: 1 for cents, 100 for whole TZS, 1 for whole UGX. */
  const chargeUnit = pow10(exponent - decimals)

  it("prices the cart as the plain formula says (tax-exclusive: subtotal − discount + tax, with Medusa's quirks)", () => {
    fc.assert(
      fc.property(cartArb(currency), (cart) => {
        expect(MathBN.eq(medusaCartTotal(cart), formulaCartTotal(cart))).toBe(true)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("gives a safe integer within half a charge unit of the exact total, ties going up", () => {
    fc.assert(
      fc.property(cartArb(currency), (cart) => {
        const total = medusaCartTotal(cart)
        const minor = cartTotalToMinorUnits(total, currency)
        expect(Number.isSafeInteger(minor)).toBe(true)
        expect(minor).toBeGreaterThanOrEqual(0)

        // The exact decimal Medusa hands over (and stores): the raw value, 20 significant digits.
        const exact = MathBN.convert(total.raw!.value)
        const exactMinor = MathBN.mult(exact, pow10(exponent))
        const error = MathBN.sub(minor, exactMinor)
        expect(MathBN.lte(MathBN.abs(error), MathBN.div(chargeUnit, 2))).toBe(true)
        // On an exact tie the error is exactly +half a unit (up), never −half.
        if (MathBN.eq(MathBN.abs(error), MathBN.div(chargeUnit, 2))) expect(MathBN.gt(error, 0)).toBe(true)

        expect(MathBN.eq(minor, referenceMinor(exact, currency))).toBe(true)
        expect(minor % Number(chargeUnit.toString())).toBe(0)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("reads the total in every shape Medusa hands it over, and rounds refunds the same way", () => {
    fc.assert(
      fc.property(cartArb(currency), (cart) => {
        const total = medusaCartTotal(cart)
        const minor = cartTotalToMinorUnits(total, currency)
        expect(cartTotalToMinorUnits(total.raw!, currency)).toBe(minor)
        expect(cartTotalToMinorUnits({ raw: total.raw! }, currency)).toBe(minor)
        expect(cartTotalToMinorUnits(MathBN.convert(total).toFixed(), currency)).toBe(minor)
        expect(cartTotalToMinorUnits(total, currency.toLowerCase())).toBe(minor)
        // A full refund of the same total sends exactly what was charged.
        expect(refundSliceToMinorUnits(0, total, currency)).toBe(minor)
        expect(roundHalfUpToMinorUnits(total, currency)).toBe(minor)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("is idempotent and round-trips through fromMinorUnits", () => {
    fc.assert(
      fc.property(cartArb(currency), (cart) => {
        const minor = cartTotalToMinorUnits(medusaCartTotal(cart), currency)
        const major = fromMinorUnits(minor, currency)
        expect(cartTotalToMinorUnits(major, currency)).toBe(minor)
        expect(cartTotalToMinorUnits({ value: major, precision: 20 }, currency)).toBe(minor)
        expect(cartTotalToMinorUnits(new BigNumber(major), currency)).toBe(minor)
        expect(toMinorUnits(major, currency)).toBe(minor)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("rounds every exact tie up and everything just below it down", () => {
    const tieArb = fc.record({
      units: fc.bigInt({ min: 0n, max: 10n ** 12n }),
      below: fc.integer({ min: 1, max: 30 }),
    })
    fc.assert(
      fc.property(tieArb, ({ units, below }) => {
        // units + ½ charge unit, in major units; then the same less 10^-(decimals + below).
        const tie = MathBN.div(MathBN.add(units.toString(), "0.5"), pow10(decimals))
        const justBelow = MathBN.sub(tie, MathBN.convert(`1e-${decimals + below}`))
        const up = MathBN.mult(MathBN.add(units.toString(), 1), chargeUnit)
        const down = MathBN.mult(units.toString(), chargeUnit)
        expect(cartTotalToMinorUnits(tie.toFixed(), currency)).toBe(Number(up.toFixed()))
        expect(cartTotalToMinorUnits(tie.toFixed(20), currency)).toBe(Number(up.toFixed()))
        expect(cartTotalToMinorUnits(justBelow.toFixed(40, ROUND_FLOOR), currency)).toBe(Number(down.toFixed()))
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("matches half-up rounding of arbitrary decimals with up to 30 fraction digits", () => {
    const decimalArb = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.stringMatching(/^\d{0,30}$/))
      .map(([whole, fraction]) => (fraction === "" ? whole.toString() : `${whole}.${fraction}`))
    fc.assert(
      fc.property(decimalArb, (text) => {
        const reference = referenceMinor(MathBN.convert(text), currency)
        if (MathBN.gt(reference, Number.MAX_SAFE_INTEGER)) return
        expect(cartTotalToMinorUnits(text, currency)).toBe(Number(reference.toFixed()))
      }),
      { numRuns: NUM_RUNS }
    )
  })
})

describe("named examples of the rule", () => {
  it("charges 7.5 % VAT on 1,001.00 NGN as 1,076.08 NGN", () => {
    const total = medusaCartTotal({
      currency: "NGN",
      items: [{ unitPrice: MathBN.convert("1001.00"), quantity: 1 }],
      taxRate: 7.5,
    })
    expect(total.raw?.value).toBe("1076.0750000000000000")
    expect(cartTotalToMinorUnits(total, "NGN")).toBe(107608)
  })

  it("charges 10 % off 33.33 NGN as 30.00 NGN", () => {
    const total = medusaCartTotal({
      currency: "NGN",
      items: [{ unitPrice: MathBN.convert("33.33"), quantity: 1 }],
      taxRate: 0,
      promotion: { percent: 10, allocation: "across", maxQuantity: 1 },
    })
    expect(MathBN.eq(total, "29.997")).toBe(true)
    expect(cartTotalToMinorUnits(total, "NGN")).toBe(3000)
  })

  it("charges a TZS total in whole shillings, as Medusa shows it", () => {
    const total = medusaCartTotal({
      currency: "TZS",
      items: [{ unitPrice: MathBN.convert(3292), quantity: 1 }],
      taxRate: 7.5,
    })
    expect(MathBN.eq(total, "3538.9")).toBe(true)
    expect(cartTotalToMinorUnits(total, "TZS")).toBe(353900)
  })
})
