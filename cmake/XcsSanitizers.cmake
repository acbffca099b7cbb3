# Sanitizer flags for the whole build (the asan, tsan and fuzz presets set
# XCS_SANITIZE). Applied globally so tests and the library agree.
#
# XCS_BUILD_FUZZERS adds libFuzzer's coverage instrumentation
# (-fsanitize=fuzzer-no-link) to everything, so the library feeds the
# fuzzer; only the fuzz targets link libFuzzer itself (unittests/Fuzz).
set(_xcs_sanitizers ${XCS_SANITIZE})
if(XCS_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "XCS_BUILD_FUZZERS needs Clang (libFuzzer); "
                        "use the fuzz preset")
  endif()
  list(APPEND _xcs_sanitizers fuzzer-no-link)
endif()
if(_xcs_sanitizers)
  list(JOIN _xcs_sanitizers "," _xcs_sanitizers)
  add_compile_options(-fsanitize=${_xcs_sanitizers} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_xcs_sanitizers})
endif()
