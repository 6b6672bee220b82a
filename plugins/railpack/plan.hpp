// Where the build plan comes from. The Rust Steiger used a railpack.json of the context as the
// plan; Railpack itself now reads railpack.json as its config (a map of steps) and writes plans
// (a list of steps) with `railpack prepare`. Both are honoured: a railpack.json shaped like a
// plan is the plan, anything else goes through `railpack prepare`, which reads it.
#pragma once

#include <string>
#include <vector>

namespace steiger::railpack {

inline constexpr const char* kPlanFile = "railpack.json";

// Whether JSON text is a Railpack build plan rather than a config: its "steps" is an array.
bool looks_like_plan(const std::string& json);

// railpack prepare CONTEXT --plan-out PLAN
std::vector<std::string> prepare_argv(const std::string& context, const std::string& plan_out);

}  // namespace steiger::railpack
