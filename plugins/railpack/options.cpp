#include "options.hpp"

namespace steiger::railpack {

const char* const kRailpackSchema = R"({
  "type": "object",
  "description": "Builds an app without a Dockerfile: railpack prepare writes a build plan, BuildKit builds it with Railpack's frontend (docker buildx).",
  "properties": {
    "context": {"type": "string", "description": "The app's folder, relative to the project. Default: the project folder."},
    "nonroot": {"type": "boolean", "description": "Run the image as user railpack (UID/GID 1000) instead of root: adds a stage that creates the user, copies root's home directory to /home/railpack and sets USER railpack. Default: false."},
    "frontend": {"type": "string", "minLength": 1, "description": "The image of Railpack's BuildKit frontend (BUILDKIT_SYNTAX). Default: ghcr.io/railwayapp/railpack-frontend:latest; pin the version of your railpack CLI in production."},
    "builder": {"type": "string", "description": "An existing buildx builder to use instead of `steiger` (remote or kubernetes drivers). Empty: the `steiger` builder, created with the docker-container driver when missing."}
  },
  "additionalProperties": false
})";

RailpackOptions read_railpack_options(
    const sdk::Value& config, const std::function<std::string(const std::string&)>& resolve) {
  RailpackOptions o;
  o.context = resolve(config.string_or("context", "."));
  o.nonroot = config.bool_or("nonroot", false);
  o.frontend = config.string_or("frontend", kDefaultFrontend);
  o.builder = config.string_or("builder", "");
  return o;
}

}  // namespace steiger::railpack
