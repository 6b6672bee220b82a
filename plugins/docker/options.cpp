#include "options.hpp"

#include <steiger/sdk/context.hpp>

namespace steiger::docker {

namespace {

Driver parse_driver(const std::string& name) {
  if (name == "buildx") return Driver::Buildx;
  if (name == "buildah") return Driver::Buildah;
  return Driver::Auto;
}

}  // namespace

void check_docker_options(const sdk::Value& config) {
  const sdk::Value& secrets = config["secrets"];
  if (secrets.is_array()) {
    for (const auto& s : secrets.as_array()) {
      const std::string id = s.string_or("id", "");
      if (s.contains("src") == s.contains("env"))
        throw sdk::Error("secret '" + id +
                         "' needs exactly one of src (a file) or env (a variable)");
    }
  }
  // A named builder is a BuildKit builder: silently building with buildah instead would ignore it.
  if (!config.string_or("builder", "").empty() && config.string_or("driver", "auto") == "buildah")
    throw sdk::Error("builder names a buildx builder, but driver is buildah; drop one of them");
}

DockerOptions read_docker_options(const sdk::Value& config,
                                  const std::function<std::string(const std::string&)>& resolve) {
  check_docker_options(config);
  DockerOptions o;
  o.context = resolve(config.string_or("context", "."));
  std::string dockerfile = config.string_or("dockerfile", "Dockerfile");
  o.dockerfile =
      !dockerfile.empty() && dockerfile[0] == '/' ? dockerfile : o.context + "/" + dockerfile;
  o.target = config.string_or("target", "");
  o.build_args = config.string_map("buildArgs");
  o.hosts = config.string_map("hosts");
  o.labels = config.string_map("labels");
  o.builder = config.string_or("builder", "");
  o.driver = parse_driver(config.string_or("driver", "auto"));
  const sdk::Value& secrets = config["secrets"];
  if (secrets.is_array()) {
    for (const auto& s : secrets.as_array()) {
      Secret secret{s.string_or("id", ""), "", s.string_or("env", "")};
      if (s.contains("src")) secret.src = resolve(s["src"].as_string());
      o.secrets.push_back(std::move(secret));
    }
  }
  o.ssh = config.strings("ssh");
  o.cache_from = config.strings("cacheFrom");
  o.cache_to = config.strings("cacheTo");
  o.network = config.string_or("network", "");
  o.no_cache = config.bool_or("noCache", false);
  o.pull = config.bool_or("pull", false);
  return o;
}

}  // namespace steiger::docker
