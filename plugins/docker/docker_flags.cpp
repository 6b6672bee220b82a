#include "docker_flags.hpp"

namespace steiger::docker {

std::vector<std::string> buildx_flags(const DockerOptions& o) {
  std::vector<std::string> f;
  auto add = [&](const char* flag, const std::string& value) { f.insert(f.end(), {flag, value}); };
  if (!o.target.empty()) add("--target", o.target);
  for (const auto& [name, value] : o.build_args) add("--build-arg", name + "=" + value);
  for (const auto& [host, ip] : o.hosts) add("--add-host", host + ":" + ip);
  for (const auto& s : o.secrets)
    add("--secret", "id=" + s.id + (s.env.empty() ? ",src=" + s.src : ",env=" + s.env));
  for (const auto& s : o.ssh) add("--ssh", s);
  for (const auto& c : o.cache_from) add("--cache-from", c);
  for (const auto& c : o.cache_to) add("--cache-to", c);
  for (const auto& [name, value] : o.labels) add("--label", name + "=" + value);
  if (!o.network.empty()) add("--network", o.network);
  if (o.no_cache) f.push_back("--no-cache");
  if (o.pull) f.push_back("--pull");
  return f;
}

}  // namespace steiger::docker
