/**
 * Metrics: accuracy variants, top-k, running means with weights, AUC (Keras docstring and
 * hand-computed cases), compile's 'accuracy' / 'crossentropy' resolution, registry round trips,
 * no gradient tracking, bad input.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { assertClose } from './helpers/assert-close.js';
import * as metrics from '../src/metrics/index.js';
import * as losses from '../src/losses/index.js';

const i32 = (v: gf.NestedArray): Tensor => gf.tensor(v, undefined, 'int32');

describe('accuracy variants', () => {
  test('binary_accuracy (threshold 0.5; Keras docstring: 0.75)', () => {
    const m = new metrics.BinaryAccuracy();
    m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]);
    assert.equal(m.result(), 0.75);
    // threshold 0.7: 0.6 → 0 is now right
    const t = new metrics.BinaryAccuracy({ threshold: 0.7 });
    t.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]);
    assert.equal(t.result(), 1);
    // multi-label rows average over the last axis: [1, 0.5]
    assertClose(metrics.binaryAccuracy([[1, 0], [1, 1]], [[0.9, 0.2], [0.4, 0.8]]), [1, 0.5]);
  });

  test('categorical_accuracy (Keras docstring: 0.5)', () => {
    const m = new metrics.CategoricalAccuracy();
    m.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
    assert.equal(m.result(), 0.5);
  });

  test('sparse_categorical_accuracy (Keras docstring: 0.5), labels [batch] or [batch, 1]', () => {
    const m = new metrics.SparseCategoricalAccuracy();
    m.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
    assert.equal(m.result(), 0.5);
    assertClose(metrics.sparseCategoricalAccuracy(i32([1, 1]), [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]), [1, 1]);
  });

  test('top_k (Keras docstrings: k = 1 → 0.5; default k = 5 with 3 classes → 1)', () => {
    const yp = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]];
    const m = new metrics.TopKCategoricalAccuracy({ k: 1 });
    m.updateState([[0, 0, 1], [0, 1, 0]], yp);
    assert.equal(m.result(), 0.5);
    const s = new metrics.SparseTopKCategoricalAccuracy({ k: 1 });
    s.updateState(i32([2, 1]), yp);
    assert.equal(s.result(), 0.5);
    assertClose(metrics.sparseTopKCategoricalAccuracy(i32([2, 1]), yp, 2), [1, 1]);
    const five = new metrics.SparseTopKCategoricalAccuracy();
    five.updateState(i32([2, 0]), yp);
    assert.equal(five.result(), 1);
  });

  test('top_k ties at the boundary count as in (TF in_top_k)', () => {
    // class 2 ties with class 1 for second place; k = 2 → in; class 0 below both → out
    assertClose(metrics.sparseTopKCategoricalAccuracy(i32([2, 0]), [[0.5, 0.25, 0.25], [0.1, 0.45, 0.45]], 2), [1, 0]);
  });

  test('accuracy (exact match, Keras Accuracy)', () => {
    const m = metrics.get('accuracy');
    m.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]]);
    assert.equal(m.result(), 0.75);
  });
});

describe('running means', () => {
  test('Mean across batches with weights (Keras docstring: [1,3,5,7] → 4; weights [1,1,0,0] → 2)', () => {
    const m = new metrics.Mean();
    m.updateState([1, 3, 5, 7]);
    assert.equal(m.result(), 4);
    m.resetState();
    m.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
    assert.equal(m.result(), 2);
    // second batch: total 4 + 3·10 = 34, count 2 + 3 = 5
    m.updateState([10], [3]);
    assert.equal(m.result(), 34 / 5);
    m.resetState();
    assert.equal(m.result(), 0);
  });

  test('metric wrappers accumulate over batches, weighted', () => {
    const m = new metrics.SparseCategoricalAccuracy();
    m.updateState(i32([0, 1]), [[0.9, 0.1], [0.8, 0.2]]); // [1, 0]
    m.updateState(i32([1]), [[0.3, 0.7]], [2]); // [1] with weight 2
    assert.equal(m.result(), 3 / 4);
    const mse = new metrics.MeanSquaredError();
    mse.updateState([[0, 1], [0, 0]], [[1, 1], [1, 0]]);
    mse.updateState([[0, 0]], [[2, 2]], [0.5]);
    // (0.5 + 0.5 + 0.5·4) / (1 + 1 + 0.5)
    assertClose(mse.result(), 3 / 2.5, { atol: 1e-6 });
    const mae = new metrics.MeanAbsoluteError();
    mae.updateState([[0, 1], [0, 0]], [[1, 1], [1, 0]]);
    assertClose(mae.result(), 0.5);
  });

  test('crossentropy metrics equal the losses', () => {
    const yt = [[0, 1, 0], [0, 0, 1]], yp = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]];
    const m = new metrics.CategoricalCrossentropy();
    m.updateState(yt, yp);
    assertClose(m.result(), 1.1769392, { atol: 1e-6 });
    const s = new metrics.SparseCategoricalCrossentropy();
    s.updateState(i32([1, 2]), yp);
    assertClose(s.result(), 1.1769392, { atol: 1e-6 });
    const b = new metrics.BinaryCrossentropy();
    b.updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]);
    assertClose(b.result(), 0.81492424, { atol: 1e-6 });
  });

  test('updates record nothing on the tape and return JS numbers', () => {
    const yp = gf.tensor([[0.2, 0.8]]).requireGrad();
    const m = new metrics.CategoricalCrossentropy();
    m.updateState([[0, 1]], yp);
    assert.equal(typeof m.result(), 'number');
    assert.equal(gf.isGradEnabled(), true);
    assert.equal(yp.grad, null);
  });
});

describe('AUC', () => {
  test('Keras docstring: 3 thresholds → 0.75', () => {
    // thresholds [−ε, 0.5, 1+ε]: tp [2,1,0], fp [2,0,0] → TPR [1, 0.5, 0], FPR [1, 0, 0];
    // trapezoids: (1 − 0)·(1 + 0.5)/2 + 0 = 0.75
    const m = new metrics.AUC({ numThresholds: 3 });
    m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
    assert.equal(m.result(), 0.75);
    const c = m.confusion();
    assert.deepEqual([...c.tp], [2, 1, 0]);
    assert.deepEqual([...c.fp], [2, 0, 0]);
    assert.deepEqual([...c.fn], [0, 1, 2]);
    assert.deepEqual([...c.tn], [0, 2, 2]);
  });

  test('200 thresholds: the exact pairwise ROC AUC when scores fall in distinct bins', () => {
    // positive/negative pairs: (0.3 vs 0) win, (0.3 vs 0.5) lose, (0.9 vs both) win → 3/4
    const m = new metrics.AUC();
    m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
    assertClose(m.result(), 0.75, { atol: 1e-12 });
  });

  test('perfectly separable → 1, reversed → 0, accumulated over batches', () => {
    const m = new metrics.AUC();
    m.updateState([[0], [1]], [[0.1], [0.8]]);
    m.updateState([[0], [1]], [[0.3], [0.6]]);
    assertClose(m.result(), 1, { atol: 1e-12 });
    m.resetState();
    m.updateState([1, 0], [0.2, 0.7]);
    assertClose(m.result(), 0, { atol: 1e-12 });
  });

  test('sample weights count as repeated samples', () => {
    const weighted = new metrics.AUC();
    weighted.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [2, 1, 1, 1]);
    const repeated = new metrics.AUC();
    repeated.updateState([0, 0, 0, 1, 1], [0, 0, 0.5, 0.3, 0.9]);
    // pairs: 0.3 beats both zeros, loses to 0.5; 0.9 beats all → 5/6
    assertClose(weighted.result(), 5 / 6, { atol: 1e-12 });
    assertClose(repeated.result(), 5 / 6, { atol: 1e-12 });
  });

  test('PR curve, 3 thresholds: interpolation, minoring, majoring (hand-computed)', () => {
    // tp [2,1,0], fp [2,0,0], fn [0,1,2]: recall [1, 0.5, 0], precision [0.5, 1, 0 (0/0)]
    const run = (summationMethod: metrics.AucSummation): number => {
      const m = new metrics.AUC({ numThresholds: 3, curve: 'PR', summationMethod });
      m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
      return m.result();
    };
    assertClose(run('minoring'), 0.5 * 0.5 + 0.5 * 0, { atol: 1e-12 });
    assertClose(run('majoring'), 0.5 * 1 + 0.5 * 1, { atol: 1e-12 });
    // Davis–Goadrich: bucket 0: slope 1/3, intercept 2/3, p ratio 4 → (1/3)(1 + (2/3)·ln 4)/2;
    // bucket 1: slope 1, intercept 0 → 1·1/2. Total (1 + (4/3)ln 2)/6 + 1/2 = 0.8206994
    assertClose(run('interpolation'), (1 + (4 / 3) * Math.LN2) / 6 + 0.5, { atol: 1e-12 });
  });

  test('fromLogits applies σ; out-of-range probabilities are an error', () => {
    const m = new metrics.AUC({ fromLogits: true });
    m.updateState([0, 1], [-3, 2]);
    assertClose(m.result(), 1, { atol: 1e-12 });
    assert.throws(() => new metrics.AUC().updateState([0, 1], [-3, 2]), /auc: predictions must be probabilities in \[0, 1\], got -3/);
    assert.throws(() => new metrics.AUC({ curve: 'XY' as never }), /curve must be 'ROC' or 'PR'/);
  });
});

describe('resolveMetric', () => {
  const cases: Array<[string, losses.LossIdentifier, Function]> = [
    ['accuracy', 'sparse_categorical_crossentropy', metrics.SparseCategoricalAccuracy],
    ['acc', 'SparseCategoricalCrossentropy', metrics.SparseCategoricalAccuracy],
    ['accuracy', 'categorical_crossentropy', metrics.CategoricalAccuracy],
    ['accuracy', new losses.CategoricalCrossentropy({ fromLogits: true }), metrics.CategoricalAccuracy],
    ['accuracy', 'binary_crossentropy', metrics.BinaryAccuracy],
    ['accuracy', losses.sparseCategoricalCrossentropy, metrics.SparseCategoricalAccuracy],
    ['crossentropy', 'sparse_categorical_crossentropy', metrics.SparseCategoricalCrossentropy],
    ['ce', 'categoricalCrossentropy', metrics.CategoricalCrossentropy],
    ['crossentropy', 'bce', metrics.BinaryCrossentropy],
  ];
  for (const [id, loss, cls] of cases) {
    test(`'${id}' with ${typeof loss === 'string' ? loss : (loss as { name: string }).name} → ${cls.name}`, () => {
      const m = metrics.resolveMetric(id, loss);
      assert.ok(m instanceof cls, m.constructor.name);
      assert.equal(m.name, id);
    });
  }

  test('from-logits losses carry over (binary accuracy thresholds logits at 0)', () => {
    const acc = metrics.resolveMetric('accuracy', new losses.BinaryCrossentropy({ fromLogits: true })) as metrics.BinaryAccuracy;
    assert.equal(acc.threshold, 0);
    const ce = metrics.resolveMetric('crossentropy', new losses.SparseCategoricalCrossentropy({ fromLogits: true })) as metrics.SparseCategoricalCrossentropy;
    assert.equal(ce.fromLogits, true);
  });

  test('other losses: decided by shape at the first update (Keras rule)', () => {
    const decide = (yt: gf.TensorLike, yp: gf.TensorLike): string => {
      const m = metrics.resolveMetric('accuracy', 'mse') as metrics.ShapeResolvedMetric;
      assert.ok(m instanceof metrics.ShapeResolvedMetric);
      m.updateState(yt, yp);
      return m.resolved!.constructor.name;
    };
    assert.equal(decide([[1], [0]], [[0.9], [0.2]]), 'BinaryAccuracy');
    assert.equal(decide([[0, 1], [1, 0]], [[0.1, 0.9], [0.2, 0.8]]), 'CategoricalAccuracy');
    assert.equal(decide(i32([1, 0]), [[0.1, 0.9], [0.2, 0.8]]), 'SparseCategoricalAccuracy');
    assert.equal(decide([[1], [0]], [[0.1, 0.9], [0.2, 0.8]]), 'SparseCategoricalAccuracy');
    const m = metrics.resolveMetric('accuracy', null);
    m.updateState(i32([1, 0]), [[0.1, 0.9], [0.2, 0.8]]);
    assert.equal(m.result(), 0.5);
  });

  test('anything else goes through get', () => {
    assert.ok(metrics.resolveMetric('mse', 'sparse_categorical_crossentropy') instanceof metrics.MeanSquaredError);
    assert.ok(metrics.resolveMetric({ className: 'AUC', config: { curve: 'PR' } }) instanceof metrics.AUC);
    const custom = metrics.resolveMetric(function twice(t: gf.TensorLike, p: gf.TensorLike) { return gf.mul(losses.mae(t, p), 2); });
    assert.equal(custom.name, 'twice');
    custom.updateState([[0, 1]], [[1, 1]]);
    assert.equal(custom.result(), 1);
    assert.throws(() => metrics.serialize(custom), /cannot be saved/);
  });
});

describe('registry', () => {
  test('spellings resolve to the same metric', () => {
    const groups = [
      ['mse', 'mean_squared_error', 'meanSquaredError', 'MeanSquaredError'],
      ['mae', 'mean_absolute_error', 'MeanAbsoluteError'],
      ['sparse_categorical_accuracy', 'sparseCategoricalAccuracy', 'SparseCategoricalAccuracy'],
      ['top_k_categorical_accuracy', 'topKCategoricalAccuracy', 'TopKCategoricalAccuracy'],
      ['auc', 'AUC'],
    ];
    for (const group of groups) {
      const cls = metrics.get(group[0]).constructor;
      for (const name of group) assert.equal(metrics.get(name).constructor, cls, name);
    }
    assert.throws(() => metrics.get('acuracy'), /unknown metric 'acuracy'.*accuracy/);
  });
  test('get returns fresh state per name', () => {
    const a = metrics.get('mean'), b = metrics.get('mean');
    a.updateState([1]);
    assert.equal(b.result(), 0);
  });
  for (const name of metrics.metricNames()) {
    test(`config round trip: ${name}`, () => {
      const first = metrics.serialize(metrics.get(name));
      const second = metrics.serialize(metrics.get(JSON.parse(JSON.stringify(first))));
      assert.deepEqual(second, first);
      const renamed = metrics.serialize(metrics.getMetricClass(name).fromConfig({ ...first.config, name: 'custom' }));
      assert.deepEqual(metrics.serialize(metrics.get(renamed)), renamed);
      assert.equal(renamed.config.name, 'custom');
    });
  }
  test('non-default options survive the round trip', () => {
    const auc = new metrics.AUC({ numThresholds: 50, curve: 'PR', summationMethod: 'minoring', fromLogits: true, name: 'pr' });
    assert.deepEqual(metrics.get(metrics.serialize(auc)).getConfig(),
      { name: 'pr', numThresholds: 50, curve: 'PR', summationMethod: 'minoring', fromLogits: true });
    const top = new metrics.TopKCategoricalAccuracy({ k: 3 });
    assert.equal((metrics.get(metrics.serialize(top)) as metrics.TopKCategoricalAccuracy).k, 3);
  });
});

describe('bad input', () => {
  test('out-of-range sparse labels and mismatched shapes name the metric', () => {
    assert.throws(() => new metrics.SparseCategoricalAccuracy().updateState(i32([0, 5]), [[0.5, 0.5], [0.5, 0.5]]),
      /sparse_categorical_accuracy: label 5 at position 1 is out of range for 2 classes/);
    assert.throws(() => new metrics.CategoricalAccuracy().updateState([[0, 1, 0]], [[0.5, 0.5]]),
      /categorical_accuracy: yTrue has shape \[1, 3\] but yPred has shape \[1, 2\]/);
    assert.throws(() => new metrics.BinaryAccuracy().updateState([[1], [0]], [[0.5]]), /binary_accuracy: yTrue has shape \[2, 1\]/);
    assert.throws(() => new metrics.Mean().updateState([1, 2, 3], [1, 2]), /mean: sampleWeight has shape \[2\]/);
    assert.throws(() => new metrics.TopKCategoricalAccuracy({ k: 0 }), /k must be a positive integer/);
  });
});
