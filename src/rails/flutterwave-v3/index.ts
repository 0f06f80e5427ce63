/** The flutterwave-v3 rail's public API: framework-free, imported by the Medusa layer and the sandbox's tests. */
export * from "./checksum"
export * from "./client"
export * from "./errors"
export * from "./flutterwave-v3-rail"
export * from "./transform"
export * from "./types"
export * from "./webhook"
