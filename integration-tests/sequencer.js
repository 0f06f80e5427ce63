const Sequencer = require("@jest/test-sequencer").default

/**
 * Unit suites, then integration suites, then browser suites, then the production topology (two servers and a worker
 * on Redis), then the install suites (pack the plugin, install it into a fresh store: the slowest, and they rebuild
 * .medusa/server), each group in path order: fast failures first.
 */
class UnitFirstSequencer extends Sequencer {
  sort(tests) {
    const rank = (test) =>
      test.path.includes("/integration-tests/install/")
        ? 4
        : test.path.includes("/integration-tests/topology/")
          ? 3
          : test.path.includes("/integration-tests/browser/")
            ? 2
            : test.path.includes("/integration-tests/")
              ? 1
              : 0
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path))
  }
}

module.exports = UnitFirstSequencer
