// A plugin built against SDK 1.99, newer than any host of major 1 here: it may rely on fields the
// host does not know, so the host must refuse it. Descriptor written by hand, like badmajor.cpp.
#include <steiger/sdk/abi.h>

#include <boost/dll/alias.hpp>

namespace {

const steiger_type_descriptor types[] = {
    {sizeof(steiger_type_descriptor), STEIGER_KIND_BUILDER, "newerminor",
     "Must never be offered: its plugin is built for SDK 1.99", "{}", nullptr, nullptr, nullptr}};

const steiger_plugin_descriptor descriptor = {
    {1, 99, sizeof(steiger_plugin_descriptor)}, "newerminor", "1.0.0", "SDK 1.99 plugin", 1, types};

}  // namespace

extern "C" const steiger_plugin_descriptor* steiger_newerminor_entry() {
  return &descriptor;
}
BOOST_DLL_ALIAS(steiger_newerminor_entry, steiger_plugin_entry)
