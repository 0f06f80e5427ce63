import js from "@eslint/js"
import tseslint from "typescript-eslint"

export default tseslint.config(
  { ignores: ["node_modules/", ".medusa/", ".medusa-dev/", "public/", "dist/", "coverage/", "artifacts/", "src/admin/**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: {
        process: "readonly",
        Buffer: "readonly",
        console: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        setImmediate: "readonly",
        URL: "readonly",
        fetch: "readonly",
        AbortSignal: "readonly",
        globalThis: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  // The arrows of ARCHITECTURE.md, made executable: money imports nothing; a rail never imports Medusa, the layers
  // above it or another rail; the settlement core never imports the Medusa provider's service or API routes.
  {
    files: ["src/money/**/*.ts"],
    ignores: ["src/money/**/__tests__/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@medusajs/*", "../*", "!./*"], message: "src/money imports nothing outside itself" }] }],
    },
  },
  {
    files: ["src/rails/**/*.ts"],
    ignores: ["src/rails/**/__tests__/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@medusajs/*"], message: "a rail never imports Medusa" },
            {
              group: ["**/modules/**", "**/settlement/**", "**/providers/**", "**/api/**", "**/workflows/**", "**/sandbox/**"],
              message: "a rail never imports the layers above it",
            },
            { group: ["../ecommpay/**", "../flutterwave-v3/**", "../ecommpay", "../flutterwave-v3"], message: "a rail never imports another rail" },
          ],
        },
      ],
    },
  },
  {
    files: ["src/settlement/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/api/**", "**/admin/**", "**/providers/flutterwave/service"], message: "settlement sits below routes and the provider" }] },
      ],
    },
  },
  {
    files: ["src/admin/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/settlement/**", "**/modules/**", "**/providers/**", "**/api/**", "**/rails/**"], message: "the admin talks to the server over HTTP only" }] },
      ],
    },
  },
  // The storefront kit runs in shoppers' browsers: it talks to Medusa through the JS SDK only, imports no server
  // code, and takes nothing from Medusa but types (so a bundler never pulls the framework into a store).
  {
    files: ["src/storefront/**/*.ts"],
    ignores: ["src/storefront/**/__tests__/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/api/**", "**/modules/**", "**/providers/**", "**/settlement/**", "**/rails/**", "**/workflows/**", "../*"],
              message: "the storefront kit imports no server code; it talks to the server over HTTP only",
            },
            { group: ["@medusajs/*"], allowTypeImports: true, message: "the storefront kit imports Medusa's types only (import type)" },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", __dirname: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/__tests__/**", "integration-tests/**"],
    languageOptions: {
      globals: { describe: "readonly", it: "readonly", expect: "readonly", beforeAll: "readonly", afterAll: "readonly", beforeEach: "readonly", afterEach: "readonly", jest: "readonly" },
    },
    // Tests reach into JSON answers; typing every level of them would add noise, not safety.
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  }
)
