# steiger_add_plugin(<name> <sources>...): a plugin library, named steiger-<name>.so so that a
# plugin folder says what it holds. Hidden visibility: only the entry point is exported.
function(steiger_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE Steiger::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX "steiger-"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(DEFINED STEIGER_BUILD_PLUGIN_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${STEIGER_BUILD_PLUGIN_DIR})
  endif()
endfunction()
