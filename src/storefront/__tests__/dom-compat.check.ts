// Compile-time only (src/storefront/tsconfig.json, which has the DOM lib): the browser's real `window` is a
// FlutterwaveWindowLike, so `goToFlutterwave(redirect)` and `openFlutterwaveWidget(params)` need no cast in a store.
// Without the DOM lib (the server's tsconfig) `window` does not exist and the check is vacuous.
import type { FlutterwaveWindowLike } from "../browser"

type DomWindow = typeof globalThis extends { window: infer W } ? W : FlutterwaveWindowLike
type Fits<T extends FlutterwaveWindowLike> = T
export type _RealWindowFits = Fits<DomWindow & { EPayWidget?: { run(config: Record<string, unknown>, method?: "POST" | "GET"): void } }>
