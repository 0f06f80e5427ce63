export default async function globalTeardown() {
  const database = globalThis.__FLUTTERWAVE_TEST_DB__
  if (database) await database.stop()
}
