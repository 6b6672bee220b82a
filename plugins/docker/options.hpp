// The `type: docker` config block, read once into plain fields. The host has already checked it
// against kDockerSchema, so reading only has to apply defaults and the rules a schema cannot say.
#pragma once

#include <steiger/sdk/value.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace steiger::docker {

// Who runs the Dockerfile: BuildKit through `docker buildx`, or buildah without any daemon.
enum class Driver { Auto, Buildx, Buildah };

struct Secret {
  std::string id;
  std::string src;  // a file (absolute), or
  std::string env;  // an environment variable of steiger's environment
};

using StringPairs = std::vector<std::pair<std::string, std::string>>;

struct DockerOptions {
  std::string context;     // absolute
  std::string dockerfile;  // absolute; relative ones are taken from the context, as docker does
  std::string target;
  StringPairs build_args, hosts, labels;
  std::string builder;  // empty: the `steiger` builder, created when missing
  Driver driver = Driver::Auto;
  std::vector<Secret> secrets;
  std::vector<std::string> ssh, cache_from, cache_to;
  std::string network;
  bool no_cache = false;
  bool pull = false;
};

// The JSON Schema of the block (without `type`).
extern const char* const kDockerSchema;

// resolve turns a path of the config into an absolute one (BuildContext::resolve).
// Throws sdk::Error for what the schema cannot express (a secret with both src and env, say).
DockerOptions read_docker_options(const sdk::Value& config,
                                  const std::function<std::string(const std::string&)>& resolve);

// The checks of read_docker_options that need no paths: run at plan time, before anything builds.
void check_docker_options(const sdk::Value& config);

}  // namespace steiger::docker
