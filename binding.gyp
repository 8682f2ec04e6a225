{
  "includes": ["native/sources.gypi"],
  "variables": {
    # A glibc 2.17 sysroot to link the prebuilt binaries against (set by
    # scripts/prebuild.js through GYP_DEFINES); empty for a source build.
    "deepnet_sysroot%": ""
  },
  "targets": [
    {
      "target_name": "deepnet",
      "sources": ["<@(deepnet_kernel_sources)", "<@(deepnet_addon_sources)"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "native/kernels",
        "native/model"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS",
        "DEEPNET_VERSION=\"<!(node -p \"require('./package.json').version\")\""
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-O3", "-ffp-contract=off", "-fexceptions"],
      "libraries": ["-ldl", "-lpthread"],
      # libgcc stays shared: every glibc system has libgcc_s.so.1, while the
      # static unwinder of a new GCC needs glibc 2.35 (_dl_find_object).
      "ldflags": ["-static-libstdc++", "-Wl,--exclude-libs,ALL"],
      "conditions": [
        ["deepnet_sysroot!=''", {
          "sources": ["native/compat/glibc_compat.cc"],
          # Only the sysroot's C libraries: libstdc++ and libgcc stay this GCC's.
          "ldflags": ["--sysroot=<(deepnet_sysroot)", "-L<(deepnet_sysroot)/usr/lib"]
        }]
      ],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "OTHER_CPLUSPLUSFLAGS": ["-std=c++17", "-O3", "-ffp-contract=off"]
      }
    }
  ]
}
