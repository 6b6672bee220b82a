// The build output file, in Skaffold's format, which `deploy -i` and other tools read.
#pragma once

#include "build/build_run.hpp"

#include <filesystem>
#include <vector>

namespace steiger::build {

// {"builds":[{"imageName":"api","tag":"<repo>/api:<tag>@sha256:<hex>"}]}; without a repo the
// tag is "<artifact>:<tag>@sha256:<hex>" and "layout" holds the folder. Written atomically.
void write_output_file(const std::filesystem::path& file, const std::vector<BuiltArtifact>& built);

}  // namespace steiger::build
