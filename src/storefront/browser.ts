import { FlutterwavePaymentError } from "./errors"
import { toRedirect } from "./session"
import type { FlutterwaveRedirect, FlutterwaveWidgetParams } from "./types"

/** ECommPay's stylesheet for the embedded Payment Page; add it to the page before `openFlutterwaveWidget`. */
export const ECOMMPAY_MERCHANT_CSS_URL = "https://paymentpage.ecommpay.com/shared/merchant.css"
/** ECommPay's script defining `window.EPayWidget`; add it to the page before `openFlutterwaveWidget`. */
export const ECOMMPAY_MERCHANT_JS_URL = "https://paymentpage.ecommpay.com/shared/merchant.js"

/** The hidden field `goToFlutterwave` adds to its form (a subset of the DOM's HTMLInputElement). */
export type FlutterwaveInputLike = { type: string; name: string; value: string }

/** The form `goToFlutterwave` submits (a subset of the DOM's HTMLFormElement). */
export type FlutterwaveFormLike = {
  method: string
  action: string
  /** Takes the input made by the same document (typed `object`, so the DOM's `appendChild(node: Node)` fits). */
  appendChild(node: object): unknown
  submit(): void
}

/** ECommPay's `EPayWidget` from merchant.js (payment-page docs: `run(configObj, "POST" | "GET")`). */
export type EPayWidgetLike = {
  run(config: Record<string, unknown>, method?: "POST" | "GET"): unknown
}

/**
 * The part of the browser's `window` the browser helpers use. The real `window` fits; tests and non-DOM runtimes can
 * pass their own.
 */
export type FlutterwaveWindowLike = {
  location: { assign(url: string): void }
  document: {
    createElement(tagName: "form"): FlutterwaveFormLike
    createElement(tagName: "input"): FlutterwaveInputLike
    getElementById(elementId: string): unknown
    body: { appendChild(node: object): unknown }
  }
  EPayWidget?: EPayWidgetLike
}

/** How the embedded Payment Page opens: in an iframe on the page or in a popup. The only parameter that is not signed. */
export type FlutterwaveFrameMode = "iframe" | "popup"

/** Client-side hints from the widget (ECommPay's names). They are UI hints only: the outcome comes from the store. */
export type EPayWidgetCallbacks = {
  onExit?: () => void
  onDestroy?: () => void
  onLoaded?: () => void
  onPaymentSent?: () => void
  onPaymentSubmitResult?: (data: unknown) => void
}

/**
 * Sends the shopper to Flutterwave: a GET redirect is followed with `location.assign`, a POST one by submitting a
 * hidden form with its fields (what Gate asks for with some banks). Call it with `startFlutterwavePayment`'s
 * `redirect`, in the browser. Only http(s) addresses are followed.
 */
export function goToFlutterwave(redirect: FlutterwaveRedirect, options: { window?: FlutterwaveWindowLike } = {}): void {
  const target = toRedirect(redirect)
  const win = options.window ?? browserWindow()
  if (target.method === "GET") {
    const url = new URL(target.url)
    for (const [name, value] of Object.entries(target.body)) if (!url.searchParams.has(name)) url.searchParams.append(name, value)
    win.location.assign(url.toString())
    return
  }
  const form = win.document.createElement("form")
  form.method = "POST"
  form.action = target.url
  for (const [name, value] of Object.entries(target.body)) {
    const input = win.document.createElement("input")
    input.type = "hidden"
    input.name = name
    input.value = value
    form.appendChild(input)
  }
  win.document.body.appendChild(form)
  form.submit()
}

/** Options of `openFlutterwaveWidget`. */
export type OpenFlutterwaveWidgetOptions = {
  /** Sent as `frame_mode`. Default: the page's own (ECommPay's default). */
  frameMode?: FlutterwaveFrameMode
  /**
   * The id of the element the iframe goes in. It is a signed parameter (`target_element`), so it must be the one the
   * server signed: this checks it matches and that the element exists, rather than let the page reject the signature.
   */
  targetElement?: string
  callbacks?: EPayWidgetCallbacks
  window?: FlutterwaveWindowLike
}

/**
 * Opens ECommPay's Payment Page inside the store (iframe or popup) instead of leaving it, for a store in Payment Page
 * mode: pass `startFlutterwavePayment`'s `widgetParams`. The page needs ECommPay's merchant.css and merchant.js
 * (`ECOMMPAY_MERCHANT_CSS_URL`, `ECOMMPAY_MERCHANT_JS_URL`); without them this throws `widget_not_loaded`.
 */
export function openFlutterwaveWidget(widgetParams: FlutterwaveWidgetParams | undefined, options: OpenFlutterwaveWidgetOptions = {}): void {
  if (!widgetParams || typeof widgetParams.signature !== "string" || widgetParams.signature === "") {
    throw new FlutterwavePaymentError(
      "invalid_widget_params",
      "This payment has no signed widget parameters: the store is not in Payment Page mode; use goToFlutterwave instead"
    )
  }
  const win = options.window ?? browserWindow()
  const widget = win.EPayWidget
  if (!widget || typeof widget.run !== "function") {
    throw new FlutterwavePaymentError(
      "widget_not_loaded",
      `ECommPay's widget is not loaded: add <link rel="stylesheet" href="${ECOMMPAY_MERCHANT_CSS_URL}"> and ` +
        `<script src="${ECOMMPAY_MERCHANT_JS_URL}"></script> to the page, and call this after the script has loaded`
    )
  }
  if (options.targetElement !== undefined) {
    if (widgetParams.target_element !== options.targetElement) {
      throw new FlutterwavePaymentError(
        "invalid_widget_params",
        `target_element is signed by the server (it is ${JSON.stringify(widgetParams.target_element ?? null)} here), so ` +
          `"${options.targetElement}" would break the signature; have the server sign it instead`
      )
    }
    if (!win.document.getElementById(options.targetElement)) {
      throw new FlutterwavePaymentError("invalid_widget_params", `There is no element with id "${options.targetElement}" for the payment page`)
    }
  }
  widget.run({ ...widgetParams, ...options.callbacks, ...(options.frameMode ? { frame_mode: options.frameMode } : {}) }, "POST")
}

function browserWindow(): FlutterwaveWindowLike {
  const win = (globalThis as { window?: FlutterwaveWindowLike }).window
  if (!win) throw new FlutterwavePaymentError("no_window", "This helper runs in the browser (there is no window here)")
  return win
}

