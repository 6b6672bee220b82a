# TEMPORARY: sdk/include/steiger/sdk/context.hpp mixes an enumerator and an unsigned in `?:`
# (Context::run, `spec.flags = ...`), which g++ -Wextra -Werror rejects in every plugin. Until the
# header is fixed, test targets keep that warning non-fatal. The check is keyed on the header's
# hash, so it re-runs, and the workaround vanishes, once the header changes.
include(CheckCXXSourceCompiles)
file(SHA256 ${PROJECT_SOURCE_DIR}/sdk/include/steiger/sdk/context.hpp steiger_context_hash)
string(SUBSTRING ${steiger_context_hash} 0 12 steiger_context_hash)
set(CMAKE_REQUIRED_FLAGS "-Wextra -Werror")
set(CMAKE_REQUIRED_INCLUDES ${PROJECT_SOURCE_DIR}/sdk/include)
set(CMAKE_REQUIRED_QUIET ON)
check_cxx_source_compiles("#include <steiger/sdk/context.hpp>\nint main() { return 0; }"
                          STEIGER_SDK_CONTEXT_CLEAN_${steiger_context_hash})
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_INCLUDES)
unset(CMAKE_REQUIRED_QUIET)

# Applies the workaround to a target when the SDK still needs it.
function(steiger_sdk_warning_workaround target)
  if(NOT STEIGER_SDK_CONTEXT_CLEAN_${steiger_context_hash})
    target_compile_options(${target} PRIVATE -Wno-error=extra)
  endif()
endfunction()
