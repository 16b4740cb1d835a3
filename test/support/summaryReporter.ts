// Mocha's spec output, then one plain closing line CI reads: "N passed, N failed[, N skipped]".
// A run that executed no test therefore says "0 passed, 0 failed" instead of looking green.
import Mocha from 'mocha';

class SummaryReporter extends Mocha.reporters.Spec {
  override epilogue(): void {
    super.epilogue();
    const { passes, failures, pending } = this.stats;
    process.stdout.write(`${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}\n`);
  }
}

export = SummaryReporter;
