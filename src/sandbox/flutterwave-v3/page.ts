import { fromMinorUnits } from "../../money"
import type { SandboxV3Link } from "./types"

const TITLE = "Flutterwave Checkout (sandbox)"

/**
 * The stand-in for Flutterwave's Standard checkout: the amount, who pays, and three buttons posting to the page's
 * own …/pay, …/fail and …/cancel. Plain HTML, no script, so any browser (or a test with fetch) can drive it.
 * `alreadyPaid`: the tx_ref has a successful transaction, so the page offers nothing more to pay.
 */
export function hostedCheckoutPage(link: SandboxV3Link, alreadyPaid: boolean): string {
  const action = `/v3/hosted/pay/flwlnk-${link.id}`
  const amount = formatMoney(link.amount, link.currency)
  const header = `<p class="amount" data-testid="fw-amount">${escapeHtml(amount)}</p>
      <p class="muted" data-testid="fw-email">${escapeHtml(link.email)}</p>
      ${link.description ? `<p class="muted">${escapeHtml(link.description)}</p>` : ""}
      <p class="muted">Reference <code data-testid="fw-tx-ref">${escapeHtml(link.txRef)}</code></p>`
  const actions = alreadyPaid
    ? `<p data-testid="fw-already-paid">This payment has already been made.</p>`
    : `<form method="post" action="${action}/pay"><button class="pay" type="submit" data-testid="fw-pay">Pay ${escapeHtml(amount)}</button></form>
      <form method="post" action="${action}/fail"><button class="fail" type="submit" data-testid="fw-fail">Fail payment</button></form>
      <form method="post" action="${action}/cancel"><button class="cancel" type="submit" data-testid="fw-cancel">Cancel</button></form>`
  return layout(TITLE, link.title, `${header}${actions}`)
}

/** What the page answers when the tx_ref is already paid (409). */
export function alreadyPaidPage(): string {
  return layout(TITLE, undefined, `<p data-testid="fw-already-paid">This payment has already been made</p>`)
}

export function linkNotFoundPage(): string {
  return layout(TITLE, undefined, `<p data-testid="fw-not-found">This payment link is not valid</p>`)
}

/** "NGN 1,500.50": src/money's exact decimal text, grouped in thousands (no floating point). */
export function formatMoney(minor: number, currency: string): string {
  const [whole, fraction] = fromMinorUnits(minor, currency).split(".")
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")
  return `${currency} ${grouped}${fraction !== undefined ? `.${fraction}` : ""}`
}

function layout(title: string, merchant: string | undefined, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:32px;width:360px;text-align:center}
h1{font-size:18px;margin:0 0 8px}.amount{font-size:28px;font-weight:600;margin:16px 0}.muted{color:#666;font-size:13px}
button{width:100%;padding:12px;border-radius:8px;border:0;font-size:15px;cursor:pointer;margin-top:12px}
.pay{background:#f5a623;color:#000}.fail{background:#fde2e1;color:#8a1c12}.cancel{background:#eee;color:#333}
.badge{font-size:11px;color:#b35c00;letter-spacing:.05em}
</style></head>
<body><main><div class="badge">FLUTTERWAVE V3 SANDBOX · NOT A REAL PAYMENT</div><h1>${escapeHtml(title)}</h1>${
    merchant ? `<p class="muted">${escapeHtml(merchant)}</p>` : ""
  }${content}</main></body></html>`
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
