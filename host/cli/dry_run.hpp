// `steiger build --dry-run`: the plan, and nothing run.
#pragma once

#include "build/plan.hpp"
#include "build/scheduler.hpp"

namespace steiger::cli {

void print_plan(const build::Plan& plan, const config::Config& config,
                const build::ScheduleOptions& schedule);

}  // namespace steiger::cli
