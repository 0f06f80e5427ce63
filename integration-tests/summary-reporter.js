/**
 * Prints the plain closing line CI reads ("N passed, N failed[, N skipped]"), since CI does not parse Jest's own.
 * It is written when the process exits so that it is the last line, after Jest's summary. A suite that failed to
 * run at all (syntax error, boot failure) counts as one failure.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites
    const skipped = results.numPendingTests + results.numTodoTests
    const line = `${results.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : "")
    // Synchronous: at exit, an asynchronous write to a pipe (CI captures output through one) may never happen.
    process.once("exit", () => require("node:fs").writeSync(1, `\n${line}\n`))
  }
}

module.exports = SummaryReporter
