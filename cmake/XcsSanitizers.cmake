# Sanitizer flags for the whole build (the asan and tsan presets set
# XCS_SANITIZE). Applied globally so tests and the library agree.
if(XCS_SANITIZE)
  list(JOIN XCS_SANITIZE "," _xcs_sanitizers)
  add_compile_options(-fsanitize=${_xcs_sanitizers} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_xcs_sanitizers})
endif()
