// Mocha's spec output, plus the run's counts written as JSON to $MOCHA_SUMMARY_FILE so that
// .ci/run totals results from data rather than from mocha's printed summary.
const Mocha = require("mocha");
const fs = require("node:fs");

class CiReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.MOCHA_SUMMARY_FILE;
      if (file) {
        const { passes, failures, pending, tests } = this.stats;
        fs.writeFileSync(file, JSON.stringify({ passes, failures, pending, tests }));
      }
    });
  }
}

module.exports = CiReporter;
