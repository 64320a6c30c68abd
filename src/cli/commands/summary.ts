/** `gradflow summary <model>`: the Keras summary table of a saved model (layers, output shapes, parameters). */
import { println, type CliIO } from '../io.js';
import { loadModelFile } from '../model-files.js';

export async function summaryCommand(modelArg: string, io: CliIO): Promise<void> {
  const { model } = await loadModelFile(modelArg, io.cwd);
  println(io.stdout, model.summary(null));
}
