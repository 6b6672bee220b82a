// The `type: railpack` config block.
#pragma once

#include <steiger/sdk/value.hpp>

#include <functional>
#include <string>

namespace steiger::railpack {

// Railpack's BuildKit frontend. Railpack advises the frontend of the CLI's own version in
// production: set `frontend` to ghcr.io/railwayapp/railpack-frontend:vX.Y.Z to pin it.
inline constexpr const char* kDefaultFrontend = "ghcr.io/railwayapp/railpack-frontend:latest";

struct RailpackOptions {
  std::string context;  // absolute
  bool nonroot = false;
  std::string frontend = kDefaultFrontend;
  std::string builder;  // empty: the `steiger` buildx builder, created when missing
};

extern const char* const kRailpackSchema;

RailpackOptions read_railpack_options(
    const sdk::Value& config, const std::function<std::string(const std::string&)>& resolve);

}  // namespace steiger::railpack
