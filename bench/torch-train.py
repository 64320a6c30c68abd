#!/usr/bin/env python3
"""PyTorch side of the training benchmark (bench/train.ts runs it with child_process).

Usage: python3 bench/torch-train.py '{"configs":[{"batch":32,"bn":false}],"samples":60000,
        "warmupSteps":5,"epochs":1,"threads":1}'
Prints one line 'RESULT {json}' in the shape of train.ts' WorkerResult. train.ts sets
OPENBLAS_NUM_THREADS (the job's blasThreads) and OMP_NUM_THREADS (its threads):
torch.set_num_threads does not reach the OpenBLAS under Debian's build (it is linked as the
generic libblas.so.3).

Same protocol as the JavaScript systems: 60,000 uniform [0, 1) 28x28 float32 images, labels
0..9, Flatten -> Linear(784, 300) -> ReLU [-> BatchNorm1d] -> Linear(300, 100) -> ReLU
[-> BatchNorm1d] -> Linear(100, 10), plain SGD lr 0.01, shuffled each epoch, loss.item() read
every step (as Keras-style fit does for its logs). The last layer returns logits and
F.cross_entropy fuses softmax with the loss: the idiomatic PyTorch spelling of
softmax + sparse categorical cross-entropy (gradflow fuses the same pair internally).
BatchNorm1d gets Keras' settings: eps 1e-3, momentum 0.01 (PyTorch's momentum is 1 - Keras').
"""
import json
import os
import re
import resource
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

SAMPLES = 60_000


def build(bn: bool) -> nn.Module:
    def hidden(n_in, n_out):
        layers = [nn.Linear(n_in, n_out), nn.ReLU()]
        if bn:
            layers.append(nn.BatchNorm1d(n_out, eps=1e-3, momentum=0.01))
        return layers

    return nn.Sequential(nn.Flatten(), *hidden(784, 300), *hidden(300, 100), nn.Linear(100, 10))


def rss_mb() -> float:
    try:
        with open('/proc/self/statm') as f:
            return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def epoch(model, opt, x, y, samples, batch) -> float:
    """Seconds for one shuffled epoch over the first `samples` samples."""
    model.train()
    t0 = time.perf_counter()
    order = torch.randperm(samples)
    for start in range(0, samples, batch):
        idx = order[start:start + batch]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        loss.item()
    return time.perf_counter() - t0


def blas_info() -> str:
    # torch.__config__.show() lists every build setting on one line: '..., BLAS_INFO=open, ...'
    match = re.search(r'BLAS_INFO=([^,\s]+)', torch.__config__.show())
    return f'BLAS {match.group(1)}' if match else 'BLAS unknown'


def main() -> None:
    job = json.loads(sys.argv[1])
    torch.set_num_threads(int(job.get('threads', 1)))
    torch.manual_seed(42)
    g = torch.Generator().manual_seed(42)
    x = torch.rand(SAMPLES, 28, 28, generator=g)
    y = torch.randint(0, 10, (SAMPLES,), generator=g)
    baseline = rss_mb()
    results = []
    for cfg in job['configs']:
        batch, samples = cfg['batch'], job['samples']
        model = build(cfg['bn'])
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        epoch(model, opt, x, y, min(SAMPLES, job['warmupSteps'] * batch), batch)
        seconds, rss = [], []
        for _ in range(job['epochs']):
            seconds.append(epoch(model, opt, x, y, samples, batch))
            rss.append(rss_mb())
        steps = -(-samples // batch)
        print(f"  pytorch batch {batch}{' + BN' if cfg['bn'] else ''}: "
              f"{', '.join(f'{s:.2f}' for s in seconds)} s for {samples} samples "
              f"({steps / (sum(seconds) / len(seconds)):.0f} steps/s)", file=sys.stderr, flush=True)
        results.append({**cfg, 'samples': samples, 'steps': steps, 'warmupSteps': job['warmupSteps'],
                        'epochSeconds': seconds, 'rssMB': rss})
    coretype = os.environ.get('OPENBLAS_CORETYPE')
    blas_threads = os.environ.get('OPENBLAS_NUM_THREADS', 'unset: every core')
    info = (f"PyTorch {torch.__version__}, torch.set_num_threads({torch.get_num_threads()}), {blas_info()}, "
            f"OPENBLAS_NUM_THREADS={blas_threads}"
            + (f", OPENBLAS_CORETYPE={coretype}" if coretype else ''))
    print('RESULT ' + json.dumps({
        'system': 'pytorch', 'backend': 'cpu', 'info': info, 'baselineRssMB': baseline,
        'maxRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'results': results,
    }), flush=True)


if __name__ == '__main__':
    main()
