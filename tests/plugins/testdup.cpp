// A second plugin that also claims builder type `test` (testbuilder's): the host must report
// the clash instead of silently picking one.
#include <steiger/sdk/plugin.hpp>

namespace {

class DuplicateBuilder : public steiger::sdk::Builder {
 public:
  void build(steiger::sdk::BuildContext&) override {
    throw steiger::sdk::Error("testdup's `test` builder must never run");
  }
};

}  // namespace

STEIGER_PLUGIN("testdup", "1.0.0", "Claims a type another plugin provides",
               steiger::sdk::builder<DuplicateBuilder>("test", "Duplicate of testbuilder's type",
                                                       R"({"type": "object"})"))
