#include "stock_e2e.hpp"

#include "support/servers.hpp"

#include <catch2/catch.hpp>
#include <steiger/sdk/layout_writer.hpp>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace stock_e2e {

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(line);
  return out;
}

rapidjson::Document parse(const std::string& json, const std::string& what) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  if (doc.HasParseError()) throw std::runtime_error(what + " is not JSON: " + json);
  return doc;
}

// A busybox root filesystem as one layer: the applets as symlinks, root's entries in
// /etc/passwd and /etc/group, like a distribution's base image.
std::string busybox_layer() {
  using steiger::sdk::TarEntry;
  std::vector<TarEntry> entries = {TarEntry::directory("bin"), TarEntry::directory("etc"),
                                   TarEntry::directory("root", 0700),
                                   TarEntry::directory("tmp", 01777)};
  entries.push_back(TarEntry::file("bin/busybox", e2e::read_file("/bin/busybox"), 0755));
  for (const auto& applet : lines_of(e2e::run_ok({"/bin/busybox", "--list"})))
    if (applet != "busybox") entries.push_back(TarEntry::symlink("bin/" + applet, "busybox"));
  entries.push_back(TarEntry::file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"));
  entries.push_back(TarEntry::file("etc/group", "root:x:0:\n"));
  return steiger::sdk::tar_archive(entries);
}

}  // namespace

std::string system_path() {
  return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

std::string native_platform() {
#if defined(__aarch64__)
  return "linux/arm64";
#else
  return "linux/amd64";
#endif
}

bool contains(const std::vector<std::string>& lines, const std::string& line) {
  for (const auto& l : lines)
    if (l == line) return true;
  return false;
}

Project::Project() : dir_(tmp_.path() / "project") {
  fs::create_directories(dir_);
}

void Project::write(const std::string& relative, const std::string& content) const {
  fs::path file = dir_ / relative;
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << content;
}

void Project::copy_busybox(const std::string& relative) const {
  fs::path file = dir_ / relative;
  fs::create_directories(file.parent_path());
  fs::copy_file("/bin/busybox", file, fs::copy_options::overwrite_existing);
}

e2e::Output Project::build(const std::vector<std::string>& args,
                           const std::vector<std::string>& env) const {
  std::vector<std::string> argv = {
      "-d",    dir_.string(), "--plugin-path", STEIGER_BUILD_PLUGIN_DIR,
      "build", "--progress",  "plain"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> full_env = env;
  bool has_path = false;
  for (const auto& e : env) has_path = has_path || e.rfind("PATH=", 0) == 0;
  if (!has_path) full_env.push_back("PATH=" + system_path());
  auto out = e2e::run_steiger(argv, dir_, full_env);
  UNSCOPED_INFO("steiger stdout:\n" << out.out << "steiger stderr:\n" << out.err);
  return out;
}

std::string Project::log(const std::string& service) const {
  return e2e::read_file(dir_ / ".steiger" / "logs" / (service + ".log"));
}

Standins::Standins() = default;

std::vector<std::string> Standins::env(std::vector<std::string> extra) const {
  std::vector<std::string> out = {"PATH=" + std::string(STEIGER_STANDINS_DIR) + ":" + system_path(),
                                  "STANDIN_STATE=" + tmp_.path().string()};
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

std::vector<std::string> Standins::calls() const {
  std::vector<std::string> out;
  for (const auto& line : lines_of(e2e::read_file(tmp_.path() / "calls.log"))) {
    auto doc = parse(line, "calls.log");
    std::string joined;
    for (const auto& arg : doc.GetArray())
      joined += (joined.empty() ? "" : " ") + std::string(arg.GetString());
    out.push_back(joined);
  }
  return out;
}

void Standins::docker(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"env", "STANDIN_STATE=" + tmp_.path().string(),
                                   std::string(STEIGER_STANDINS_DIR) + "/docker"};
  argv.insert(argv.end(), args.begin(), args.end());
  e2e::run_ok(argv);
}

const BaseImages& base_images() {
  static std::unique_ptr<steiger::testing::RegistryServer> registry;
  static BaseImages images;
  if (registry) return images;
  registry = std::make_unique<steiger::testing::RegistryServer>();
  images.registry = registry->host();
  images.busybox = images.registry + "/base/busybox:1.35";
  // Built by buildah rather than written directly: buildah wants the history a base image
  // normally has when it builds on top of it.
  e2e::TempDir tmp;
  fs::path context = tmp.path() / "context";
  fs::create_directories(context);
  std::ofstream(context / "rootfs.tar", std::ios::binary) << busybox_layer();
  std::ofstream(context / "Dockerfile") << "FROM scratch\nADD rootfs.tar /\n"
                                           "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
                                           "/usr/bin:/sbin:/bin\nCMD [\"/bin/sh\"]\n";
  std::vector<std::string> buildah = {"buildah",
                                      "--root",
                                      (tmp.path() / "root").string(),
                                      "--runroot",
                                      (tmp.path() / "runroot").string(),
                                      "--storage-driver",
                                      "vfs"};
  auto with = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = buildah;
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  };
  e2e::run_ok(with({"build", "--isolation", "chroot", "-t", "busybox-base", context.string()}));
  e2e::run_ok(with(
      {"push", "--quiet", "--tls-verify=false", "busybox-base", "docker://" + images.busybox}));
  return images;
}

rapidjson::Document inspect(const fs::path& layout, const std::string& flag) {
  std::vector<std::string> argv = {"skopeo", "inspect"};
  if (!flag.empty()) argv.push_back(flag);
  argv.push_back("oci:" + layout.string());
  return parse(e2e::run_ok(argv), "skopeo inspect " + flag);
}

ImageFile file_in_image(const fs::path& layout, const std::string& path,
                        const std::string& platform) {
  auto doc =
      parse(e2e::run_ok({"python3", std::string(STEIGER_STOCK_E2E_DIR) + "/layer_file.py",
                         layout.string(), platform.empty() ? native_platform() : platform, path}),
            "layer_file.py");
  ImageFile f;
  if (doc.HasMember("missing")) return f;
  f.found = true;
  f.content = doc["content"].GetString();
  f.uid = doc["uid"].GetInt();
  f.gid = doc["gid"].GetInt();
  return f;
}

}  // namespace stock_e2e
