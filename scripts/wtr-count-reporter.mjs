// A web-test-runner reporter that writes pass/fail/skip totals to WTR_RESULTS_FILE, so
// scripts/test.mjs can print one total for the server and browser suites.
import { writeFileSync } from 'node:fs';

export function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      const walk = (suite) => {
        for (const t of suite?.tests ?? []) {
          if (t.skipped) totals.skipped++;
          else if (t.passed) totals.passed++;
          else totals.failed++;
        }
        for (const s of suite?.suites ?? []) walk(s);
      };
      for (const session of sessions) {
        walk(session.testResults);
        // A file that failed to load or threw outside a test counts as a failure.
        if (!session.passed && (session.errors?.length ?? 0) > 0) totals.failed += session.errors.length;
      }
      if (process.env.WTR_RESULTS_FILE) writeFileSync(process.env.WTR_RESULTS_FILE, JSON.stringify(totals));
    },
  };
}
