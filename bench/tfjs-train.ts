/**
 * TensorFlow.js side of the training benchmark (bench/train.ts): the same MLP with tf.layers,
 * trained with model.fit (batchSize, epochs, verbose 0) on the 'cpu' or 'wasm' backend.
 * Loaded only inside a tfjs worker process, so gradflow's memory is not in its RSS.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { IMAGE, type Data, type Framework } from './train.js';

export async function tfjs(backend: string): Promise<Framework> {
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' failed to initialize`);
  await tf.ready();
  let info = `TensorFlow.js ${tf.version.tfjs}, backend '${tf.getBackend()}'`;
  if (backend === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    info += ` (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'})`;
  }
  // One copy of each sample count's tensors per worker (tf.tensor copies the typed array).
  const cache = new Map<number, { x: tf.Tensor; y: tf.Tensor }>();
  const tensors = (data: Data, samples: number) => {
    let t = cache.get(samples);
    if (!t) {
      t = {
        x: tf.tensor3d(data.x.subarray(0, samples * IMAGE), [samples, 28, 28]),
        y: tf.tensor2d(Float32Array.from(data.y.subarray(0, samples)), [samples, 1]),
      };
      cache.set(samples, t);
    }
    return t;
  };

  return {
    info,
    async trainer(data, { batch, bn }) {
      const hidden = (units: number) => [
        tf.layers.dense({ units, activation: 'relu' }),
        ...(bn ? [tf.layers.batchNormalization({ momentum: 0.99, epsilon: 1e-3 })] : []),
      ];
      const model = tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: [28, 28] }),
          ...hidden(300),
          ...hidden(100),
          tf.layers.dense({ units: 10, activation: 'softmax' }),
        ],
      });
      model.compile({ optimizer: tf.train.sgd(0.01), loss: 'sparseCategoricalCrossentropy' });
      return {
        async fit(samples, epochs, afterEpoch) {
          const { x, y } = tensors(data, samples);
          const seconds: number[] = [];
          let t0 = 0;
          await model.fit(x, y, {
            batchSize: batch, epochs, verbose: 0,
            callbacks: {
              onEpochBegin: async () => { t0 = performance.now(); },
              onEpochEnd: async () => { seconds.push((performance.now() - t0) / 1000); afterEpoch(); },
            },
          });
          return seconds;
        },
        dispose() {
          model.dispose();
        },
      };
    },
  };
}
