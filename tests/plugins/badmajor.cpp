// A plugin built against a future SDK 2.0: the host must refuse it from the version header
// alone. The descriptor is written by hand because STEIGER_PLUGIN always stamps the current SDK.
#include <steiger/sdk/abi.h>

#include <boost/dll/alias.hpp>

namespace {

const steiger_type_descriptor types[] = {
    {sizeof(steiger_type_descriptor), STEIGER_KIND_BUILDER, "badmajor",
     "Must never be offered: its plugin is built for SDK 2.0", "{}", nullptr, nullptr, nullptr}};

const steiger_plugin_descriptor descriptor = {
    {2, 0, sizeof(steiger_plugin_descriptor)}, "badmajor", "1.0.0", "SDK 2.0 plugin", 1, types};

}  // namespace

extern "C" const steiger_plugin_descriptor* steiger_badmajor_entry() {
  return &descriptor;
}
BOOST_DLL_ALIAS(steiger_badmajor_entry, steiger_plugin_entry)
