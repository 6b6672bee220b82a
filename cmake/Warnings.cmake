# One warning set for every target of ours, errors in CI (STEIGER_WERROR=ON).
function(steiger_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual
                                           -Wnull-dereference -Wimplicit-fallthrough)
  if(STEIGER_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
