/**
 * CSVLogger: streams each epoch's logs to a CSV file, as Keras: the header is 'epoch' then the
 * log keys of the first epoch, sorted; each row is the 0-based epoch and the values written as
 * Python's csv module writes floats (repr: 0.6931471805599453, 1e-05, nan); a key missing
 * from a later epoch is written 'NA'. With `append`, rows go after an existing file's and the
 * header is written only when the file is empty or missing.
 * Node-only at use (node:fs is imported lazily, so importing it is browser-safe).
 */
import { importNode } from '../utils/node-modules.js';
import { Callback, type Logs } from './callback.js';
import { pyRepr } from './python-format.js';

interface FileHandleLike {
  write(data: string): Promise<unknown>;
  close(): Promise<void>;
}

export class CSVLogger extends Callback {
  /** The columns after 'epoch' (fixed at the first epoch). */
  keys: string[] | null = null;
  private file: FileHandleLike | null = null;
  private writeHeader = true;

  constructor(readonly filename: string, readonly separator = ',', readonly append = false) {
    super();
    if (typeof filename !== 'string' || filename.length === 0) throw new TypeError(`CSVLogger: filename must be a path, got ${JSON.stringify(filename)}`);
    if (typeof separator !== 'string' || separator.length !== 1) throw new TypeError(`CSVLogger: separator must be one character, got ${JSON.stringify(separator)}`);
  }

  override async onTrainBegin(): Promise<void> {
    const fs = await importNode('node:fs/promises');
    const { dirname } = await importNode('node:path');
    await fs.mkdir(dirname(this.filename), { recursive: true });
    this.writeHeader = true;
    if (this.append) {
      const size = await fs.stat(this.filename).then((s) => s.size, () => 0);
      this.writeHeader = size === 0;
    }
    this.keys = null;
    this.file = await fs.open(this.filename, this.append ? 'a' : 'w');
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (!this.file) await this.onTrainBegin(); // driven by hand without onTrainBegin
    this.keys ??= Object.keys(logs).sort();
    let text = '';
    if (this.writeHeader) {
      text += this.row(['epoch', ...this.keys]);
      this.writeHeader = false;
    }
    text += this.row([String(epoch), ...this.keys.map((k) => (k in logs ? pyRepr(logs[k]) : 'NA'))]);
    await this.file!.write(text);
  }

  override async onTrainEnd(): Promise<void> {
    if (!this.file) return;
    const file = this.file;
    this.file = null;
    await file.close();
  }

  /** One CSV row (fields quoted only when they contain the separator, a quote or a newline). */
  private row(fields: string[]): string {
    const sep = this.separator;
    const quote = (f: string) => (f.includes(sep) || /["\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
    // csv.writer ends rows with \r\n (the 'excel' dialect Keras uses)
    return `${fields.map(quote).join(sep)}\r\n`;
  }
}
