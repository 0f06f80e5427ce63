const Sequencer = require("@jest/test-sequencer").default

/** Unit suites before integration suites, each group in path order, so a run reads the same every time. */
class UnitFirstSequencer extends Sequencer {
  sort(tests) {
    const rank = (test) => (test.path.includes("/integration-tests/") ? 1 : 0)
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path))
  }
}

module.exports = UnitFirstSequencer
