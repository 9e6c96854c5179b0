// The last line of `npm test`: "612 passed, 0 failed" (", 3 skipped" when some were), after
// Vitest's own summary, so the outcome is the line a terminal leaves on screen. Counted like
// .ci/run counts its JSON report: a test file that failed without a failing test (an import
// error, a failing hook) is one failure, and so is each error raised outside any test.
import type { Reporter, SerializedError, TestModule } from "vitest/node";

export default class CountReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const m of testModules) {
      let failedHere = 0;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failedHere++;
        else skipped++;
      }
      if (failedHere === 0 && m.state() === "failed") failedHere = 1;
      failed += failedHere;
    }
    process.stdout.write(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}\n`);
  }
}
