{
  "variables": {
    "deepnet_kernel_sources": [
      "native/kernels/backward.cc",
      "native/kernels/cost.cc",
      "native/kernels/cpu.cc",
      "native/kernels/csv.cc",
      "native/kernels/dropout.cc",
      "native/kernels/forward.cc",
      "native/kernels/gemm.cc",
      "native/kernels/gemm_builtin.cc",
      "native/kernels/gemm_reference.cc",
      "native/kernels/init.cc",
      "native/kernels/l2.cc",
      "native/kernels/memory.cc",
      "native/kernels/openblas.cc",
      "native/kernels/reduce.cc",
      "native/kernels/rng.cc",
      "native/kernels/threads.cc",
      "native/kernels/update.cc",
      "native/model/gradcheck.cc",
      "native/model/model.cc",
      "native/model/network.cc",
      "native/model/train.cc"
    ],
    "deepnet_addon_sources": [
      "native/addon/addon.cc",
      "native/addon/args.cc",
      "native/addon/csv_wrap.cc",
      "native/addon/model_wrap.cc",
      "native/addon/ops_wrap.cc",
      "native/addon/rng_wrap.cc",
      "native/addon/train_wrap.cc"
    ]
  }
}
