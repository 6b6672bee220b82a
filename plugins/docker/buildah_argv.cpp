#include "buildah_argv.hpp"

namespace steiger::docker {

namespace {

// buildah's --cache-from/--cache-to take a repository; docker's also take type=registry,ref=R.
// Returns the repository, or empty for cache types only BuildKit knows (local, gha, s3, inline).
std::string cache_repository(const std::string& spec) {
  if (spec.find('=') == std::string::npos) return spec;
  if (spec.rfind("type=registry,", 0) != 0) return {};
  auto ref = spec.find("ref=");
  if (ref == std::string::npos) return {};
  auto end = spec.find(',', ref);
  return spec.substr(ref + 4, end == std::string::npos ? end : end - ref - 4);
}

}  // namespace

std::vector<std::string> buildah_base(const BuildahStorage& s) {
  return {"buildah", "--root", s.root, "--runroot", s.runroot, "--storage-driver", "vfs"};
}

std::vector<std::string> buildah_build_argv(const BuildahStorage& storage, const DockerOptions& o,
                                            const std::string& platform, const std::string& image,
                                            bool manifest, std::vector<std::string>* warnings) {
  std::vector<std::string> argv = buildah_base(storage);
  auto add = [&](const char* flag, const std::string& value) {
    argv.insert(argv.end(), {flag, value});
  };
  argv.insert(argv.end(), {"build", "--isolation", "chroot"});
  add("--platform", platform);
  auto repositories = [&](const std::vector<std::string>& specs) {
    std::vector<std::string> out;
    for (const auto& spec : specs) {
      std::string repository = cache_repository(spec);
      if (!repository.empty())
        out.push_back(repository);
      else if (warnings)
        warnings->push_back("buildah can only cache to and from a registry: ignoring " + spec);
    }
    return out;
  };
  std::vector<std::string> cache_from = repositories(o.cache_from);
  std::vector<std::string> cache_to = repositories(o.cache_to);
  // Without --layers buildah neither keeps nor looks for intermediate images.
  if (storage.shared || !cache_from.empty() || !cache_to.empty()) argv.push_back("--layers");
  if (!o.target.empty()) add("--target", o.target);
  for (const auto& [name, value] : o.build_args) add("--build-arg", name + "=" + value);
  for (const auto& [host, ip] : o.hosts) add("--add-host", host + ":" + ip);
  for (const auto& [name, value] : o.labels) add("--label", name + "=" + value);
  for (const auto& s : o.secrets)
    add("--secret",
        "id=" + s.id + (s.env.empty() ? ",src=" + s.src : ",src=" + s.env + ",type=env"));
  for (const auto& s : o.ssh) add("--ssh", s);
  for (const auto& r : cache_from) add("--cache-from", r);
  for (const auto& r : cache_to) add("--cache-to", r);
  // docker's "default" network is buildah's default too.
  if (!o.network.empty() && o.network != "default") add("--network", o.network);
  if (o.no_cache) argv.push_back("--no-cache");
  if (o.pull) argv.push_back("--pull=always");
  add("-f", o.dockerfile);
  add(manifest ? "--manifest" : "-t", image);
  argv.push_back(o.context);
  return argv;
}

std::vector<std::string> buildah_push_argv(const BuildahStorage& storage, const std::string& image,
                                           const std::string& dest, const std::string& tag,
                                           bool manifest) {
  std::vector<std::string> argv = buildah_base(storage);
  if (manifest)
    argv.insert(argv.end(), {"manifest", "push", "--all"});
  else
    argv.push_back("push");
  argv.insert(argv.end(), {image, "oci:" + dest + ":" + tag});
  return argv;
}

std::string image_repository_part(const std::string& service) {
  std::string out;
  for (char c : service) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (ok)
      out.push_back(c);
    else if (!out.empty() && out.back() != '-')
      out.push_back('-');
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "service" : out;
}

}  // namespace steiger::docker
