import { flutterwaveV3StoreSettingsText, readSettings, storeSettingsText } from "../cli"

describe("medusa-flutterwave-sandbox arguments", () => {
  it("takes flags over the environment, and the environment over the defaults", () => {
    const env = { SANDBOX_PORT: "9999", FLUTTERWAVE_PROJECT_ID: "55", FLUTTERWAVE_SECRET_KEY: "from-env", FLUTTERWAVE_CALLBACK_URL: "http://env/hooks" }
    expect(readSettings(["--port", "0", "--secret", "from-flag", "--project-id", "7", "--callback-url", "http://flag/hooks/flutterwave"], env)).toEqual({
      port: 0,
      projectId: 7,
      secretKey: "from-flag",
      callbackUrl: "http://flag/hooks/flutterwave",
      latencyMs: 0,
    })
    expect(readSettings([], env)).toEqual({ port: 9999, projectId: 55, secretKey: "from-env", callbackUrl: "http://env/hooks", latencyMs: 0 })
    // An empty variable counts as unset, as in medusa-config.
    expect(readSettings([], { FLUTTERWAVE_SECRET_KEY: "" })).toEqual({
      port: 8765,
      projectId: 1001,
      secretKey: "sandbox-secret",
      callbackUrl: "http://localhost:9000/hooks/flutterwave",
      latencyMs: 0,
    })
  })

  it("holds Gate's answers back by --latency-ms, or SANDBOX_LATENCY_MS, within 0 to 600000 ms", () => {
    expect(readSettings(["--latency-ms", "200"], { SANDBOX_LATENCY_MS: "50" })).toMatchObject({ latencyMs: 200 })
    expect(readSettings([], { SANDBOX_LATENCY_MS: "50" })).toMatchObject({ latencyMs: 50 })
    for (const bad of ["-1", "1.5", "slow", "600001"]) {
      expect(() => readSettings([`--latency-ms=${bad}`], {})).toThrow("--latency-ms must be a whole number of milliseconds")
    }
  })

  it("answers --help, and refuses a bad value or an unknown flag with a reason", () => {
    expect(readSettings(["--help"], {})).toBe("help")
    expect(readSettings(["-h"], {})).toBe("help")
    expect(() => readSettings(["--port", "http"], {})).toThrow("--port must be a port number")
    expect(() => readSettings(["--project-id", "0"], {})).toThrow("--project-id must be a positive integer")
    expect(() => readSettings(["--callback-url", "not a url"], {})).toThrow("--callback-url must be a URL")
    expect(() => readSettings(["--sekret", "x"], {})).toThrow(/Unknown option '--sekret'/)
  })

  it("tells the store owner every setting, with the sandbox's address for both URLs", () => {
    const text = storeSettingsText("http://127.0.0.1:8765", { port: 8765, projectId: 1001, secretKey: "s", callbackUrl: "http://localhost:9000/hooks/flutterwave" })
    expect(text).toContain("FLUTTERWAVE_PROJECT_ID=1001")
    expect(text).toContain("FLUTTERWAVE_SECRET_KEY=s")
    expect(text).toContain("FLUTTERWAVE_GATE_URL=http://127.0.0.1:8765")
    // The plugin appends /payment to the Payment Page URL itself.
    expect(text).toContain("FLUTTERWAVE_PAYMENT_PAGE_URL=http://127.0.0.1:8765\n")
    expect(text).toContain("FLUTTERWAVE_CALLBACK_URL=http://localhost:9000/hooks/flutterwave")
    expect(text).toContain("Settings → Flutterwave")
  })

  it("starts the Flutterwave v3 sandbox with --rail flutterwave-v3: its own flags, then FLUTTERWAVE_V3_* variables, then defaults", () => {
    const env = { FLUTTERWAVE_V3_SECRET_KEY: "FLWSECK_TEST-env", FLUTTERWAVE_V3_SECRET_HASH: "env-hash", SANDBOX_PORT: "9999" }
    expect(
      readSettings(
        ["--rail", "flutterwave-v3", "--port", "0", "--secret-key", "FLWSECK_TEST-flag", "--secret-hash", "flag-hash", "--webhook-url", "http://flag/hooks/flutterwave/v3"],
        env
      )
    ).toEqual({ rail: "flutterwave-v3", port: 0, secretKey: "FLWSECK_TEST-flag", secretHash: "flag-hash", webhookUrl: "http://flag/hooks/flutterwave/v3", latencyMs: 0 })
    // The Gate's SANDBOX_PORT is the Gate's: the v3 sandbox keeps its own default port, so both can run at once.
    expect(readSettings(["--rail=flutterwave-v3"], env)).toEqual({
      rail: "flutterwave-v3",
      port: 8766,
      secretKey: "FLWSECK_TEST-env",
      secretHash: "env-hash",
      webhookUrl: "http://localhost:9000/hooks/flutterwave/v3",
      latencyMs: 0,
    })
    // Without --rail (or with --rail gate) nothing changes for the Gate sandbox.
    expect(readSettings(["--rail", "gate"], {})).toEqual(readSettings([], {}))
    expect(() => readSettings(["--rail", "paystack"], {})).toThrow('--rail must be "gate" or "flutterwave-v3"')
    expect(() => readSettings(["--secret-hash", "h"], {})).toThrow("--secret-hash needs --rail flutterwave-v3")
    expect(() => readSettings(["--rail", "flutterwave-v3", "--project-id", "7"], {})).toThrow("--project-id is for the Gate sandbox")
    expect(() => readSettings(["--rail", "flutterwave-v3", "--webhook-url", "nope"], {})).toThrow("--webhook-url must be a URL")

    const text = flutterwaveV3StoreSettingsText("http://127.0.0.1:8766", { secretKey: "k", secretHash: "h", webhookUrl: "http://localhost:9000/hooks/flutterwave/v3" })
    expect(text).toContain('rail: "flutterwave-v3"')
    expect(text).toContain('flutterwaveSecretKey: "k"')
    expect(text).toContain('flutterwaveSecretHash: "h"')
    expect(text).toContain('flutterwaveApiUrl: "http://127.0.0.1:8766"')
  })
})
