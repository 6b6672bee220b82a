# One warning set for every target of ours, errors in CI (STEIGER_WERROR=ON). Not
# -Wnull-dereference: at -O2 g++ 12 reports it inside libstdc++ and Boost.Program_options code
# inlined into ours, with nothing to fix on our side.
function(steiger_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual
                                           -Wimplicit-fallthrough)
  if(STEIGER_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
