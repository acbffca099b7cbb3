# cmake -DTARGETS=a;b -DRUNNERS=runner-a;runner-b -DCORPUS=DIR -P run_corpus.cmake
# Runs each fuzz target's corpus runner over DIR/<target>; fails on the
# first target whose seeds do not all pass.
foreach(name runner IN ZIP_LISTS TARGETS RUNNERS)
  execute_process(COMMAND ${runner} ${CORPUS}/${name}
                  RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "fuzz target '${name}' failed on its corpus: ${result}")
  endif()
endforeach()
