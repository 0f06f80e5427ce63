import { finishFlutterwavePayment, readFlutterwaveReturn } from "../../../src/storefront"
import { element, forgetCart, rememberedShop, sdkFor, show, showError } from "./shop"

/** The return page (the plugin's returnUrl): finishes the payment with the kit and shows how it ended. */
async function main(): Promise<void> {
  const back = readFlutterwaveReturn(location.href)
  if (!back) {
    show("error", "This page was not reached back from Flutterwave (no payment_session_id)", "bad")
    return
  }
  const shop = rememberedShop()
  if (!shop) {
    show("error", "This browser has no cart to finish: it was paid for in another tab or browser", "bad")
    return
  }
  show("status", "Confirming your payment with Flutterwave…")
  const outcome = await finishFlutterwavePayment({ sdk: sdkFor(shop), cartId: shop.cartId, sessionId: back.sessionId, result: back.result })
  switch (outcome.status) {
    case "order": {
      forgetCart()
      element("heading").textContent = "Thank you for your order"
      const line = show("order-placed", "Your order number is ", "ok")
      const number = document.createElement("strong")
      number.dataset.testid = "order-number"
      number.dataset.orderId = outcome.order.id
      number.textContent = String(outcome.order.display_id)
      line.append(number)
      break
    }
    case "declined":
      element("heading").textContent = "Payment declined"
      show("payment-declined", outcome.message, "bad")
      element("try-again").hidden = false
      break
    case "cancelled":
      element("heading").textContent = "Payment not completed"
      show("payment-cancelled", outcome.message, "info")
      element("try-again").hidden = false
      break
  }
}

main().catch(showError)
