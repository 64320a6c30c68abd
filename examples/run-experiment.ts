/**
 * Lets an experiment script run on its own: `npx tsx examples/<id>.ts [--epochs N]
 * [--seed S] [--samples N] [--batch-size N] [--verbose 0|1|2]` prints the result table.
 * (`gradflow experiment <id>` runs the same code with reports and a run folder.)
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as gf from '../src/node.js';

export async function runIfMain(moduleUrl: string, experiment: gf.experiments.Experiment): Promise<void> {
  if (process.argv[1] === undefined || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  const { values } = parseArgs({
    options: {
      epochs: { type: 'string' }, seed: { type: 'string' }, samples: { type: 'string' },
      'batch-size': { type: 'string' }, verbose: { type: 'string' },
    },
  });
  const int = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`--${name} must be a non-negative integer, got '${v}'`);
    return n;
  };
  const verbose = int('verbose', values.verbose) ?? 2;
  if (verbose > 2) throw new RangeError(`--verbose must be 0, 1 or 2, got ${verbose}`);
  const result = await experiment.run({
    epochs: int('epochs', values.epochs), seed: int('seed', values.seed), samples: int('samples', values.samples),
    batchSize: int('batch-size', values['batch-size']), verbose: verbose as 0 | 1 | 2,
    log: (line) => console.log(line),
  });
  console.log(`\n${gf.experiments.formatResultTable(result)}`);
}
