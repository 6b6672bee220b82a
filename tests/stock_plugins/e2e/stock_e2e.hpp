// End-to-end tests of the stock docker and railpack plugins: the real steiger binary, the real
// plugins, real buildah builds, a real docker-registry for base images, and the stand-ins of
// tests/standins where no real buildx or railpack runs.
#pragma once

#include "e2e_support.hpp"

#include <rapidjson/document.h>

#include <filesystem>
#include <string>
#include <vector>

namespace stock_e2e {

namespace fs = std::filesystem;

// "/usr/local/sbin:/usr/sbin:...": the machine's tools, no stand-ins.
std::string system_path();

// A project folder of one test, and steiger runs on it with the plugins of this build tree.
class Project {
 public:
  Project();
  const fs::path& dir() const { return dir_; }
  void write(const std::string& relative, const std::string& content) const;
  // /bin/busybox (busybox-static), for FROM scratch images that RUN things without pulling.
  void copy_busybox(const std::string& relative) const;
  // steiger -d DIR build --progress plain ARGS..., with env added to the environment.
  e2e::Output build(const std::vector<std::string>& args = {},
                    const std::vector<std::string>& env = {}) const;
  fs::path out(const std::string& artifact) const { return dir_ / ".steiger" / "out" / artifact; }
  fs::path work(const std::string& service) const { return dir_ / ".steiger" / "work" / service; }
  std::string log(const std::string& service) const;

 private:
  e2e::TempDir tmp_;
  fs::path dir_;
};

// The stand-in docker and railpack of one test: their state folder and what they were asked.
class Standins {
 public:
  Standins();
  // PATH with the stand-ins first, STANDIN_STATE, then `extra`.
  std::vector<std::string> env(std::vector<std::string> extra = {}) const;
  // Each call's command line, joined with spaces, in order.
  std::vector<std::string> calls() const;
  // Runs the stand-in docker directly (to prepare builders, say).
  void docker(const std::vector<std::string>& args) const;
  const fs::path& state() const { return tmp_.path(); }

 private:
  e2e::TempDir tmp_;
};

// A docker-registry on 127.0.0.1 holding busybox base images, started once for the whole run.
struct BaseImages {
  std::string registry;  // 127.0.0.1:PORT
  std::string busybox;   // registry/base/busybox:1.35 (linux/amd64 or the machine's arch)
};
const BaseImages& base_images();

// skopeo inspect [--config|--raw] oci:LAYOUT, parsed.
rapidjson::Document inspect(const fs::path& layout, const std::string& flag = "");

// A file as the image shows it (the topmost layer holding it); "" when missing.
struct ImageFile {
  bool found = false;
  std::string content;
  int uid = -1, gid = -1;
};
ImageFile file_in_image(const fs::path& layout, const std::string& path,
                        const std::string& platform = "");

// The machine's platform, as steiger builds by default ("linux/amd64").
std::string native_platform();

bool contains(const std::vector<std::string>& lines, const std::string& line);

}  // namespace stock_e2e
