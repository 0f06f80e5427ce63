import Medusa from "@medusajs/js-sdk"
import { isFlutterwavePaymentError } from "../../../src/storefront"

/**
 * What the shop keeps between its pages, as a storefront keeps its cart id: the Medusa backend, the publishable key and
 * the cart. The checkout page takes them from its query string (the test's way of handing over a cart it created
 * through the store API) and keeps them in sessionStorage, which survives the trip to Flutterwave and back in the tab.
 */
export type ShopState = { backendUrl: string; publishableKey: string; cartId: string }

const STORAGE_KEY = "flutterwave-test-shop"

export function rememberShop(state: ShopState): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state))
}

export function rememberedShop(): ShopState | undefined {
  const raw = sessionStorage.getItem(STORAGE_KEY)
  if (!raw) return undefined
  const state = JSON.parse(raw) as Partial<ShopState>
  return state.backendUrl && state.publishableKey && state.cartId
    ? { backendUrl: state.backendUrl, publishableKey: state.publishableKey, cartId: state.cartId }
    : undefined
}

export function forgetCart(): void {
  sessionStorage.removeItem(STORAGE_KEY)
}

export function sdkFor(state: ShopState): Medusa {
  return new Medusa({ baseUrl: state.backendUrl, publishableKey: state.publishableKey })
}

export function element<T extends HTMLElement = HTMLElement>(testId: string): T {
  const found = document.querySelector<T>(`[data-testid="${testId}"]`)
  if (!found) throw new Error(`the page has no [data-testid="${testId}"]`)
  return found
}

/** Shows a message in the page's outcome area, under its own test id (order-number, payment-declined, error, …). */
export function show(testId: string, text: string, tone: "ok" | "bad" | "info" = "info"): HTMLElement {
  const outcome = element("outcome")
  const line = document.createElement("p")
  line.dataset.testid = testId
  line.className = tone
  line.textContent = text
  outcome.replaceChildren(line)
  return line
}

/** A failure in words a shopper (and the test's screenshot) can read, with the kit's code when it is the kit's. */
export function showError(error: unknown): void {
  const text = isFlutterwavePaymentError(error)
    ? `${error.message} (${error.code})`
    : error instanceof Error
      ? error.message
      : String(error)
  show("error", `Something went wrong: ${text}`, "bad")
}

export function money(amount: number | undefined, currencyCode: string | undefined): string {
  return `${(amount ?? 0).toFixed(2)} ${(currencyCode ?? "").toUpperCase()}`
}
