// docker buildx: the builder Steiger builds on, and the one command line that builds into an OCI
// image layout. Shared with the railpack plugin, whose plans BuildKit builds too.
#pragma once

#include <steiger/sdk/context.hpp>

#include <string>
#include <vector>

namespace steiger::buildx {

// The builder Steiger creates (docker-container driver) when the config names none.
inline constexpr const char* kDefaultBuilder = "steiger";

struct BuildCommand {
  std::vector<std::string> flags;  // --target, --build-arg, ...: placed before --builder
  std::string builder;
  std::vector<std::string> platforms;  // one call builds them all, into one layout
  std::string dest;                    // the OCI image layout folder to write
  std::string file;
  std::string context;
};

// docker buildx build FLAGS... --builder B --platform P1,P2 --output type=oci,dest=D,tar=false
//   --file F CONTEXT
std::vector<std::string> build_argv(const BuildCommand& command);

// Whether `docker buildx version` works here (docker installed, with its buildx plugin).
// Asked once per process.
bool available(const sdk::Context& ctx);

// Makes sure the builder exists: `docker buildx inspect NAME`, else `docker buildx create --name
// NAME --driver docker-container`. Safe when several services (or several steiger runs) get here
// at once: a create that fails because another one won is followed by a second inspect.
// Throws sdk::Error with docker's own words when the builder cannot be had.
void ensure_builder(const sdk::Context& ctx, const std::string& name);

// The error for a build that needs buildx where `docker buildx` does not work.
std::string missing_buildx_message(const std::string& what);

}  // namespace steiger::buildx
