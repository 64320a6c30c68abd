// gradflow_native: the `native` backend's kernels for Node (N-API, plain node_api.h).
//
//   gemm(a, b, c, batchA, batchB, M, N, K, transA, transB)   batched SGEMM / DGEMM through CBLAS
//   binaryF32(op, a, aMode, b, bMode, out, rows, cols)       element-wise, row/scalar broadcast
//   unaryF32(op, x, out)
//   reduceF32(op, x, out, outer, red, inner)                 sum/max/min over the middle block
//   info() / setNumThreads(n) / getNumThreads()
//
// Zero-copy: every operand is a JS typed array read in place; the output is allocated by the
// caller in JS (so the garbage collector owns it) and written here. Nothing is retained across
// calls except a thread-local scratch row for float64 accumulators.
//
// The CBLAS prototypes are declared here rather than taken from <cblas.h>: the header lives in a
// different place on every distribution (and is absent on macOS outside the SDK), while the
// symbols and their ABI (int indices, enums as int) are the same in OpenBLAS, netlib CBLAS, BLIS
// and Accelerate. OpenBLAS-only functions (threads, config, kernel name) are looked up with
// dlsym at run time, so the addon also runs on a generic libblas.
#include <node_api.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <mutex>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#ifndef _WIN32
#include <dlfcn.h>
#endif

// The element-wise loops are memory-light enough that wider vectors pay: GCC on x86-64 Linux
// compiles them twice (AVX2 and baseline SSE2) and picks one at load time (ifunc). The addon
// stays portable across x86-64 machines, unlike -march=native.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define GF_MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define GF_MULTIVERSION
#endif

extern "C" {
void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
                 const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc);
void cblas_dgemm(int order, int transA, int transB, int m, int n, int k, double alpha,
                 const double* a, int lda, const double* b, int ldb, double beta, double* c, int ldc);
}

namespace {

constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;

// ------------------------------------------------------------------ N-API helpers

#define NAPI_OK(call)                                                    \
  do {                                                                   \
    if ((call) != napi_ok) {                                             \
      napi_throw_error(env, nullptr, "gradflow_native: N-API call failed: " #call); \
      return nullptr;                                                    \
    }                                                                    \
  } while (0)

napi_value Throw(napi_env env, const char* message) {
  napi_throw_type_error(env, nullptr, message);
  return nullptr;
}

struct Array {
  napi_typedarray_type type;
  void* data;
  size_t length;
};

// napi_get_typedarray_info fails with napi_invalid_arg on anything that is not a typed array.
bool GetArray(napi_env env, napi_value value, Array* out) {
  napi_value buffer;
  size_t offset;
  return napi_get_typedarray_info(env, value, &out->type, &out->length, &out->data, &buffer,
                                  &offset) == napi_ok;
}

bool GetInt(napi_env env, napi_value value, int64_t* out) {
  return napi_get_value_int64(env, value, out) == napi_ok;
}

bool GetBool(napi_env env, napi_value value, bool* out) {
  return napi_get_value_bool(env, value, out) == napi_ok;
}

// ------------------------------------------------------------------ BLAS identity and threads

using IntFn = int (*)();
using VoidIntFn = void (*)(int);
using StrFn = char* (*)();

void* Symbol(const char* name) {
#ifdef _WIN32
  (void)name;
  return nullptr;
#else
  return dlsym(RTLD_DEFAULT, name);
#endif
}

const char* BlasName() {
  if (Symbol("openblas_get_config")) return "OpenBLAS";
  if (Symbol("bli_info_get_version_str")) return "BLIS";
  if (Symbol("mkl_get_version_string")) return "MKL";
#ifdef __APPLE__
  return "Accelerate";
#else
  return "CBLAS";
#endif
}

/** The shared object that provides cblas_sgemm (which libblas.so alternative is in use). */
const char* BlasLibrary() {
#if defined(_WIN32)
  return "";
#else
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&cblas_sgemm), &info) && info.dli_fname) return info.dli_fname;
  return "";
#endif
}

int BlasThreads() {
  auto get = reinterpret_cast<IntFn>(Symbol("openblas_get_num_threads"));
  return get ? get() : 1;
}

bool SetBlasThreads(int n) {
  auto set = reinterpret_cast<VoidIntFn>(Symbol("openblas_set_num_threads"));
  if (!set) set = reinterpret_cast<VoidIntFn>(Symbol("bli_thread_set_num_threads"));
  if (!set) return false;
  set(n);
  return true;
}

// ------------------------------------------------------------------ the GEMM thread pool
//
// gf.setNumThreads(n) on this backend: n − 1 workers of our own split each large product into n
// blocks of rows or columns of C, and every block is one single-threaded BLAS call (the BLAS's
// own threads are set to 1). Why not the BLAS's threads: OpenBLAS's workers busy-wait for
// ~0.1 s after every call, so between the products of a training step (the JS part of the
// step) they keep the second core busy and compete with V8's own threads; measured on the
// 2-core dev VM the book MLP at batch 256 took 1.1 s/epoch with OpenBLAS's 2 threads against
// 1.0 s with one. Ours spin briefly (GRADFLOW_SPIN_US, default 50 µs) and then sleep on a
// condition variable, and a product is split only into blocks of 40 MFLOP or more (kMinBlockFlops).
//
// Results do not depend on n: a block of rows or columns of C is computed as in the whole
// product (the sum over K runs in the same order), which OpenBLAS's SkylakeX/Cooperlake SGEMM
// kernels keep bit for bit (checked in test/native-backend.test.ts; another BLAS or kernel may
// not: that test says so where it runs); float64 products stay whole (GemmPlain).
// The pool and the BLAS's thread count belong to the process, not to one JS thread.

class GemmPool {
 public:
  // Threads in all, the caller included.
  int Size() const { return size_.load(std::memory_order_relaxed); }

  void Resize(int n) {
    if (n < 1) n = 1;
    std::lock_guard<std::mutex> busy(runMutex_);  // not while a product runs on the workers
    if (n == Size()) return;
    Stop();
    stop_ = false;
    // the state the workers start from is read here: one read in the new thread could already
    // see the first task's and skip it
    const uint64_t start = state_.load(std::memory_order_acquire);
    for (int i = 1; i < n; i++) {
      try {
        workers_.emplace_back([this, i, start] { Loop(i, start); });
      } catch (const std::system_error&) {  // the system's thread limit: fewer threads
        break;
      }
    }
    size_.store(static_cast<int>(workers_.size()) + 1, std::memory_order_relaxed);
  }

  // Runs task(part) for part in [0, parts): the caller runs part 0, worker i part i. The pool
  // is one per process, but the addon may be loaded by several JS threads (worker_threads): a
  // caller that finds the pool busy, or smaller than `parts` after a Resize, runs every part
  // itself. A task must not call Run.
  template <typename F>
  void Run(int parts, const F& task) {
    std::unique_lock<std::mutex> busy(runMutex_, std::try_to_lock);
    if (parts <= 1 || !busy.owns_lock() || parts > Size()) {
      for (int part = 0; part < parts; part++) task(part);
      return;
    }
    task_ = [](const void* f, int part) { (*static_cast<const F*>(f))(part); };
    taskArg_ = &task;
    done_.store(0, std::memory_order_relaxed);
    Publish(static_cast<uint64_t>(parts));
    task(0);
    // the workers finish at about the same time as the caller; yield if one was descheduled
    for (int spins = 0; done_.load(std::memory_order_acquire) < parts - 1;) {
      if (++spins < 4096) Pause(); else std::this_thread::yield();
    }
  }

  // NOTE: no destructor: the one pool is never destroyed (Pool()), so its workers never outlive it.

 private:
  static constexpr int kPartBits = 16;  // setNumThreads allows at most 4096 threads

  static void Pause() {
#if defined(__x86_64__) || defined(_M_X64)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
  }

  // A new generation with its part count in one atomic word: a worker that sees the new
  // generation also sees how many parts it has, so a worker without a part never reads the
  // task fields (which the next Run may be rewriting). The task fields are written before.
  void Publish(uint64_t parts) {
    const uint64_t generation = (state_.load(std::memory_order_relaxed) >> kPartBits) + 1;
    state_.store((generation << kPartBits) | parts, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
      std::lock_guard<std::mutex> lock(mutex_);
      wake_.notify_all();
    }
  }

  void Stop() {
    if (workers_.empty()) return;
    stop_ = true;
    Publish(0);
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  void Loop(int index, uint64_t seen) {
    for (;;) {
      // spin a little: the next product of a training step usually comes within microseconds
      const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(SpinMicros());
      uint64_t state;
      int spins = 0;
      while ((state = state_.load(std::memory_order_acquire)) == seen) {
        Pause();
        if (++spins % 64 == 0 && std::chrono::steady_clock::now() > until) break;
      }
      if (state == seen) {
        std::unique_lock<std::mutex> lock(mutex_);
        sleepers_.fetch_add(1, std::memory_order_seq_cst);
        wake_.wait(lock, [&] { return state_.load(std::memory_order_seq_cst) != seen; });
        sleepers_.fetch_sub(1, std::memory_order_relaxed);
        state = state_.load(std::memory_order_acquire);
      }
      seen = state;
      if (stop_) return;
      const int parts = static_cast<int>(state & ((uint64_t{1} << kPartBits) - 1));
      if (index < parts) {
        task_(taskArg_, index);
        done_.fetch_add(1, std::memory_order_release);
      }
    }
  }

  static int SpinMicros() {
    static const int micros = [] {
      const char* text = std::getenv("GRADFLOW_SPIN_US");
      const long v = text ? std::strtol(text, nullptr, 10) : 50;
      return static_cast<int>(v < 0 ? 0 : v > 100000 ? 100000 : v);
    }();
    return micros;
  }

  std::vector<std::thread> workers_;
  std::atomic<int> size_{1};
  std::mutex runMutex_;  // held by Run while the workers have its task, and by Resize
  std::mutex mutex_;     // the workers' condition variable
  std::condition_variable wake_;
  // (generation << kPartBits) | parts of the last task (parts 0: stop)
  std::atomic<uint64_t> state_{0};
  std::atomic<int> done_{0};
  std::atomic<int> sleepers_{0};
  void (*task_)(const void*, int) = nullptr;
  const void* taskArg_ = nullptr;
  std::atomic<bool> stop_{false};
};

GemmPool& Pool() {
  static GemmPool* pool = new GemmPool();  // never destroyed: workers must not outlive it at exit
  return *pool;
}

int GetThreads() {
  const int own = Pool().Size();
  return own > 1 ? own : BlasThreads();
}

// gf.setNumThreads(n): n threads of our own and a single-threaded BLAS (see GemmPool).
bool SetThreads(int n) {
  SetBlasThreads(1);
  Pool().Resize(n);
  return true;
}

napi_value SetString(napi_env env, napi_value object, const char* key, const char* text) {
  napi_value value;
  NAPI_OK(napi_create_string_utf8(env, text ? text : "", NAPI_AUTO_LENGTH, &value));
  NAPI_OK(napi_set_named_property(env, object, key, value));
  return object;
}

napi_value SetInt(napi_env env, napi_value object, const char* key, int number) {
  napi_value value;
  NAPI_OK(napi_create_int32(env, number, &value));
  NAPI_OK(napi_set_named_property(env, object, key, value));
  return object;
}

napi_value Info(napi_env env, napi_callback_info) {
  napi_value object;
  NAPI_OK(napi_create_object(env, &object));
  if (!SetString(env, object, "blas", BlasName())) return nullptr;
  if (!SetString(env, object, "library", BlasLibrary())) return nullptr;
  auto config = reinterpret_cast<StrFn>(Symbol("openblas_get_config"));
  auto core = reinterpret_cast<StrFn>(Symbol("openblas_get_corename"));
  auto parallel = reinterpret_cast<IntFn>(Symbol("openblas_get_parallel"));
  if (config && !SetString(env, object, "config", config())) return nullptr;
  if (core && !SetString(env, object, "core", core())) return nullptr;
  // 0: sequential build, 1: pthreads, 2: OpenMP
  if (parallel && !SetInt(env, object, "parallel", parallel())) return nullptr;
  if (!SetInt(env, object, "threads", GetThreads())) return nullptr;
  if (!SetInt(env, object, "blasThreads", BlasThreads())) return nullptr;
  if (!SetInt(env, object, "poolThreads", Pool().Size())) return nullptr;
  napi_value settable;
  NAPI_OK(napi_get_boolean(env, true, &settable));
  NAPI_OK(napi_set_named_property(env, object, "threadsSettable", settable));
  return object;
}

napi_value SetNumThreads(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_OK(napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, nullptr));
  int64_t n;
  if (argc < 1 || !GetInt(env, argv[0], &n) || n < 1 || n > 4096) {
    return Throw(env, "setNumThreads: expected an integer in [1, 4096]");
  }
  napi_value result;
  NAPI_OK(napi_get_boolean(env, SetThreads(static_cast<int>(n)), &result));
  return result;
}

napi_value GetNumThreads(napi_env env, napi_callback_info) {
  napi_value result;
  NAPI_OK(napi_create_int32(env, GetThreads(), &result));
  return result;
}

// ------------------------------------------------------------------ GEMM

// One row-major block product c = op(a)·op(b) (beta 0) with explicit leading dimensions.
inline void GemmBlock(bool transA, bool transB, int M, int N, int K, const float* a, int lda, const float* b, int ldb,
                      float* c, int ldc) {
  cblas_sgemm(kRowMajor, transA ? kTrans : kNoTrans, transB ? kTrans : kNoTrans, M, N, K, 1.0f, a, lda, b, ldb,
              0.0f, c, ldc);
}

inline void GemmBlock(bool transA, bool transB, int M, int N, int K, const double* a, int lda, const double* b, int ldb,
                      double* c, int ldc) {
  cblas_dgemm(kRowMajor, transA ? kTrans : kNoTrans, transB ? kTrans : kNoTrans, M, N, K, 1.0, a, lda, b, ldb,
              0.0, c, ldc);
}

// Every block of a split product has at least this many flops (a product of less than twice
// this runs on the calling thread alone; 2 threads split from 80 MFLOP). Measured on the 2-core dev VM
// (book MLP, 2 threads, interleaved A/B): splitting the 15 MFLOP products of a batch-32 step
// made the epoch slower (1.5-1.6 s against 1.2-1.3 s unsplit, the one-thread time): the halves
// take ~75 us, and waking the other core, its cache misses on data the first core just wrote
// and the wait for the slower half eat the gain. The 120 MFLOP products at batch 256 gain.
constexpr double kMinBlockFlops = 4e7;
// Blocks are whole multiples of this many rows or columns (a vector register of floats).
constexpr int kBlockAlign = 16;

// c = op(a)·op(b) of M×K and K×N, row-major and contiguous; split over the pool's threads into
// blocks of rows of c (when M is the larger side) or of columns.
template <typename T>
void GemmPlain(bool transA, bool transB, int M, int N, int K, const T* a, const T* b, T* c) {
  const int lda = transA ? M : K, ldb = transB ? K : N, ldc = N;
  const double flops = 2.0 * M * N * K;
  const bool byRows = M >= N;
  const int side = byRows ? M : N;
  // NOTE: float64 products are not split: OpenBLAS's DGEMM kernel (Cooperlake) does not give the
  // same bits for a block of rows as for the whole product (13 of 60 random shapes differed in
  // the last bit), its SGEMM kernels do (60 of 60, and the shapes in test/native-backend.test.ts)
  int parts = std::is_same<T, double>::value ? 1 : static_cast<int>(std::min<double>(Pool().Size(), flops / kMinBlockFlops));
  parts = std::min(parts, side / kBlockAlign);
  if (parts <= 1) {
    GemmBlock(transA, transB, M, N, K, a, lda, b, ldb, c, ldc);
    return;
  }
  // block boundaries on multiples of kBlockAlign, the units shared out evenly (the last block
  // ends at the side)
  const int64_t units = (side + kBlockAlign - 1) / kBlockAlign;
  Pool().Run(parts, [&](int part) {
    const int from = static_cast<int>(part * units / parts) * kBlockAlign;
    const int to = part == parts - 1 ? side : std::min(side, static_cast<int>((part + 1) * units / parts) * kBlockAlign);
    if (from >= to) return;
    if (byRows) {
      // rows [from, to) of c: rows of op(a) (a column offset in a stored transposed)
      GemmBlock(transA, transB, to - from, N, K, transA ? a + from : a + static_cast<int64_t>(from) * lda, lda, b, ldb,
                c + static_cast<int64_t>(from) * ldc, ldc);
    } else {
      GemmBlock(transA, transB, M, to - from, K, a, lda, transB ? b + static_cast<int64_t>(from) * ldb : b + from, ldb,
                c + from, ldc);
    }
  });
}

// An element-wise loop over [0, n) split like a product over the pool (for the optimizer steps:
// the block a thread updates is mostly the block of the gradient it just computed, still in
// its core's cache). Elements are independent, so the bits do not depend on the split.
// In a hot loop two threads update 262k weights 1.3x faster and 1M weights 2x faster, but
// inside a training step the book MLP's 235k-weight layer gained nothing (its two halves then
// live in two cores' caches for the next products): blocks of at least 512k elements.
constexpr int64_t kMinBlockElements = 1 << 19;

template <typename F>
void ParallelRange(int64_t n, const F& body) {
  int parts = static_cast<int>(std::min<int64_t>(Pool().Size(), n / kMinBlockElements));
  if (parts <= 1) {
    body(int64_t{0}, n);
    return;
  }
  const int64_t units = (n + 63) / 64;  // whole cache lines of float32, shared out evenly
  Pool().Run(parts, [&](int part) {
    const int64_t from = part * units / parts * 64;
    const int64_t to = part == parts - 1 ? n : std::min(n, (part + 1) * units / parts * 64);
    if (from < to) body(from, to);
  });
}

template <typename T>
void Gemm(const T* a, const T* b, T* c, int64_t batchA, int64_t batchB, int M, int N, int K,
          bool transA, bool transB) {
  const int64_t batch = batchA > batchB ? batchA : batchB;
  // A stack of plain A matrices times one B is a single [batch·M, K] · B product.
  if (batchB == 1 && batch > 1 && !transA && batch * M < INT32_MAX) {
    GemmPlain(false, transB, static_cast<int>(batch * M), N, K, a, b, c);
    return;
  }
  for (int64_t t = 0; t < batch; t++) {
    GemmPlain(transA, transB, M, N, K, a + (batchA == 1 ? 0 : t * M * K), b + (batchB == 1 ? 0 : t * K * N), c + t * M * N);
  }
}

// gemm(a, b, c, batchA, batchB, M, N, K, transA, transB): c = op(a)·op(b) per batch.
// The JS side guarantees M, N, K ≥ 1; the lengths are checked here anyway, because a wrong
// length would be an out-of-bounds write rather than an exception.
napi_value GemmEntry(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 10;
  napi_value argv[10];
  NAPI_OK(napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, nullptr));
  if (argc != 10) return Throw(env, "gemm: expected 10 arguments");
  Array a, b, c;
  int64_t batchA, batchB, M, N, K;
  bool transA, transB;
  if (!GetArray(env, argv[0], &a) || !GetArray(env, argv[1], &b) || !GetArray(env, argv[2], &c) ||
      !GetInt(env, argv[3], &batchA) || !GetInt(env, argv[4], &batchB) ||
      !GetInt(env, argv[5], &M) || !GetInt(env, argv[6], &N) || !GetInt(env, argv[7], &K) ||
      !GetBool(env, argv[8], &transA) || !GetBool(env, argv[9], &transB)) {
    return Throw(env, "gemm: bad argument types");
  }
  if (batchA < 1 || batchB < 1 || M < 1 || N < 1 || K < 1 || M > INT32_MAX || N > INT32_MAX ||
      K > INT32_MAX || (batchA != batchB && batchA != 1 && batchB != 1)) {
    return Throw(env, "gemm: bad sizes");
  }
  const int64_t batch = batchA > batchB ? batchA : batchB;
  if (static_cast<int64_t>(a.length) < batchA * M * K ||
      static_cast<int64_t>(b.length) < batchB * K * N ||
      static_cast<int64_t>(c.length) < batch * M * N) {
    return Throw(env, "gemm: an operand is shorter than its shape");
  }
  if (a.type == napi_float32_array && b.type == napi_float32_array && c.type == napi_float32_array) {
    Gemm<float>(static_cast<const float*>(a.data), static_cast<const float*>(b.data),
                static_cast<float*>(c.data), batchA, batchB, static_cast<int>(M),
                static_cast<int>(N), static_cast<int>(K), transA, transB);
  } else if (a.type == napi_float64_array && b.type == napi_float64_array &&
             c.type == napi_float64_array) {
    Gemm<double>(static_cast<const double*>(a.data), static_cast<const double*>(b.data),
                 static_cast<double*>(c.data), batchA, batchB, static_cast<int>(M),
                 static_cast<int>(N), static_cast<int>(K), transA, transB);
  } else {
    return Throw(env, "gemm: operands must all be Float32Array or all Float64Array");
  }
  return nullptr;
}

// ------------------------------------------------------------------ element-wise (float32)
//
// Same op codes and semantics as the wasm kernels (src/backend/wasm/assembly/elementwise.ts),
// which match the js reference bit for bit: + − × ÷ and sqrt are correctly rounded in float32
// and in JS doubles rounded to float32 alike; maximum/minimum keep js's NaN and ±0 choices.
// Built with -ffp-contract=off so that no FMA changes a rounding.

enum BinaryCode {
  kAdd, kSub, kMul, kDiv, kMaximum, kMinimum, kGreater, kGreaterEqual, kLess, kLessEqual, kEqual,
  kNotEqual, kReluGrad
};
enum UnaryCode { kNeg, kAbs, kSqrt, kReciprocal, kSign, kRelu };
enum Mode { kFull = 0, kRow = 1, kScalar = 2 };

template <int Op>
inline float Apply(float x, float y) {
  switch (Op) {
    case kAdd: return x + y;
    case kSub: return x - y;
    case kMul: return x * y;
    case kDiv: return x / y;
    case kMaximum: return (x >= y || x != x) ? x : y;
    case kMinimum: return (x <= y || x != x) ? x : y;
    case kGreater: return x > y ? 1.0f : 0.0f;
    case kGreaterEqual: return x >= y ? 1.0f : 0.0f;
    case kLess: return x < y ? 1.0f : 0.0f;
    case kLessEqual: return x <= y ? 1.0f : 0.0f;
    case kEqual: return x == y ? 1.0f : 0.0f;
    case kNotEqual: return x != y ? 1.0f : 0.0f;
    default: return y > 0.0f ? x : 0.0f;  // reluGrad(dy, y); a NaN y gives 0, as js
  }
}

// out[r, j] = a[r, j] op b[r, j]; a row-mode operand repeats its one row, a scalar its value.
template <int Op>
GF_MULTIVERSION void BinaryLoops(const float* __restrict a, int aMode, const float* __restrict b, int bMode,
                 float* __restrict out, int64_t rows, int64_t cols) {
  if (aMode == kFull && bMode == kFull) {
    const int64_t n = rows * cols;
    for (int64_t i = 0; i < n; i++) out[i] = Apply<Op>(a[i], b[i]);
    return;
  }
  for (int64_t r = 0; r < rows; r++) {
    float* __restrict o = out + r * cols;
    if (bMode == kScalar) {
      const float* __restrict x = aMode == kFull ? a + r * cols : a;
      const float s = b[0];
      for (int64_t j = 0; j < cols; j++) o[j] = Apply<Op>(x[j], s);
    } else if (aMode == kScalar) {
      const float* __restrict y = bMode == kFull ? b + r * cols : b;
      const float s = a[0];
      for (int64_t j = 0; j < cols; j++) o[j] = Apply<Op>(s, y[j]);
    } else {
      const float* __restrict x = aMode == kFull ? a + r * cols : a;
      const float* __restrict y = bMode == kFull ? b + r * cols : b;
      for (int64_t j = 0; j < cols; j++) o[j] = Apply<Op>(x[j], y[j]);
    }
  }
}

using BinaryFn = void (*)(const float*, int, const float*, int, float*, int64_t, int64_t);
const BinaryFn kBinary[] = {
  BinaryLoops<kAdd>, BinaryLoops<kSub>, BinaryLoops<kMul>, BinaryLoops<kDiv>,
  BinaryLoops<kMaximum>, BinaryLoops<kMinimum>, BinaryLoops<kGreater>,
  BinaryLoops<kGreaterEqual>, BinaryLoops<kLess>, BinaryLoops<kLessEqual>, BinaryLoops<kEqual>,
  BinaryLoops<kNotEqual>, BinaryLoops<kReluGrad>,
};

int64_t Needed(int mode, int64_t rows, int64_t cols) {
  return mode == kFull ? rows * cols : mode == kRow ? cols : 1;
}

napi_value BinaryEntry(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 8;
  napi_value argv[8];
  NAPI_OK(napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, nullptr));
  Array a, b, out;
  int64_t op, aMode, bMode, rows, cols;
  if (argc != 8 || !GetInt(env, argv[0], &op) || !GetArray(env, argv[1], &a) ||
      !GetInt(env, argv[2], &aMode) || !GetArray(env, argv[3], &b) ||
      !GetInt(env, argv[4], &bMode) || !GetArray(env, argv[5], &out) ||
      !GetInt(env, argv[6], &rows) || !GetInt(env, argv[7], &cols)) {
    return Throw(env, "binaryF32: bad arguments");
  }
  if (op < 0 || op > kReluGrad || aMode < 0 || aMode > 2 || bMode < 0 || bMode > 2 || rows < 0 ||
      cols < 0 || a.type != napi_float32_array || b.type != napi_float32_array ||
      out.type != napi_float32_array ||
      static_cast<int64_t>(a.length) < Needed(static_cast<int>(aMode), rows, cols) ||
      static_cast<int64_t>(b.length) < Needed(static_cast<int>(bMode), rows, cols) ||
      static_cast<int64_t>(out.length) < rows * cols) {
    return Throw(env, "binaryF32: bad op, layout or lengths");
  }
  kBinary[op](static_cast<const float*>(a.data), static_cast<int>(aMode),
              static_cast<const float*>(b.data), static_cast<int>(bMode),
              static_cast<float*>(out.data), rows, cols);
  return nullptr;
}

template <int Op>
GF_MULTIVERSION void UnaryLoop(const float* __restrict x, float* __restrict out, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    const float v = x[i];
    switch (Op) {
      case kNeg: out[i] = -v; break;
      case kAbs: out[i] = std::fabs(v); break;
      case kSqrt: out[i] = std::sqrt(v); break;
      case kReciprocal: out[i] = 1.0f / v; break;
      case kSign: out[i] = v > 0.0f ? 1.0f : v < 0.0f ? -1.0f : v; break;  // sign(±0) = ±0, NaN stays
      default: out[i] = (v > 0.0f || v != v) ? v : 0.0f; break;  // relu(NaN) = NaN, as js
    }
  }
}

using UnaryFn = void (*)(const float*, float*, int64_t);
const UnaryFn kUnary[] = {
  UnaryLoop<kNeg>, UnaryLoop<kAbs>, UnaryLoop<kSqrt>, UnaryLoop<kReciprocal>, UnaryLoop<kSign>,
  UnaryLoop<kRelu>,
};

napi_value UnaryEntry(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 3;
  napi_value argv[3];
  NAPI_OK(napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, nullptr));
  Array x, out;
  int64_t op;
  if (argc != 3 || !GetInt(env, argv[0], &op) || !GetArray(env, argv[1], &x) ||
      !GetArray(env, argv[2], &out) || op < 0 || op > kRelu || x.type != napi_float32_array ||
      out.type != napi_float32_array || out.length < x.length) {
    return Throw(env, "unaryF32: bad arguments");
  }
  kUnary[op](static_cast<const float*>(x.data), static_cast<float*>(out.data),
             static_cast<int64_t>(x.length));
  return nullptr;
}

// ------------------------------------------------------------------ reductions (float32)
//
// x viewed as [outer, red, inner], reduced over red. Sums accumulate in float64 like the js
// reference (whose accumulators are JS numbers); max/min propagate NaN like the js kernel.

thread_local std::vector<double> scratch;

GF_MULTIVERSION void SumLastAxis(const float* x, float* out, int64_t outer, int64_t red) {
  for (int64_t o = 0; o < outer; o++) {
    const float* row = x + o * red;
    // eight partial sums let the loop vectorize; still float64, so the result rounds once
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t j = 0;
    for (; j + 8 <= red; j += 8) {
      for (int u = 0; u < 8; u++) s[u] += row[j + u];
    }
    for (; j < red; j++) s[0] += row[j];
    out[o] = static_cast<float>(((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7])));
  }
}

// Column sums of [rows, cols] in float64, rows added in order (four per pass over the
// accumulator): the bits of the reduce kernel's sum over axis 0 and of the js reference.
template <typename T>
GF_MULTIVERSION void ColumnSums(const T* x, T* out, int64_t rows, int64_t cols, double* __restrict acc) {
  for (int64_t i = 0; i < cols; i++) acc[i] = 0;
  int64_t r = 0;
  for (; r + 4 <= rows; r += 4) {
    const T* __restrict r0 = x + r * cols;
    const T* __restrict r1 = r0 + cols;
    const T* __restrict r2 = r1 + cols;
    const T* __restrict r3 = r2 + cols;
    for (int64_t i = 0; i < cols; i++) {
      acc[i] = (((acc[i] + static_cast<double>(r0[i])) + static_cast<double>(r1[i])) +
                static_cast<double>(r2[i])) + static_cast<double>(r3[i]);
    }
  }
  for (; r < rows; r++) {
    const T* __restrict row = x + r * cols;
    for (int64_t i = 0; i < cols; i++) acc[i] += static_cast<double>(row[i]);
  }
  for (int64_t i = 0; i < cols; i++) out[i] = static_cast<T>(acc[i]);
}

// A sum over the middle axis of [outer, red, inner]: the column sums of each outer block.
GF_MULTIVERSION void SumMiddle(const float* x, float* out, int64_t outer, int64_t red, int64_t inner) {
  if (static_cast<int64_t>(scratch.size()) < inner) scratch.resize(inner);
  for (int64_t o = 0; o < outer; o++) ColumnSums(x + o * red * inner, out + o * inner, red, inner, scratch.data());
}

// Take v when it beats the running value or is NaN (then NaN sticks), as the js kernel.
template <bool IsMax>
inline float Better(float v, float d) {
  return ((IsMax ? v > d : v < d) || v != v) ? v : d;
}

template <bool IsMax>
GF_MULTIVERSION void ExtremeLastAxis(const float* x, float* out, int64_t outer, int64_t red) {
  for (int64_t o = 0; o < outer; o++) {
    const float* row = x + o * red;
    // eight running extremes (a vectorizable select each) and a NaN flag
    float m[8], nanSeen[8];
    for (int u = 0; u < 8; u++) {
      m[u] = IsMax ? -INFINITY : INFINITY;
      nanSeen[u] = 0.0f;
    }
    int64_t j = 0;
    for (; j + 8 <= red; j += 8) {
      for (int u = 0; u < 8; u++) {
        const float v = row[j + u];
        nanSeen[u] = v != v ? 1.0f : nanSeen[u];
        m[u] = (IsMax ? v > m[u] : v < m[u]) ? v : m[u];
      }
    }
    bool nan = false;
    for (int u = 0; u < 8; u++) nan |= nanSeen[u] != 0.0f;
    float best = m[0];
    for (int u = 1; u < 8; u++) best = Better<IsMax>(m[u], best);
    for (; j < red; j++) best = Better<IsMax>(row[j], best);
    if (best == 0.0f && !nan) {
      // NOTE: +0 and -0 tie, and js keeps the first one seen; the lanes saw them out of order,
      // so a zero result is recomputed in order (rare: only rows whose extreme is a zero).
      best = IsMax ? -INFINITY : INFINITY;
      for (j = 0; j < red; j++) best = Better<IsMax>(row[j], best);
    }
    out[o] = nan ? NAN : best;
  }
}

template <bool IsMax>
GF_MULTIVERSION void ExtremeMiddle(const float* x, float* out, int64_t outer, int64_t red, int64_t inner) {
  for (int64_t o = 0; o < outer; o++) {
    float* __restrict dst = out + o * inner;
    const float* block = x + o * red * inner;
    for (int64_t i = 0; i < inner; i++) dst[i] = IsMax ? -INFINITY : INFINITY;
    for (int64_t r = 0; r < red; r++) {
      const float* __restrict row = block + r * inner;
      for (int64_t i = 0; i < inner; i++) dst[i] = Better<IsMax>(row[i], dst[i]);
    }
  }
}

template <bool IsMax>
void Extreme(const float* x, float* out, int64_t outer, int64_t red, int64_t inner) {
  if (inner == 1) ExtremeLastAxis<IsMax>(x, out, outer, red);
  else ExtremeMiddle<IsMax>(x, out, outer, red, inner);
}

napi_value ReduceEntry(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 6;
  napi_value argv[6];
  NAPI_OK(napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, nullptr));
  Array x, out;
  int64_t op, outer, red, inner;
  if (argc != 6 || !GetInt(env, argv[0], &op) || !GetArray(env, argv[1], &x) ||
      !GetArray(env, argv[2], &out) || !GetInt(env, argv[3], &outer) ||
      !GetInt(env, argv[4], &red) || !GetInt(env, argv[5], &inner) || op < 0 || op > 2 ||
      outer < 0 || red < 1 || inner < 0 || x.type != napi_float32_array ||
      out.type != napi_float32_array || static_cast<int64_t>(x.length) < outer * red * inner ||
      static_cast<int64_t>(out.length) < outer * inner) {
    return Throw(env, "reduceF32: bad arguments");
  }
  const float* src = static_cast<const float*>(x.data);
  float* dst = static_cast<float*>(out.data);
  if (op == 0) {
    if (inner == 1) SumLastAxis(src, dst, outer, red);
    else SumMiddle(src, dst, outer, red, inner);
  } else if (op == 1) {
    Extreme<true>(src, dst, outer, red, inner);
  } else {
    Extreme<false>(src, dst, outer, red, inner);
  }
  return nullptr;
}

// ------------------------------------------------------------------ fused Dense (float32, float64)
//
// denseForward(x, w, b | null, out, M, K, N, relu)   out = act(x·w + b)
// denseBackward(x, w, y, dy, dx | null, dw | null, db | null, M, K, N, relu)
//
// One call per layer and direction instead of three kernels each way. Each step is the
// operation the unfused kernels perform, in the same order, so the results are the same bits:
// GEMM (beta = 0), then bias add and relu in one pass over the output while it is in cache;
// backward reluGrad into a scratch block, column sums (the bias gradient) in float64, and the
// two GEMMs.

// out[r, j] = act(out[r, j] + b[j]); relu keeps NaN, as the unary kernel.
template <typename T>
GF_MULTIVERSION void BiasActivation(T* __restrict out, const T* __restrict b, int64_t rows, int64_t cols, bool relu) {
  for (int64_t r = 0; r < rows; r++) {
    T* __restrict o = out + r * cols;
    if (b != nullptr && relu) {
      for (int64_t j = 0; j < cols; j++) {
        const T v = o[j] + b[j];
        o[j] = (v > T(0) || v != v) ? v : T(0);
      }
    } else if (b != nullptr) {
      for (int64_t j = 0; j < cols; j++) o[j] = o[j] + b[j];
    } else if (relu) {
      for (int64_t j = 0; j < cols; j++) {
        const T v = o[j];
        o[j] = (v > T(0) || v != v) ? v : T(0);
      }
    }
  }
}

template <typename T>
GF_MULTIVERSION void ReluGradInto(const T* __restrict dy, const T* __restrict y, T* __restrict g, int64_t n) {
  for (int64_t i = 0; i < n; i++) g[i] = y[i] > T(0) ? dy[i] : T(0);  // a NaN y gives 0, as js
}

double* Accumulator(size_t n);

// The bias gradient, summed exactly as the reduce kernel sums a [rows, 1] or [rows, cols] block
// over its rows (its single-column path has eight partial sums; tiny blocks go to js, which
// adds in order like ColumnSums).
template <typename T>
void BiasGradient(const T* g, T* db, int64_t rows, int64_t cols) {
  ColumnSums(g, db, rows, cols, Accumulator(cols));
}

template <>
void BiasGradient<float>(const float* g, float* db, int64_t rows, int64_t cols) {
  if (cols == 1 && rows >= 64) SumLastAxis(g, db, 1, rows);
  else ColumnSums(g, db, rows, cols, Accumulator(cols));
}

thread_local std::vector<float> scratchF32;
thread_local std::vector<double> scratchF64;
template <typename T> T* Scratch(size_t n);
template <> float* Scratch<float>(size_t n) {
  if (scratchF32.size() < n) scratchF32.resize(n);
  return scratchF32.data();
}
template <> double* Scratch<double>(size_t n) {
  if (scratchF64.size() < n) scratchF64.resize(n);
  return scratchF64.data();
}

double* Accumulator(size_t n) {
  if (scratch.size() < n) scratch.resize(n);
  return scratch.data();
}

template <typename T>
void DenseBackward(const T* x, const T* w, const T* y, const T* dy, T* dx, T* dw, T* db, int M, int K,
                   int N, bool relu) {
  const T* g = dy;
  if (relu) {
    T* tmp = Scratch<T>(static_cast<size_t>(M) * N);
    ReluGradInto(dy, y, tmp, static_cast<int64_t>(M) * N);
    g = tmp;
  }
  if (db != nullptr) BiasGradient(g, db, M, N);
  if (dw != nullptr) GemmPlain(true, false, K, N, M, x, g, dw);    // xᵀ·g: [K, N]
  if (dx != nullptr) GemmPlain(false, true, M, K, N, g, w, dx);    // g·wᵀ: [M, K]
}

// An optional typed array argument: null/undefined gives present = false.
bool GetOptionalArray(napi_env env, napi_value value, Array* out, bool* present) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok) return false;
  if (type == napi_null || type == napi_undefined) {
    *present = false;
    out->data = nullptr;
    out->length = 0;
    return true;
  }
  *present = true;
  return GetArray(env, value, out);
}

bool SameFloatType(napi_typedarray_type type, std::initializer_list<const Array*> arrays) {
  if (type != napi_float32_array && type != napi_float64_array) return false;
  for (const Array* a : arrays) {
    if (a->data != nullptr && a->type != type) return false;
  }
  return true;
}

napi_value DenseForwardEntry(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 8;
  napi_value argv[8];
  NAPI_OK(napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, nullptr));
  Array x, w, b, out;
  bool hasB = false, relu = false;
  int64_t M, K, N;
  if (argc != 8 || !GetArray(env, argv[0], &x) || !GetArray(env, argv[1], &w) ||
      !GetOptionalArray(env, argv[2], &b, &hasB) || !GetArray(env, argv[3], &out) ||
      !GetInt(env, argv[4], &M) || !GetInt(env, argv[5], &K) || !GetInt(env, argv[6], &N) ||
      !GetBool(env, argv[7], &relu)) {
    return Throw(env, "denseForward: bad arguments");
  }
  if (M < 1 || K < 1 || N < 1 || M > INT32_MAX || K > INT32_MAX || N > INT32_MAX ||
      !SameFloatType(x.type, {&w, &b, &out}) || static_cast<int64_t>(x.length) < M * K ||
      static_cast<int64_t>(w.length) < K * N || (hasB && static_cast<int64_t>(b.length) < N) ||
      static_cast<int64_t>(out.length) < M * N) {
    return Throw(env, "denseForward: bad sizes or types");
  }
  if (x.type == napi_float32_array) {
    GemmPlain(false, false, M, N, K, static_cast<const float*>(x.data), static_cast<const float*>(w.data),
                     static_cast<float*>(out.data));
    BiasActivation(static_cast<float*>(out.data), hasB ? static_cast<const float*>(b.data) : nullptr, M, N, relu);
  } else {
    GemmPlain(false, false, M, N, K, static_cast<const double*>(x.data), static_cast<const double*>(w.data),
                      static_cast<double*>(out.data));
    BiasActivation(static_cast<double*>(out.data), hasB ? static_cast<const double*>(b.data) : nullptr, M, N, relu);
  }
  return nullptr;
}

napi_value DenseBackwardEntry(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 11;
  napi_value argv[11];
  NAPI_OK(napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, nullptr));
  Array x, w, y, dy, dx, dw, db;
  bool hasY = false, hasDx = false, hasDw = false, hasDb = false, relu = false;
  int64_t M, K, N;
  if (argc != 11 || !GetArray(env, argv[0], &x) || !GetArray(env, argv[1], &w) ||
      !GetOptionalArray(env, argv[2], &y, &hasY) || !GetArray(env, argv[3], &dy) ||
      !GetOptionalArray(env, argv[4], &dx, &hasDx) || !GetOptionalArray(env, argv[5], &dw, &hasDw) ||
      !GetOptionalArray(env, argv[6], &db, &hasDb) || !GetInt(env, argv[7], &M) ||
      !GetInt(env, argv[8], &K) || !GetInt(env, argv[9], &N) || !GetBool(env, argv[10], &relu)) {
    return Throw(env, "denseBackward: bad arguments");
  }
  if (M < 1 || K < 1 || N < 1 || M > INT32_MAX || K > INT32_MAX || N > INT32_MAX || (relu && !hasY) ||
      !SameFloatType(x.type, {&w, &y, &dy, &dx, &dw, &db}) || static_cast<int64_t>(x.length) < M * K ||
      static_cast<int64_t>(w.length) < K * N || (hasY && static_cast<int64_t>(y.length) < M * N) ||
      static_cast<int64_t>(dy.length) < M * N || (hasDx && static_cast<int64_t>(dx.length) < M * K) ||
      (hasDw && static_cast<int64_t>(dw.length) < K * N) || (hasDb && static_cast<int64_t>(db.length) < N)) {
    return Throw(env, "denseBackward: bad sizes or types");
  }
  if (x.type == napi_float32_array) {
    DenseBackward<float>(static_cast<const float*>(x.data), static_cast<const float*>(w.data),
                         static_cast<const float*>(y.data), static_cast<const float*>(dy.data),
                         static_cast<float*>(dx.data), static_cast<float*>(dw.data), static_cast<float*>(db.data),
                         M, K, N, relu);
  } else {
    DenseBackward<double>(static_cast<const double*>(x.data), static_cast<const double*>(w.data),
                          static_cast<const double*>(y.data), static_cast<const double*>(dy.data),
                          static_cast<double*>(dx.data), static_cast<double*>(dw.data), static_cast<double*>(db.data),
                          M, K, N, relu);
  }
  return nullptr;
}

// ------------------------------------------------------------------ fused batch norm (float32, float64)
//
// batchNormForward(x, gamma | null, beta | null, y, mean, variance, rows, cols, eps)
// batchNormBackward(x, gamma | null, mean, variance, dy, dx | null, dgamma | null, dbeta | null,
//                   rows, cols, eps)
//
// Training-mode batch normalization over the rows of x [rows, cols], statistics in float64
// (mean and variance are Float64Arrays). The operations and their order are those of the js
// reference (src/backend/js/batch-norm.ts), so both give the same bits: per column, a shifted
// one-pass sum and sum of squares, then y = (x − mean)·(γ/√(var + ε)) + β; backward, Σ dy and
// Σ dy·x̂ in one pass, then dx = γ/√(var + ε)·((dy − mean(dy)) − x̂·mean(dy·x̂)).

thread_local std::vector<double> bnScratch;

double* BnScratch(size_t n) {
  if (bnScratch.size() < n) bnScratch.resize(n);
  return bnScratch.data();
}

template <typename T>
GF_MULTIVERSION void BatchNormForward(const T* __restrict x, const T* gamma, const T* beta, T* __restrict y,
                                      double* __restrict mean, double* __restrict variance, int64_t rows,
                                      int64_t cols, double eps) {
  double* __restrict s1 = BnScratch(2 * cols);
  double* __restrict s2 = s1 + cols;
  for (int64_t c = 0; c < cols; c++) s1[c] = s2[c] = 0;
  for (int64_t r = 1; r < rows; r++) {
    const T* __restrict row = x + r * cols;
    for (int64_t c = 0; c < cols; c++) {
      const double d = static_cast<double>(row[c]) - static_cast<double>(x[c]);
      s1[c] += d;
      s2[c] += d * d;
    }
  }
  for (int64_t c = 0; c < cols; c++) {
    mean[c] = static_cast<double>(x[c]) + s1[c] / static_cast<double>(rows);
    const double v = (s2[c] - (s1[c] * s1[c]) / static_cast<double>(rows)) / static_cast<double>(rows);
    variance[c] = v < 0 ? 0 : v;
    s1[c] = (gamma != nullptr ? static_cast<double>(gamma[c]) : 1.0) / std::sqrt(variance[c] + eps);
  }
  for (int64_t r = 0; r < rows; r++) {
    const T* __restrict in = x + r * cols;
    T* __restrict out = y + r * cols;
    if (beta != nullptr) {
      for (int64_t c = 0; c < cols; c++) out[c] = static_cast<T>((static_cast<double>(in[c]) - mean[c]) * s1[c] + static_cast<double>(beta[c]));
    } else {
      for (int64_t c = 0; c < cols; c++) out[c] = static_cast<T>((static_cast<double>(in[c]) - mean[c]) * s1[c]);
    }
  }
}

template <typename T>
GF_MULTIVERSION void BatchNormBackward(const T* __restrict x, const T* gamma, const double* __restrict mean,
                                       const double* __restrict variance, const T* __restrict dy, T* dx, T* dgamma,
                                       T* dbeta, int64_t rows, int64_t cols, double eps) {
  double* __restrict invStd = BnScratch(3 * cols);
  double* __restrict sumDy = invStd + cols;
  double* __restrict sumDyXhat = sumDy + cols;
  for (int64_t c = 0; c < cols; c++) {
    invStd[c] = 1 / std::sqrt(variance[c] + eps);
    sumDy[c] = sumDyXhat[c] = 0;
  }
  for (int64_t r = 0; r < rows; r++) {
    const T* __restrict in = x + r * cols;
    const T* __restrict g = dy + r * cols;
    for (int64_t c = 0; c < cols; c++) {
      const double d = static_cast<double>(g[c]);
      sumDy[c] += d;
      sumDyXhat[c] += d * ((static_cast<double>(in[c]) - mean[c]) * invStd[c]);
    }
  }
  if (dx != nullptr) {
    const double n = static_cast<double>(rows);
    for (int64_t r = 0; r < rows; r++) {
      const T* __restrict in = x + r * cols;
      const T* __restrict g = dy + r * cols;
      T* __restrict out = dx + r * cols;
      for (int64_t c = 0; c < cols; c++) {
        const double scale = (gamma != nullptr ? static_cast<double>(gamma[c]) : 1.0) * invStd[c];
        const double xhat = (static_cast<double>(in[c]) - mean[c]) * invStd[c];
        out[c] = static_cast<T>(scale * ((static_cast<double>(g[c]) - sumDy[c] / n) - xhat * (sumDyXhat[c] / n)));
      }
    }
  }
  for (int64_t c = 0; c < cols; c++) {
    if (dgamma != nullptr) dgamma[c] = static_cast<T>(sumDyXhat[c]);
    if (dbeta != nullptr) dbeta[c] = static_cast<T>(sumDy[c]);
  }
}

napi_value BatchNormForwardEntry(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 9;
  napi_value argv[9];
  NAPI_OK(napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, nullptr));
  Array x, gamma, beta, y, mean, variance;
  bool hasGamma = false, hasBeta = false;
  int64_t rows, cols;
  double eps;
  if (argc != 9 || !GetArray(env, argv[0], &x) || !GetOptionalArray(env, argv[1], &gamma, &hasGamma) ||
      !GetOptionalArray(env, argv[2], &beta, &hasBeta) || !GetArray(env, argv[3], &y) ||
      !GetArray(env, argv[4], &mean) || !GetArray(env, argv[5], &variance) || !GetInt(env, argv[6], &rows) ||
      !GetInt(env, argv[7], &cols) || napi_get_value_double(env, argv[8], &eps) != napi_ok) {
    return Throw(env, "batchNormForward: bad arguments");
  }
  if (rows < 1 || cols < 1 || !SameFloatType(x.type, {&gamma, &beta, &y}) || mean.type != napi_float64_array ||
      variance.type != napi_float64_array || static_cast<int64_t>(x.length) < rows * cols ||
      static_cast<int64_t>(y.length) < rows * cols || (hasGamma && static_cast<int64_t>(gamma.length) < cols) ||
      (hasBeta && static_cast<int64_t>(beta.length) < cols) || static_cast<int64_t>(mean.length) < cols ||
      static_cast<int64_t>(variance.length) < cols) {
    return Throw(env, "batchNormForward: bad sizes or types");
  }
  double* m = static_cast<double*>(mean.data);
  double* v = static_cast<double*>(variance.data);
  if (x.type == napi_float32_array) {
    BatchNormForward<float>(static_cast<const float*>(x.data), static_cast<const float*>(gamma.data),
                            static_cast<const float*>(beta.data), static_cast<float*>(y.data), m, v, rows, cols, eps);
  } else {
    BatchNormForward<double>(static_cast<const double*>(x.data), static_cast<const double*>(gamma.data),
                             static_cast<const double*>(beta.data), static_cast<double*>(y.data), m, v, rows, cols, eps);
  }
  return nullptr;
}

napi_value BatchNormBackwardEntry(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 11;
  napi_value argv[11];
  NAPI_OK(napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, nullptr));
  Array x, gamma, mean, variance, dy, dx, dgamma, dbeta;
  bool hasGamma = false, hasDx = false, hasDgamma = false, hasDbeta = false;
  int64_t rows, cols;
  double eps;
  if (argc != 11 || !GetArray(env, argv[0], &x) || !GetOptionalArray(env, argv[1], &gamma, &hasGamma) ||
      !GetArray(env, argv[2], &mean) || !GetArray(env, argv[3], &variance) || !GetArray(env, argv[4], &dy) ||
      !GetOptionalArray(env, argv[5], &dx, &hasDx) || !GetOptionalArray(env, argv[6], &dgamma, &hasDgamma) ||
      !GetOptionalArray(env, argv[7], &dbeta, &hasDbeta) || !GetInt(env, argv[8], &rows) ||
      !GetInt(env, argv[9], &cols) || napi_get_value_double(env, argv[10], &eps) != napi_ok) {
    return Throw(env, "batchNormBackward: bad arguments");
  }
  if (rows < 1 || cols < 1 || !SameFloatType(x.type, {&gamma, &dy, &dx, &dgamma, &dbeta}) ||
      mean.type != napi_float64_array || variance.type != napi_float64_array ||
      static_cast<int64_t>(x.length) < rows * cols || static_cast<int64_t>(dy.length) < rows * cols ||
      (hasDx && static_cast<int64_t>(dx.length) < rows * cols) || (hasGamma && static_cast<int64_t>(gamma.length) < cols) ||
      (hasDgamma && static_cast<int64_t>(dgamma.length) < cols) || (hasDbeta && static_cast<int64_t>(dbeta.length) < cols) ||
      static_cast<int64_t>(mean.length) < cols || static_cast<int64_t>(variance.length) < cols) {
    return Throw(env, "batchNormBackward: bad sizes or types");
  }
  const double* m = static_cast<const double*>(mean.data);
  const double* v = static_cast<const double*>(variance.data);
  if (x.type == napi_float32_array) {
    BatchNormBackward<float>(static_cast<const float*>(x.data), static_cast<const float*>(gamma.data), m, v,
                             static_cast<const float*>(dy.data), static_cast<float*>(dx.data),
                             static_cast<float*>(dgamma.data), static_cast<float*>(dbeta.data), rows, cols, eps);
  } else {
    BatchNormBackward<double>(static_cast<const double*>(x.data), static_cast<const double*>(gamma.data), m, v,
                              static_cast<const double*>(dy.data), static_cast<double*>(dx.data),
                              static_cast<double*>(dgamma.data), static_cast<double*>(dbeta.data), rows, cols, eps);
  }
  return nullptr;
}

// ------------------------------------------------------------------ module

// ------------------------------------------------------------------ optimizer updates, in place

// One SGD step (Keras' formulas) in the weights' own precision, one rounding per operation as
// Keras / TensorFlow compute it (lr and μ cast to T first; the build's -ffp-contract=off keeps
// mul and add apart), exactly as the js kernel: both backends give the same bits. Float32 arithmetic is also what makes the loop fast (8 or 16 lanes, no conversions).
template <typename T>
GF_MULTIVERSION void SgdLoop(T* __restrict w, const T* __restrict g, T* __restrict v, int64_t n,
                             double lrD, double muD, bool nesterov) {
  const T lr = static_cast<T>(lrD), mu = static_cast<T>(muD);
  if (v == nullptr) {
    for (int64_t i = 0; i < n; i++) w[i] = w[i] - lr * g[i];
  } else if (nesterov) {
    for (int64_t i = 0; i < n; i++) {
      const T step = lr * g[i];
      const T vi = mu * v[i] - step;
      v[i] = vi;
      w[i] = w[i] + (mu * vi - step);
    }
  } else {
    for (int64_t i = 0; i < n; i++) {
      const T vi = mu * v[i] - lr * g[i];
      v[i] = vi;
      w[i] = w[i] + vi;
    }
  }
}

// The SGD loop over the pool's blocks of the arrays (ParallelRange); v.data null: no momentum.
template <typename T>
void SgdBlocks(const Array& w, const Array& g, const Array& v, double lr, double mu, bool nesterov) {
  T* pw = static_cast<T*>(w.data);
  T* pv = static_cast<T*>(v.data);
  const T* pg = static_cast<const T*>(g.data);
  ParallelRange(static_cast<int64_t>(w.length), [&](int64_t from, int64_t to) {
    SgdLoop(pw + from, pg + from, pv ? pv + from : nullptr, to - from, lr, mu, nesterov);
  });
}

// sgdUpdate(w, g, v | null, lr, momentum, nesterov)
napi_value SgdEntry(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 6;
  napi_value argv[6];
  NAPI_OK(napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, nullptr));
  Array w, g, v{};
  double lr, mu;
  bool nesterov;
  napi_valuetype vType;
  if (argc != 6 || !GetArray(env, argv[0], &w) || !GetArray(env, argv[1], &g) ||
      napi_typeof(env, argv[2], &vType) != napi_ok ||
      (vType != napi_null && !GetArray(env, argv[2], &v)) ||
      napi_get_value_double(env, argv[3], &lr) != napi_ok ||
      napi_get_value_double(env, argv[4], &mu) != napi_ok || !GetBool(env, argv[5], &nesterov)) {
    return Throw(env, "sgdUpdate: bad arguments");
  }
  const bool hasV = vType != napi_null;
  if (w.type != g.type || (hasV && v.type != w.type) || w.length != g.length || (hasV && v.length != w.length) ||
      (w.type != napi_float32_array && w.type != napi_float64_array)) {
    return Throw(env, "sgdUpdate: w, g and v must be float arrays of one dtype and length");
  }
  if (w.type == napi_float32_array) SgdBlocks<float>(w, g, v, lr, mu, nesterov);
  else SgdBlocks<double>(w, g, v, lr, mu, nesterov);
  return nullptr;
}

// One Adam step (Keras' formulas; AMSGrad when vhat is given). The js kernel's operations in
// the same order, in double, rounded once per store: the same bits. NOTE: the new maximum of
// AMSGrad is used unrounded (as the js assignment expression's value).
template <typename T>
GF_MULTIVERSION void AdamLoop(T* __restrict w, const T* __restrict g, T* __restrict m, T* __restrict v,
                              T* __restrict vhat, int64_t n, double alpha, double c1, double c2, double eps) {
  if (vhat == nullptr) {
    for (int64_t i = 0; i < n; i++) {
      const double gi = g[i];
      const double mi = m[i] + (gi - m[i]) * c1;
      const double vi = v[i] + (gi * gi - v[i]) * c2;
      m[i] = static_cast<T>(mi);
      v[i] = static_cast<T>(vi);
      w[i] = static_cast<T>(w[i] - (alpha * mi) / (std::sqrt(vi) + eps));
    }
    return;
  }
  for (int64_t i = 0; i < n; i++) {
    const double gi = g[i];
    const double mi = m[i] + (gi - m[i]) * c1;
    const double vi = v[i] + (gi * gi - v[i]) * c2;
    m[i] = static_cast<T>(mi);
    v[i] = static_cast<T>(vi);
    double hi;
    if (vi > vhat[i]) {
      vhat[i] = static_cast<T>(vi);
      hi = vi;
    } else {
      hi = vhat[i];
    }
    w[i] = static_cast<T>(w[i] - (alpha * mi) / (std::sqrt(hi) + eps));
  }
}

// The Adam loop over the pool's blocks of the arrays (ParallelRange); vhat.data null: no AMSGrad.
template <typename T>
void AdamBlocks(const Array& w, const Array& g, const Array& m, const Array& v, const Array& vhat, double alpha,
                double c1, double c2, double eps) {
  T* pw = static_cast<T*>(w.data);
  T* pm = static_cast<T*>(m.data);
  T* pv = static_cast<T*>(v.data);
  T* ph = static_cast<T*>(vhat.data);
  const T* pg = static_cast<const T*>(g.data);
  ParallelRange(static_cast<int64_t>(w.length), [&](int64_t from, int64_t to) {
    AdamLoop(pw + from, pg + from, pm + from, pv + from, ph ? ph + from : nullptr, to - from, alpha, c1, c2, eps);
  });
}

// adamUpdate(w, g, m, v, vhat | null, alpha, beta1, beta2, epsilon)
napi_value AdamEntry(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 9;
  napi_value argv[9];
  NAPI_OK(napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, nullptr));
  Array w, g, m, v, vhat;
  bool hasVhat = false;
  double alpha, b1, b2, eps;
  if (argc != 9 || !GetArray(env, argv[0], &w) || !GetArray(env, argv[1], &g) || !GetArray(env, argv[2], &m) ||
      !GetArray(env, argv[3], &v) || !GetOptionalArray(env, argv[4], &vhat, &hasVhat) ||
      napi_get_value_double(env, argv[5], &alpha) != napi_ok || napi_get_value_double(env, argv[6], &b1) != napi_ok ||
      napi_get_value_double(env, argv[7], &b2) != napi_ok || napi_get_value_double(env, argv[8], &eps) != napi_ok) {
    return Throw(env, "adamUpdate: bad arguments");
  }
  if (!SameFloatType(w.type, {&g, &m, &v, &vhat}) || g.length != w.length || m.length != w.length ||
      v.length != w.length || (hasVhat && vhat.length != w.length)) {
    return Throw(env, "adamUpdate: w, g, m, v (and vhat) must be float arrays of one dtype and length");
  }
  if (w.type == napi_float32_array) AdamBlocks<float>(w, g, m, v, vhat, alpha, 1 - b1, 1 - b2, eps);
  else AdamBlocks<double>(w, g, m, v, vhat, alpha, 1 - b1, 1 - b2, eps);
  return nullptr;
}

// Σ a² and Σ (a − b)² in float64 with eight partial sums each (they vectorize): the norms the
// diagnostics Monitor takes of every weight and gradient at each sample.
template <typename T>
GF_MULTIVERSION void SumSquaresLoop(const T* __restrict a, const T* __restrict b, int64_t n, double* out) {
  double s[8] = {0, 0, 0, 0, 0, 0, 0, 0}, d[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  if (b == nullptr) {
    for (; i + 8 <= n; i += 8) for (int u = 0; u < 8; u++) { const double x = a[i + u]; s[u] += x * x; }
    for (; i < n; i++) { const double x = a[i]; s[0] += x * x; }
  } else {
    for (; i + 8 <= n; i += 8) {
      for (int u = 0; u < 8; u++) { const double x = a[i + u], e = x - static_cast<double>(b[i + u]); s[u] += x * x; d[u] += e * e; }
    }
    for (; i < n; i++) { const double x = a[i], e = x - static_cast<double>(b[i]); s[0] += x * x; d[0] += e * e; }
  }
  out[0] = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  out[1] = ((d[0] + d[1]) + (d[2] + d[3])) + ((d[4] + d[5]) + (d[6] + d[7]));
}

// sumSquares(a, b | null, out: Float64Array(2))
napi_value SumSquaresEntry(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 3;
  napi_value argv[3];
  NAPI_OK(napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, nullptr));
  Array a, b, out;
  bool hasB = false;
  if (argc != 3 || !GetArray(env, argv[0], &a) || !GetOptionalArray(env, argv[1], &b, &hasB) || !GetArray(env, argv[2], &out)) {
    return Throw(env, "sumSquares: bad arguments");
  }
  if (!SameFloatType(a.type, {&b}) || (hasB && b.length != a.length) || out.type != napi_float64_array || out.length < 2) {
    return Throw(env, "sumSquares: a (and b) must be float arrays of one dtype and length, out a Float64Array(2)");
  }
  const int64_t n = static_cast<int64_t>(a.length);
  double* o = static_cast<double*>(out.data);
  if (a.type == napi_float32_array) {
    SumSquaresLoop(static_cast<const float*>(a.data), hasB ? static_cast<const float*>(b.data) : nullptr, n, o);
  } else {
    SumSquaresLoop(static_cast<const double*>(a.data), hasB ? static_cast<const double*>(b.data) : nullptr, n, o);
  }
  return nullptr;
}

napi_value Noop(napi_env, napi_callback_info) { return nullptr; }

}  // namespace

NAPI_MODULE_INIT() {
  const napi_property_descriptor properties[] = {
    {"gemm", nullptr, GemmEntry, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"binaryF32", nullptr, BinaryEntry, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"unaryF32", nullptr, UnaryEntry, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"reduceF32", nullptr, ReduceEntry, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"sgdUpdate", nullptr, SgdEntry, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"adamUpdate", nullptr, AdamEntry, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"sumSquares", nullptr, SumSquaresEntry, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"denseForward", nullptr, DenseForwardEntry, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"denseBackward", nullptr, DenseBackwardEntry, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"batchNormForward", nullptr, BatchNormForwardEntry, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"batchNormBackward", nullptr, BatchNormBackwardEntry, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"setNumThreads", nullptr, SetNumThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"getNumThreads", nullptr, GetNumThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
    // an empty call: measures the N-API round trip (bench only)
    {"noop", nullptr, Noop, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  if (napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]),
                             properties) != napi_ok) {
    return nullptr;
  }
  return exports;
}
