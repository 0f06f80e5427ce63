import { fromMinorUnits, isSupportedCurrency } from "../money"
import type { SandboxPayment } from "./types"

/** The stand-in for Flutterwave's hosted page: the shopper pays or declines. Plain HTML, no script needed. */
export function paymentPage(payment: SandboxPayment): string {
  const amount = formatAmount(payment.initialSum.amount, payment.initialSum.currency)
  const id = encodeURIComponent(payment.id)
  const open = payment.operations.some((op) => op.type === "sale" && op.status === "processing")
  const body = open
    ? `<p class="muted">Pay with your bank through Flutterwave</p>
      <p class="amount" data-testid="amount">${escape(amount)}</p>
      <p class="muted">Payment reference <code>${escape(payment.id)}</code></p>
      <form method="post" action="/pay/${id}/confirm"><button class="pay" type="submit" data-testid="pay">Pay ${escape(amount)}</button></form>
      <form method="post" action="/pay/${id}/cancel"><button class="cancel" type="submit" data-testid="decline">Cancel payment</button></form>`
    : `<p class="amount">${escape(amount)}</p><p data-testid="final-status">This payment is ${escape(payment.status)}.</p>`
  return layout("Flutterwave checkout (sandbox)", body)
}

/**
 * The stand-in for ECommPay's Payment Page: the method choice (Flutterwave only, preselected as
 * force_payment_method asks) and the shopper's decision. The buttons post to the same handlers as the Flutterwave
 * page above, which settle the sale and send the shopper back to the merchant.
 */
export function hostedPaymentPage(payment: SandboxPayment): string {
  const amount = formatAmount(payment.initialSum.amount, payment.initialSum.currency)
  const id = encodeURIComponent(payment.id)
  const open = payment.operations.some((op) => op.type === "sale" && op.status === "processing")
  const body = open
    ? `<p class="amount" data-testid="amount">${escape(amount)}</p>
      <p class="muted">${escape(payment.description)} · <code>${escape(payment.id)}</code></p>
      <form method="post" action="/pay/${id}/confirm">
        <fieldset class="methods"><legend>Payment method</legend>
          <label><input type="radio" name="payment_method" value="flutterwave" checked data-testid="method-flutterwave"> Flutterwave</label>
        </fieldset>
        <button class="pay" type="submit" data-testid="pay">Pay</button>
      </form>
      <form method="post" action="/pay/${id}/cancel"><button class="cancel" type="submit" data-testid="decline">Decline</button></form>`
    : `<p class="amount">${escape(amount)}</p><p data-testid="final-status">This payment is ${escape(payment.status)}.</p>`
  return layout("ECommPay Payment Page (sandbox)", body)
}

/** What the Payment Page shows for a URL it refuses, in the words ECommPay's page uses ("Invalid signature"). */
export function paymentPageErrorPage(code: string, message: string): string {
  return layout(
    "Payment Page error",
    `<p data-testid="error-message">${escape(message)}</p><p class="muted">Code <code data-testid="error-code">${escape(code)}</code></p>`
  )
}

export function resultPage(payment: SandboxPayment): string {
  const success = payment.status === "success"
  return layout(
    success ? "Payment successful" : "Payment not completed",
    `<p class="amount">${escape(formatAmount(payment.initialSum.amount, payment.initialSum.currency))}</p>
     <p data-testid="final-status">${success ? "Your payment was successful." : `Status: ${escape(payment.status)}`}</p>
     <p class="muted">No return URL was given, so the sandbox shows this page instead of sending you back to the store.</p>`
  )
}

function formatAmount(minor: number, currency: string): string {
  return isSupportedCurrency(currency) ? `${fromMinorUnits(minor, currency)} ${currency}` : `${minor} ${currency}`
}

function layout(title: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f5f5f7;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:32px;width:360px;text-align:center}
h1{font-size:18px;margin:0 0 8px}.amount{font-size:28px;font-weight:600;margin:16px 0}.muted{color:#666;font-size:13px}
button{width:100%;padding:12px;border-radius:8px;border:0;font-size:15px;cursor:pointer;margin-top:12px}
.methods{border:1px solid #ddd;border-radius:8px;text-align:left;margin:16px 0 0}.pay{background:#f5a623;color:#000}.cancel{background:#eee;color:#333}.badge{font-size:11px;color:#b35c00;letter-spacing:.05em}
</style></head>
<body><main><div class="badge">ECOMMPAY GATE SANDBOX · NOT A REAL PAYMENT</div><h1>${escape(title)}</h1>${content}</main></body></html>`
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
