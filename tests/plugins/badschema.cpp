// A plugin whose builder declares a config schema that is not JSON: the host must refuse the
// type (naming the plugin) rather than validate against nothing.
#include <steiger/sdk/plugin.hpp>

namespace {

class BadSchemaBuilder : public steiger::sdk::Builder {
 public:
  void build(steiger::sdk::BuildContext&) override {
    throw steiger::sdk::Error("badschema's builder must never run");
  }
};

}  // namespace

STEIGER_PLUGIN("badschema", "1.0.0", "Declares an invalid schema",
               steiger::sdk::builder<BadSchemaBuilder>("badschema", "Schema is not JSON",
                                                       R"({"type": "object", "properties": {)"))
