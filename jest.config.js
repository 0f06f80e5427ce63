const { loadEnv } = require("@medusajs/framework/utils")
loadEnv("test", process.cwd())

// TEST_TYPE narrows the run; without it `npm test` runs every suite: unit, then the real-Medusa integration tests.
const matchers = {
  unit: ["**/src/**/__tests__/**/*.unit.spec.[jt]s"],
  "integration:http": ["**/integration-tests/http/**/*.spec.[jt]s"],
  browser: ["**/integration-tests/browser/**/*.spec.[jt]s"],
  // Production's processes: two servers and a worker on Redis (scripts/production-stack.mjs).
  topology: ["**/integration-tests/topology/**/*.spec.[jt]s"],
  // The published package as a store gets it: packed, installed into a fresh Medusa app, paid through. Runs last.
  install: ["**/integration-tests/install/**/*.spec.[jt]s"],
}
const testMatch =
  matchers[process.env.TEST_TYPE] ??
  [...matchers.unit, ...matchers["integration:http"], ...matchers.browser, ...matchers.topology, ...matchers.install]

module.exports = {
  transform: {
    "^.+\\.[jt]sx?$": [
      "@swc/jest",
      {
        jsc: { parser: { syntax: "typescript", decorators: true, tsx: true }, target: "es2021" },
        // Keep import() as it is: the process-level tests load scripts/*.mjs, which are ES modules.
        module: { type: "commonjs", ignoreDynamic: true },
      },
    ],
  },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/"],
  testMatch,
  // Unit suites first: they fail fast and need no database.
  testSequencer: "<rootDir>/integration-tests/sequencer.js",
  setupFiles: ["<rootDir>/integration-tests/setup.js"],
  globalSetup: "<rootDir>/integration-tests/global-setup.mjs",
  globalTeardown: "<rootDir>/integration-tests/global-teardown.mjs",
  reporters: ["default", "<rootDir>/integration-tests/summary-reporter.js"],
  testTimeout: 240_000,
}
