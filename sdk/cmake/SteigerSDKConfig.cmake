# find_package(SteigerSDK 1.0) for third-party plugins: gives Steiger::sdk and steiger_add_plugin.
include(CMakeFindDependencyMacro)
find_dependency(Boost 1.74)
include("${CMAKE_CURRENT_LIST_DIR}/SteigerSDKTargets.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/SteigerPlugin.cmake")
