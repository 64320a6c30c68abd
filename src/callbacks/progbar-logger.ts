/** Prints one Keras-like line per epoch: "Epoch 3/10 - 1.2s - 0.7ms/step - loss: 0.5012 - accuracy: 0.8123". */
import { Callback, type Logs } from './callback.js';

export class ProgbarLogger extends Callback {
  private start = 0;
  constructor(private readonly print: (line: string) => void = (line) => console.log(line)) { super(); }

  override onEpochBegin(): void {
    this.start = Date.now();
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const seconds = (Date.now() - this.start) / 1000;
    const steps = this.params?.steps ?? 1;
    const parts = [`Epoch ${epoch + 1}/${this.params?.epochs ?? '?'}`, `${seconds.toFixed(1)}s`,
      `${((seconds * 1000) / steps).toFixed(1)}ms/step`];
    for (const [key, value] of Object.entries(logs)) parts.push(`${key}: ${formatValue(value)}`);
    this.print(parts.join(' - '));
  }
}

function formatValue(v: number): string {
  return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(4);
}
