/**
 * Running the CLI in-process for tests: captured stdout / stderr, a temporary working
 * directory, a fixed clock, and an injectable experiment registry.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO, type OutputStream } from '../../src/cli/main.js';
import * as gf from '../../src/node.js';

export interface Captured extends OutputStream { text: string }

export function capture(isTTY = false): Captured {
  const out: Captured = { text: '', isTTY, write(s: string) { out.text += s; return true; } };
  return out;
}

export interface CliResult { code: number; stdout: string; stderr: string }

export async function runCli(argv: string[], io: Partial<CliIO> & { cwd: string }): Promise<CliResult> {
  const stdout = capture(), stderr = capture();
  const code = await main(argv, { stdout, stderr, env: {}, now: () => new Date(2025, 2, 14, 9, 30, 5), ...io });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `gradflow-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeJson(path: string, value: unknown): Promise<string> {
  await writeFile(path, JSON.stringify(value, null, 2));
  return path;
}

/** The Fashion-MNIST directory found without downloading, or the reason to skip. */
export async function fashionMnistDir(): Promise<{ dir: string | null; skip: string | false }> {
  try {
    const source = await gf.datasets.resolveSource(gf.datasets.fashionMnist.spec, { download: false, onProgress: false });
    return { dir: source.dir ?? null, skip: false };
  } catch (e) {
    if (!(e instanceof gf.datasets.DatasetNotFoundError)) throw e;
    return { dir: null, skip: `Fashion-MNIST files absent (apt-get install -y dataset-fashion-mnist, or set GRADFLOW_DATA); tried: ${e.tried.join(' | ')}` };
  }
}

/** A small valid train config (Flatten → Dense(16, relu) → Dense(10, softmax)) to edit in tests. */
export function tinyConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'tiny',
    model: [
      { class_name: 'Flatten' },
      { class_name: 'Dense', config: { units: 16, activation: 'relu', kernel_initializer: 'he_normal' } },
      { class_name: 'Dense', config: { units: 10, activation: 'softmax' } },
    ],
    optimizer: { class_name: 'SGD', config: { learning_rate: 0.01 } },
    epochs: 1,
    ...overrides,
  };
}
