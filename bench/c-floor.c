/*
 * The floor of the training benchmark: the same protocol as bench/train.ts with no framework at
 * all, a plain C loop over the CBLAS that gradflow's native backend and Debian's PyTorch also
 * call. It tells how much of an epoch is the BLAS (and memory) and how much is the framework:
 * a framework that calls this BLAS cannot be faster than this loop by more than noise.
 *
 *   cc -O3 -march=native bench/c-floor.c -o c-floor -lopenblas -lm   (bench/train.ts builds it by itself)
 *   OPENBLAS_NUM_THREADS=1 ./c-floor <batch> <samples> <warmupSteps> <epochs>
 *
 * Prints one line 'EPOCHS s1 s2 ...' (seconds of each timed epoch) and 'MAXRSS <MiB>'.
 *
 * Protocol (as train.ts): 60,000 uniform [0, 1) 784-pixel float32 images, labels 0..9; each epoch
 * a fresh Fisher-Yates shuffle, then per batch: gather the rows, Dense(300, relu) → Dense(100,
 * relu) → Dense(10) with softmax cross-entropy (mean over the batch), the backward pass (no
 * gradient for the input), and SGD (lr 0.01) on all six arrays. Weights are [in, out] (Keras'
 * layout), so the products are the ones gradflow runs: x·W, xᵀ·g and g·Wᵀ. A last, smaller
 * batch is trained like the others.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum { kRowMajor = 101, kNoTrans = 111, kTrans = 112 };
void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, const float* a, int lda,
                 const float* b, int ldb, float beta, float* c, int ldc);

#define SAMPLES 60000
#define LAYERS 3
static const int dims[LAYERS + 1] = {784, 300, 100, 10};

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

/* xorshift64*: a fixed, fast generator (the data need not match the other systems' bits) */
static uint64_t state = 42;
static uint32_t next32(void) {
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return (uint32_t)((state * 2685821657736338717ULL) >> 32);
}
static float uniform(void) { return (next32() >> 8) * (1.0f / 16777216.0f); }

static float* W[LAYERS];
static float* b[LAYERS];
static float* dW[LAYERS];
static float* db[LAYERS];
static float* act[LAYERS + 1]; /* act[0]: the batch; act[l + 1]: layer l's output */
static float* grad[LAYERS + 1];

static void step(const float* x, const int32_t* y, const int* rows, int batch, float lr) {
  for (int r = 0; r < batch; r++) memcpy(act[0] + (size_t)r * 784, x + (size_t)rows[r] * 784, 784 * sizeof(float));
  for (int l = 0; l < LAYERS; l++) {
    const int K = dims[l], N = dims[l + 1];
    cblas_sgemm(kRowMajor, kNoTrans, kNoTrans, batch, N, K, 1.0f, act[l], K, W[l], N, 0.0f, act[l + 1], N);
    float* out = act[l + 1];
    for (int r = 0; r < batch; r++) {
      for (int j = 0; j < N; j++) {
        const float v = out[r * N + j] + b[l][j];
        out[r * N + j] = (l < LAYERS - 1 && v < 0.0f) ? 0.0f : v;
      }
    }
  }
  /* softmax cross-entropy, mean over the batch: dlogits = (softmax − onehot) / batch */
  double loss = 0;
  for (int r = 0; r < batch; r++) {
    const float* z = act[LAYERS] + r * 10;
    float m = z[0], e[10], sum = 0;
    for (int j = 1; j < 10; j++) m = z[j] > m ? z[j] : m;
    for (int j = 0; j < 10; j++) sum += (e[j] = expf(z[j] - m));
    const int label = y[rows[r]];
    loss += logf(sum) + m - z[label];
    for (int j = 0; j < 10; j++) grad[LAYERS][r * 10 + j] = (e[j] / sum - (j == label ? 1.0f : 0.0f)) / batch;
  }
  for (int l = LAYERS - 1; l >= 0; l--) {
    const int K = dims[l], N = dims[l + 1];
    float* g = grad[l + 1];
    if (l < LAYERS - 1) {
      for (int i = 0; i < batch * N; i++) if (act[l + 1][i] <= 0.0f) g[i] = 0.0f;
    }
    for (int j = 0; j < N; j++) db[l][j] = 0;
    for (int r = 0; r < batch; r++) for (int j = 0; j < N; j++) db[l][j] += g[r * N + j];
    cblas_sgemm(kRowMajor, kTrans, kNoTrans, K, N, batch, 1.0f, act[l], K, g, N, 0.0f, dW[l], N);
    if (l > 0) cblas_sgemm(kRowMajor, kNoTrans, kTrans, batch, K, N, 1.0f, g, N, W[l], N, 0.0f, grad[l], K);
  }
  for (int l = 0; l < LAYERS; l++) {
    const int n = dims[l] * dims[l + 1];
    for (int i = 0; i < n; i++) W[l][i] -= lr * dW[l][i];
    for (int j = 0; j < dims[l + 1]; j++) b[l][j] -= lr * db[l][j];
  }
  if (loss != loss) fprintf(stderr, "c-floor: loss is NaN\n");
}

static void epoch(const float* x, const int32_t* y, int* order, int samples, int batch) {
  for (int i = samples - 1; i > 0; i--) {
    const int j = (int)(next32() % (uint32_t)(i + 1));
    const int t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  for (int start = 0; start < samples; start += batch) {
    const int count = samples - start < batch ? samples - start : batch;
    step(x, y, order + start, count, 0.01f);
  }
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: c-floor <batch> <samples> <warmupSteps> <epochs>\n");
    return 2;
  }
  const int batch = atoi(argv[1]), samples = atoi(argv[2]), warmup = atoi(argv[3]), epochs = atoi(argv[4]);
  if (batch < 1 || samples < 1 || samples > SAMPLES || warmup < 0 || epochs < 1) {
    fprintf(stderr, "c-floor: bad arguments\n");
    return 2;
  }
  float* x = malloc(sizeof(float) * (size_t)SAMPLES * 784);
  int32_t* y = malloc(sizeof(int32_t) * SAMPLES);
  int* order = malloc(sizeof(int) * SAMPLES);
  for (size_t i = 0; i < (size_t)SAMPLES * 784; i++) x[i] = uniform();
  for (int i = 0; i < SAMPLES; i++) y[i] = (int32_t)(next32() % 10), order[i] = i;
  for (int l = 0; l < LAYERS; l++) {
    const int n = dims[l] * dims[l + 1];
    const float limit = sqrtf(6.0f / (dims[l] + dims[l + 1])); /* Glorot uniform, zero biases */
    W[l] = malloc(sizeof(float) * n);
    dW[l] = malloc(sizeof(float) * n);
    b[l] = calloc(dims[l + 1], sizeof(float));
    db[l] = malloc(sizeof(float) * dims[l + 1]);
    for (int i = 0; i < n; i++) W[l][i] = (2.0f * uniform() - 1.0f) * limit;
  }
  for (int l = 0; l <= LAYERS; l++) {
    act[l] = malloc(sizeof(float) * (size_t)batch * dims[l]);
    grad[l] = malloc(sizeof(float) * (size_t)batch * dims[l]);
  }
  if (warmup > 0) epoch(x, y, order, warmup * batch < SAMPLES ? warmup * batch : SAMPLES, batch);
  printf("EPOCHS");
  for (int e = 0; e < epochs; e++) {
    const double t0 = now();
    epoch(x, y, order, samples, batch);
    printf(" %.6f", now() - t0);
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  printf("\nMAXRSS %.1f\n", usage.ru_maxrss / 1024.0);
  return 0;
}
