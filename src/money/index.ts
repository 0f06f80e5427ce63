/** Currencies, exponents, minor ⇄ major conversion and rounding rules. Imports nothing outside this folder. */
export * from "./money"
