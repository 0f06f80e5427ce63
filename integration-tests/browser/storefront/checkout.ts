import { goToFlutterwave, startFlutterwavePayment } from "../../../src/storefront"
import { element, money, rememberShop, rememberedShop, sdkFor, show, showError, type ShopState } from "./shop"

/** The checkout page: shows the cart and sends the shopper to Flutterwave with the kit. */
async function main(): Promise<void> {
  const query = new URLSearchParams(location.search)
  const fromQuery = {
    backendUrl: query.get("backend") ?? "",
    publishableKey: query.get("key") ?? "",
    cartId: query.get("cart") ?? "",
  }
  let state: ShopState | undefined
  if (fromQuery.backendUrl && fromQuery.publishableKey && fromQuery.cartId) {
    state = fromQuery
    rememberShop(state)
  } else {
    state = rememberedShop()
  }
  if (!state) {
    show("error", "There is no cart to pay: open this page with ?backend=…&key=…&cart=…", "bad")
    return
  }
  const shop = state
  const sdk = sdkFor(shop)

  const { cart } = await sdk.store.cart.retrieve(shop.cartId)
  element("cart-email").textContent = cart.email ?? "(no email)"
  element("cart-items").replaceChildren(
    ...(cart.items ?? []).map((item) => {
      const row = document.createElement("li")
      row.textContent = `${item.quantity} × ${item.product_title ?? item.title} — ${money(item.unit_price * item.quantity, cart.currency_code)}`
      return row
    })
  )
  element("cart-total").textContent = money(cart.total, cart.currency_code)

  const pay = element<HTMLButtonElement>("pay-with-flutterwave")
  pay.addEventListener("click", () => {
    pay.disabled = true
    show("status", "Taking you to Flutterwave…")
    startFlutterwavePayment({ sdk, cartId: shop.cartId })
      .then(({ redirect }) => goToFlutterwave(redirect))
      .catch((error: unknown) => {
        showError(error)
        pay.disabled = false
      })
  })
  pay.disabled = false
}

main().catch(showError)
