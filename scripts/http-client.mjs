// A small JSON-over-HTTP client for the scripts that drive the real stack (the demo, the refund benchmark): what
// they check is the plugin's behaviour, so a failed expectation throws the caller's own error type with the answer.

/**
 * `makeError(message)` builds the caller's failure (DemoFailure, BenchFailure). `base` is the default origin.
 * `http` never throws for an HTTP status; `ok` does for anything but 2xx; `waitFor` polls until `probe` gives a value.
 */
export function httpClient({ base, makeError }) {
  const http = async (method, path, { body, headers = {}, base: origin = base } = {}) => {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
    })
    const text = await response.text()
    let json
    try {
      json = text ? JSON.parse(text) : undefined
    } catch {
      json = undefined
    }
    return { status: response.status, json, text, headers: response.headers }
  }
  const ok = async (method, path, options) => {
    const answer = await http(method, path, options)
    if (answer.status < 200 || answer.status >= 300) {
      throw makeError(`${method} ${path} answered ${answer.status}: ${answer.text.slice(0, 300)}`)
    }
    return answer.json
  }
  const waitFor = async (what, probe, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const value = await probe()
      if (value) return value
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    throw makeError(`timed out waiting for ${what}`)
  }
  return { http, ok, waitFor }
}
