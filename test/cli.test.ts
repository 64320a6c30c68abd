/**
 * The gradflow CLI, run in-process through main(argv, io) with captured output: every command,
 * its exit codes (0 ok, 1 runtime error, 2 usage/config error) and its error messages; a tiny
 * real training run on Fashion-MNIST whose run folder is checked file by file and whose model
 * is then evaluated, predicted with and summarized; experiments through an injected registry
 * (and one real one); the progress bar; and one spawn of the real executable.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as gf from '../src/node.js';
import { CliProgress } from '../src/cli/progress.js';
import { encodeNpy } from '../src/cli/commands/predict.js';
import { gradflowVersion } from '../src/cli/commands/info.js';
import { shownPath, type ExperimentRegistry } from '../src/cli/io.js';
import { capture, fashionMnistDir, runCli, tempDir, writeJson } from './helpers/cli.js';

const fm = await fashionMnistDir();

describe('gradflow: usage', () => {
  let dir: string, cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('cli')));
  after(() => cleanup());

  test('the real executable prints its help (node --import tsx src/cli/main.ts --help)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--help'], { cwd: process.cwd() });
    for (const command of ['train', 'experiment', 'evaluate', 'predict', 'summary', 'info']) assert.match(stdout, new RegExp(`\\n  ${command} `));
    assert.match(stdout, /--backend <name>/);
    assert.match(stdout, /Exit codes: 0 ok, 1 runtime error, 2 usage or config error/);
  });

  test('--version, and errors of the argument parser exit 2 with one message', async () => {
    const v = await runCli(['--version'], { cwd: dir });
    assert.deepEqual([v.code, v.stdout.trim()], [0, gradflowVersion()]);
    assert.match(gradflowVersion(), /^\d+\.\d+\.\d+/);
    const cases: Array<[string[], RegExp]> = [
      [['trian'], /unknown command 'trian'[\s\S]*Did you mean train\?/],
      [['train'], /missing required argument 'config'/],
      [['train', 'x.json', '--epochs', 'abc'], /option '--epochs <n>' argument 'abc' is invalid\. expected an integer ≥ 1/],
      [['train', 'x.json', '--epoch', '3'], /unknown option '--epoch'[\s\S]*--epochs/],
      [['--backend', 'gpu', 'info'], /argument 'gpu' is invalid\. Allowed choices are js, wasm, native/],
      [['evaluate', 'm.safetensors', '--split', 'dev'], /Allowed choices are test, valid, train/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv, { cwd: dir });
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /^gradflow: error: /);
    }
  });

  test('files named on the command line: missing → 2, corrupt model → 1, no stack trace unless GRADFLOW_DEBUG=1', async () => {
    const missing = await runCli(['train', 'nope.yaml'], { cwd: dir });
    assert.deepEqual([missing.code, missing.stderr], [2, "gradflow: error: config 'nope.yaml': no such file\n"]);
    const ext = await runCli(['train', 'config.txt'], { cwd: dir });
    assert.equal(ext.code, 2);
    assert.match(ext.stderr, /expected a \.json, \.yaml or \.yml file, got '\.txt'/);
    const noModel = await runCli(['summary', 'none.safetensors'], { cwd: dir });
    assert.deepEqual([noModel.code, noModel.stderr], [2, "gradflow: error: <model>: cannot read 'none.safetensors': no such file\n"]);
    await writeFile(join(dir, 'corrupt.safetensors'), 'not a model at all');
    const corrupt = await runCli(['summary', 'corrupt.safetensors'], { cwd: dir });
    assert.equal(corrupt.code, 1);
    assert.match(corrupt.stderr, /^gradflow: error: cannot load the model 'corrupt\.safetensors': .+\n$/);
    const debug = await runCli(['summary', 'corrupt.safetensors'], { cwd: dir, env: { GRADFLOW_DEBUG: '1' } });
    assert.equal(debug.code, 1);
    assert.match(debug.stderr, /\n\s+at .*model-files/);
  });

  test('info: versions, backends with the BLAS kernel, data sources; --json; --backend switches for one command only', async () => {
    const before = gf.getBackend();
    const r = await runCli(['info'], { cwd: dir, env: { OPENBLAS_CORETYPE: 'Haswell', GRADFLOW_DATA: '/nowhere' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^gradflow\\s+${gradflowVersion()}`));
    assert.match(r.stdout, new RegExp(`backend\\s+${before} `));
    assert.match(r.stdout, /OPENBLAS_CORETYPE=Haswell/);
    assert.match(r.stdout, /GRADFLOW_DATA=\/nowhere/);
    const native = gf.listBackends().includes('native') ? gf.backendInfo('native') : null;
    if (native?.available) {
      assert.match(r.stdout, new RegExp(`blas: ${String(native.blas)}`));
      if (native.blasCore !== undefined) assert.match(r.stdout, new RegExp(`blasCore: ${String(native.blasCore)}`), 'the BLAS kernel');
    } else {
      assert.match(r.stdout, /native\s+not available/);
    }
    const json = await runCli(['--backend', 'js', 'info', '--json'], { cwd: dir });
    const info = JSON.parse(json.stdout);
    assert.equal(info.backend, 'js');
    assert.equal(info.gradflow, gradflowVersion());
    assert.equal(typeof info.backends.wasm.simd, 'boolean');
    assert.ok(['fashion-mnist', 'mnist', 'cifar10'].every((d) => typeof info.data[d].found === 'boolean'));
    assert.equal(info.data['fashion-mnist'].found, fm.dir !== null);
    assert.equal(gf.getBackend(), before, 'main() restores the backend');
  });
});

describe('gradflow train → evaluate, predict, summary on real Fashion-MNIST', { skip: fm.skip }, () => {
  let dir: string, cleanup: () => Promise<void>;
  let run: string;
  let stdout: string;
  before(async () => {
    ({ dir, cleanup } = await tempDir('train'));
    const config = JSON.parse(await readFile('examples/configs/fashion-mnist-mlp.json', 'utf8'));
    config.dataset.dir = fm.dir;
    config.callbacks.push({ class_name: 'CSVLogger', config: { filename: 'log.csv' } });
    await writeJson(join(dir, 'mlp.json'), config);
    const r = await runCli(['train', 'mlp.json', '--samples', '512', '--epochs', '1', '--report', '--out', 'run'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    stdout = r.stdout;
    run = join(dir, 'run');
  });
  after(() => cleanup());

  test('progress lines (stdout not a TTY), test metrics and the run folder', () => {
    assert.match(stdout, /^gradflow train: fashion-mnist-mlp — Fashion-MNIST \(512 train \/ 512 valid \/ 512 test, preprocessing scale\), 1 epoch, batch 32, seed 42/);
    assert.match(stdout, /\nEpoch 1\/1 - [\d.]+s - loss: [\d.]+ - accuracy: [\d.]+ - val_loss: [\d.]+ - val_accuracy: [\d.]+ - lr: 0\.0100\n/);
    assert.match(stdout, /\ntest: loss: [\d.]+ - accuracy: [\d.]+\nrun folder: run \(report: run\/report\.html\)\n$/);
  });

  test('the run folder holds every file, and nothing half-written', async () => {
    assert.deepEqual((await readdir(run)).sort(), [
      'config.json', 'history.csv', 'history.json', 'log.csv', 'metrics.json', 'model.safetensors', 'report.html', 'run.json', 'summary.txt',
    ]);
    assert.deepEqual((await readdir(dir)).filter((f) => f.includes('partial')), []);
    const history = JSON.parse(await readFile(join(run, 'history.json'), 'utf8'));
    for (const k of ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr']) assert.equal(history[k]?.length, 1, k);
    const csv = (await readFile(join(run, 'history.csv'), 'utf8')).trim().split('\n');
    assert.deepEqual(csv[0].split(','), ['epoch', 'accuracy', 'loss', 'lr', 'val_accuracy', 'val_loss']);
    assert.equal(Number(csv[1].split(',')[2]), history.loss[0]);
    const config = JSON.parse(await readFile(join(run, 'config.json'), 'utf8'));
    assert.deepEqual([config.epochs, config.dataset.samples, config.batch_size], [1, 512, 32]);
    const metrics = JSON.parse(await readFile(join(run, 'metrics.json'), 'utf8'));
    assert.deepEqual(Object.keys(metrics.test).sort(), ['accuracy', 'loss']);
    assert.deepEqual(metrics.samples, { train: 512, valid: 512, test: 512 });
    assert.match(await readFile(join(run, 'summary.txt'), 'utf8'), /Total params: 266,610/);
    const meta = JSON.parse(await readFile(join(run, 'run.json'), 'utf8'));
    assert.equal(meta.gradflow, gradflowVersion());
    assert.equal(meta.data_source.dir, fm.dir);
    assert.match(await readFile(join(run, 'report.html'), 'utf8'), /^<!DOCTYPE html>/i);
  });

  test('the model loads back; evaluate on the same test samples gives the recorded test metrics exactly', async () => {
    const r = await runCli(['evaluate', 'run', '--samples', '512', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const metrics = JSON.parse(await readFile(join(run, 'metrics.json'), 'utf8'));
    assert.deepEqual(out.metrics, metrics.test);
    assert.equal(out.data, 'Fashion-MNIST test split');
    assert.match(out.preprocessing, /scale.*as recorded in run\/config\.json/);
    const text = await runCli(['evaluate', 'run/model.safetensors', '--samples', '100'], { cwd: dir });
    assert.match(text.stdout, /^model: run\/model\.safetensors\ndata: Fashion-MNIST test split \(100 samples\)\npreprocessing: scale \(x \/ 255\), as recorded in run\/config\.json\nloss: [\d.]+\naccuracy: [\d.]+\n$/);
  });

  test('predict: the CLI\'s outputs equal the loaded model\'s predictions; --top, csv, npy', async () => {
    const data = await gf.datasets.fashionMnist.loadData({ dir: fm.dir! });
    const raw = gf.datasets.takeRange(data.test.x, 0, 5);
    const bytes = new Uint8Array(raw.data);
    const npy = encodeNpy(raw);
    // a uint8 .npy, as numpy.save writes raw images: header with '|u1'
    const header = new TextDecoder().decode(npy.subarray(10, 10 + new DataView(npy.buffer).getUint16(8, true))).replace("'<f4'", "'|u1'");
    const u8 = new Uint8Array(10 + header.length + bytes.length);
    u8.set(npy.subarray(0, 10)); u8.set(new TextEncoder().encode(header), 10); u8.set(bytes, 10 + header.length);
    await writeFile(join(dir, 'x.npy'), u8);

    const r = await runCli(['predict', 'run', 'x.npy', '--output', 'p.npy'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /5 samples from x\.npy; preprocessing: scale \(x \/ 255\), as recorded in run\/config\.json/);
    const cli = gf.datasets.parseNpy(new Uint8Array(await readFile(join(dir, 'p.npy'))));
    const model = await gf.loadModel(join(run, 'model.safetensors'));
    const expected = await model.predict(gf.datasets.scalePixels(raw));
    assert.deepEqual(cli.shape, [5, 10]);
    assert.deepEqual(Array.from(cli.data), Array.from(expected.data));

    const top = await runCli(['predict', 'run', 'x.npy', '--top', '3'], { cwd: dir });
    const rows = JSON.parse(top.stdout);
    assert.equal(rows.length, 5);
    for (const [i, row] of rows.entries()) {
      const p = Array.from(expected.data.subarray(i * 10, i * 10 + 10));
      const best = p.indexOf(Math.max(...p));
      assert.equal(row.class, best);
      assert.equal(row.label, gf.datasets.FASHION_MNIST_CLASS_NAMES[best]);
      assert.equal(row.top.length, 3);
      assert.ok(row.top[0].probability >= row.top[1].probability && row.top[1].probability >= row.top[2].probability);
    }
    const csv = await runCli(['predict', 'run', 'x.npy', '--format', 'csv', '--top', '2'], { cwd: dir });
    assert.equal(csv.stdout.split('\n')[0], 'index,class,label,probability,class_2,label_2,probability_2');
    assert.equal(csv.stdout.trim().split('\n').length, 6);
    const noOut = await runCli(['predict', 'run', 'x.npy', '--format', 'npy'], { cwd: dir });
    assert.deepEqual([noOut.code, noOut.stderr], [2, 'gradflow: error: --format npy writes a binary file: give --output FILE\n']);
    const tooMany = await runCli(['predict', 'run', 'x.npy', '--top', '11'], { cwd: dir });
    assert.equal(tooMany.code, 2);
    assert.match(tooMany.stderr, /--top 11: the model predicts 10 classes; expected 1 … 10/);
  });

  test('evaluate --x/--y from files, and its argument errors', async () => {
    const data = await gf.datasets.fashionMnist.loadData({ dir: fm.dir! });
    const y = gf.datasets.takeRange(data.test.y, 0, 5);
    await writeFile(join(dir, 'y.json'), JSON.stringify(Array.from(y.data)));
    const r = await runCli(['evaluate', 'run', '--x', 'x.npy', '--y', 'y.json', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const model = await gf.loadModel(join(run, 'model.safetensors'));
    const expected = await model.evaluate(gf.datasets.scalePixels(gf.datasets.takeRange(data.test.x, 0, 5)), y);
    assert.deepEqual(out.metrics, { ...expected });
    assert.equal(out.samples, 5);
    const onlyX = await runCli(['evaluate', 'run', '--x', 'x.npy'], { cwd: dir });
    assert.deepEqual([onlyX.code, onlyX.stderr], [2, 'gradflow: error: --x and --y go together (inputs and labels); got only --x\n']);
    const both = await runCli(['evaluate', 'run', '--x', 'x.npy', '--y', 'y.json', '--data', 'mnist'], { cwd: dir });
    assert.equal(both.code, 2);
    const missing = await runCli(['evaluate', 'run', '--x', 'nope.npy', '--y', 'y.json'], { cwd: dir });
    assert.deepEqual([missing.code, missing.stderr], [2, "gradflow: error: --x: cannot read 'nope.npy': no such file\n"]);
  });

  test("preprocessing 'standardize': the training statistics are saved and evaluate applies them", async () => {
    await writeJson(join(dir, 'std.json'), {
      name: 'std', dataset: { dir: fm.dir, preprocessing: 'standardize' }, optimizer: 'sgd', epochs: 1,
      model: [{ class_name: 'Flatten' }, { class_name: 'Dense', config: { units: 10, activation: 'softmax' } }],
    });
    const r = await runCli(['train', 'std.json', '--samples', '300', '--quiet', '--out', 'std'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[0].startsWith('test: loss: '), true, '--quiet prints only the final lines');
    assert.ok((await readdir(join(dir, 'std'))).includes('standardization.safetensors'));
    const e = await runCli(['evaluate', 'std', '--samples', '300', '--json'], { cwd: dir });
    assert.equal(e.code, 0, e.stderr);
    const out = JSON.parse(e.stdout);
    assert.deepEqual(out.metrics, JSON.parse(await readFile(join(dir, 'std', 'metrics.json'), 'utf8')).test);
    assert.match(out.preprocessing, /^standardize .*as recorded in std\/config\.json$/);
  });

  test('summary prints the Keras table', async () => {
    const r = await runCli(['summary', 'run'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Model: "sequential.*"\n/);
    assert.match(r.stdout, /Dense\)\s+\(None, 300\)\s+235,500/);
    assert.match(r.stdout, /Total params: 266,610\n/);
  });

  test('--out refuses a folder that holds something', async () => {
    const r = await runCli(['train', 'mlp.json', '--out', 'run'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--out: 'run' already exists and is not empty/);
  });
});

/** A fake experiment: records the options it got and drives the callbacks it is given. */
function fakeRegistry(calls: Array<Record<string, unknown>>): ExperimentRegistry {
  const experiment: gf.experiments.Experiment = {
    id: 'fake', title: 'A fake experiment', description: 'Two runs with made-up histories.', defaultEpochs: 3,
    async run(options = {}) {
      calls.push({ ...options });
      const runs: gf.experiments.RunRecord[] = [];
      for (const name of ['alpha', 'beta']) {
        options.log?.(`run: ${name}`);
        const epochs = options.epochs ?? 3;
        for (const cb of options.callbacks?.(name) ?? []) {
          cb.setParams({ epochs, steps: 4, batchSize: 8, samples: 32, verbose: 0 });
          for (let e = 0; e < epochs; e++) { cb.onEpochBegin(e); cb.onTrainBatchEnd(3, { loss: 1 }); cb.onEpochEnd(e, { loss: 1 / (e + 1), val_loss: 2 / (e + 1) }); }
        }
        const history = { loss: Array.from({ length: epochs }, (_, e) => 1 / (e + 1)), val_loss: Array.from({ length: epochs }, (_, e) => 2 / (e + 1)) };
        runs.push({ name, history, final: { loss: history.loss[epochs - 1], val_loss: history.val_loss[epochs - 1] }, seconds: 0.5, extra: { note: name.length } });
      }
      return { id: 'fake', title: 'A fake experiment', seed: options.seed ?? 42, epochs: options.epochs ?? 3, samples: options.samples ?? 55_000, runs, notes: ['a note'] };
    },
  };
  return {
    ids: ['fake', 'broken'],
    load: async (id) => {
      if (id === 'broken') throw new Error('examples/broken.ts does not export an experiment');
      return experiment;
    },
  };
}

describe('gradflow experiment', () => {
  let dir: string, cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('exp')));
  after(() => cleanup());

  test('--list: ids, default epochs, titles; a module that fails to load is shown, not fatal', async () => {
    const r = await runCli(['experiment', '--list'], { cwd: dir, experiments: fakeRegistry([]) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^id\s+epochs\s+title\nfake\s+3\s+A fake experiment\nbroken\s+—\s+\(unavailable: examples\/broken\.ts does not export an experiment\)\n$/);
    const json = JSON.parse((await runCli(['experiment', '--list', '--json'], { cwd: dir, experiments: fakeRegistry([]) })).stdout);
    assert.deepEqual(json[0], { id: 'fake', title: 'A fake experiment', defaultEpochs: 3 });
  });

  test('<id>: options passed through, result table on stdout, progress on stderr, result.json and the report', async () => {
    const calls: Array<Record<string, unknown>> = [];
    const r = await runCli(['experiment', 'fake', '--epochs', '2', '--seed', '7', '--samples', '100', '--batch-size', '16', '--report', '--out', 'out'],
      { cwd: dir, experiments: fakeRegistry(calls) });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual({ ...calls[0], log: undefined, callbacks: undefined },
      { epochs: 2, seed: 7, samples: 100, batchSize: 16, dataDir: undefined, verbose: 0, monitor: true, log: undefined, callbacks: undefined });
    assert.match(r.stdout, /^A fake experiment \(fake; seed 7, 2 epochs, 100 training samples\)\nrun\s+loss\s+accuracy\s+val_loss\s+val_accuracy\s+note\s+time\n/);
    assert.match(r.stdout, /\nalpha\s+0\.5000\s+—\s+1\.0000\s+—\s+5\.0000\s+0\.5 s\n/);
    assert.match(r.stdout, /• a note\n$/);
    assert.match(r.stderr, /run: alpha\nalpha · Epoch 1\/2 - [\d.]+s - loss: 1\.0000 - val_loss: 2\.0000\nalpha · Epoch 2\/2/);
    assert.match(r.stderr, /result: out\/result\.json, report: out\/report\.html\n$/);
    const result = JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8'));
    assert.deepEqual(result.runs.map((x: { name: string }) => x.name), ['alpha', 'beta']);
    assert.equal(result.runs[0].monitor, undefined);
    assert.match(await readFile(join(dir, 'out', 'report.html'), 'utf8'), /A fake experiment/);
  });

  test('--json prints the result; unknown and missing ids exit 2 with the list', async () => {
    const r = await runCli(['experiment', 'fake', '--json', '--out', 'j'], { cwd: dir, experiments: fakeRegistry([]) });
    assert.equal(JSON.parse(r.stdout).runs[1].name, 'beta');
    const unknown = await runCli(['experiment', 'fak'], { cwd: dir, experiments: fakeRegistry([]) });
    assert.deepEqual([unknown.code, unknown.stderr], [2, "gradflow: error: experiment: unknown id 'fak' (did you mean 'fake'?); expected one of: fake, broken\n"]);
    const none = await runCli(['experiment'], { cwd: dir, experiments: fakeRegistry([]) });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /missing <id>; expected one of: fake, broken \(or --list\)/);
  });

  test('a real experiment from examples/ (batch-norm, 1 epoch on 256 samples)', { skip: fm.skip }, async () => {
    const r = await runCli(['experiment', 'batch-norm', '--epochs', '1', '--samples', '256', '--out', 'bn'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Batch normalization.*\(batch-norm; seed 42, 1 epoch, 256 training samples\)/);
    for (const name of ['bn-after', 'bn-before', 'no BN (baseline)']) assert.match(r.stdout, new RegExp(`\\n${name.replace(/[()]/g, '\\$&')}\\s+\\d`));
    const result = JSON.parse(await readFile(join(dir, 'bn', 'result.json'), 'utf8'));
    assert.equal(result.runs.length, 3);
    assert.equal(result.runs[0].history.val_accuracy.length, 1);
  });
});

describe('progress', () => {
  const drive = (cb: CliProgress): void => {
    cb.setParams({ epochs: 2, steps: 3, batchSize: 4, samples: 12, verbose: 0 });
    cb.onTrainBegin();
    for (let e = 0; e < 2; e++) {
      cb.onEpochBegin(e);
      for (let b = 0; b < 3; b++) cb.onTrainBatchEnd(b, { loss: 0.5, accuracy: 0.75 });
      cb.onEpochEnd(e, { loss: 0.5, accuracy: 0.75, val_loss: 0.25 });
    }
    cb.onTrainEnd();
  };

  test('not a TTY: one plain line per epoch', () => {
    const out = capture(false);
    drive(new CliProgress(out, { label: 'run' }));
    const lines = out.text.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[1], /^run · Epoch 2\/2 - [\d.]+s - loss: 0\.5000 - accuracy: 0\.7500 - val_loss: 0\.2500$/);
  });

  test('a TTY: a live cli-progress bar per epoch, ending with the epoch\'s logs', () => {
    const out = capture(true);
    drive(new CliProgress(out));
    assert.match(out.text, /Epoch 1\/2 \[█+\] 3\/3 \| .*val_loss: 0\.2500/);
    assert.match(out.text, /Epoch 2\/2 \[/);
    assert.ok(out.text.includes('\x1b['), 'terminal control sequences redraw the bar');
  });
});

test('paths are shown relative to the working directory only when inside it', () => {
  assert.equal(shownPath('/home/u/project', '/home/u/project/runs/a'), 'runs/a');
  assert.equal(shownPath('/home/u/project', '/home/u/project'), '.');
  assert.equal(shownPath('/home/u/project', '/tmp/run'), '/tmp/run');
  assert.equal(shownPath('/home/u/project', '/home/u/other/run'), '/home/u/other/run');
});
