# The optional `native` backend: an N-API addon over the system CBLAS (see docs/native-backend.md).
# Built by scripts/build-native.mjs (npm install / npm run build:native) into
# build/Release/gradflow_native.node; src/node.ts loads it when present.
{
  "targets": [
    {
      "target_name": "gradflow_native",
      "sources": ["native/gradflow.cc"],
      "cflags_cc": ["-std=c++17", "-O3", "-ffp-contract=off", "-fno-math-errno"],
      "cflags_cc!": ["-fno-rtti", "-fno-exceptions"],
      "defines": ["NAPI_VERSION=8"],
      "conditions": [
        ["OS=='mac'", {
          "libraries": ["-framework Accelerate"],
          "xcode_settings": {
            "OTHER_CPLUSPLUSFLAGS": ["-std=c++17", "-O3", "-ffp-contract=off"],
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "MACOSX_DEPLOYMENT_TARGET": "11.0"
          }
        }],
        ["OS=='linux' or OS=='freebsd' or OS=='openbsd'", {
          "libraries": ["<!@(node scripts/native-blas.mjs)", "-ldl"]
        }]
      ]
    }
  ]
}
