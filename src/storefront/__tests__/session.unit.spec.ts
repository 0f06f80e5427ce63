import { fetchFlutterwaveSession, FlutterwavePaymentError } from "../index"
import { FakeMedusa, GATE_REDIRECT, HttpError } from "./fake-medusa"

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(FlutterwavePaymentError)
    return (error as FlutterwavePaymentError).code
  }
  throw new Error("expected a FlutterwavePaymentError, but the call succeeded")
}

describe("fetchFlutterwaveSession", () => {
  it("reads each answer of the store route into its typed shape", async () => {
    const medusa = new FakeMedusa()
    medusa.script("payses_1", GATE_REDIRECT, { status: "pending" }, { status: "succeeded" }, { status: "declined", message: "" })
    const ask = () => fetchFlutterwaveSession({ sdk: medusa.sdk, sessionId: "payses_1" })
    expect(await ask()).toEqual({ status: "redirect", redirect: { method: "POST", url: "https://flutterwave.example/pay", body: { token: "t1", amount: "150050" } } })
    expect(await ask()).toEqual({ status: "pending", retry_after_ms: 1000 }) // no retry_after_ms: a sane default
    expect(await ask()).toEqual({ status: "succeeded" })
    expect(await ask()).toEqual({ status: "declined", message: "Flutterwave declined the payment" })
  })

  it("throws only FlutterwavePaymentError, with a code per failure", async () => {
    const medusa = new FakeMedusa()
    const ask = (sessionId: string, signal?: AbortSignal) => fetchFlutterwaveSession({ sdk: medusa.sdk, sessionId, signal })
    expect(await codeOf(ask("payses_unknown"))).toBe("no_session")
    expect(await codeOf(ask("no/such"))).toBe("no_session")
    medusa.script("payses_down", new HttpError(503, "Service Unavailable"))
    expect(await codeOf(ask("payses_down"))).toBe("request_failed")
    medusa.script("payses_net", new TypeError("Failed to fetch"))
    expect(await codeOf(ask("payses_net"))).toBe("request_failed")
    medusa.script("payses_stopped", new Error("The operation was aborted"))
    expect(await codeOf(ask("payses_stopped", AbortSignal.abort()))).toBe("aborted")
  })
})
