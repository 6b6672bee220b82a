#include "support.hpp"

#include <steiger/sdk/sha256.hpp>

#include <rapidjson/document.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace steiger::test {

steiger_value AbiValue::convert(const sdk::Value& v) {
  steiger_value out{};
  if (v.is_bool()) {
    out.kind = STEIGER_VALUE_BOOL;
    out.boolean = v.as_bool() ? 1 : 0;
  } else if (v.is_int()) {
    out.kind = STEIGER_VALUE_INT;
    out.integer = v.as_int();
  } else if (v.is_number()) {
    out.kind = STEIGER_VALUE_DOUBLE;
    out.number = v.as_double();
  } else if (v.is_string()) {
    out.kind = STEIGER_VALUE_STRING;
    out.string = str(v.as_string());
  } else if (v.is_array()) {
    out.kind = STEIGER_VALUE_ARRAY;
    std::vector<steiger_value> items;
    for (const auto& item : v.as_array()) items.push_back(convert(item));
    const auto& kept = arrays_.emplace_back(std::move(items));
    out.count = kept.size();
    out.items = kept.data();
  } else if (v.is_object()) {
    out.kind = STEIGER_VALUE_OBJECT;
    std::vector<steiger_value> items;
    std::vector<steiger_str> keys;
    for (const auto& [k, item] : v.as_object()) {
      keys.push_back(str(k));
      items.push_back(convert(item));
    }
    const auto& kept_items = arrays_.emplace_back(std::move(items));
    const auto& kept_keys = keys_.emplace_back(std::move(keys));
    out.count = kept_items.size();
    out.items = kept_items.data();
    out.keys = kept_keys.data();
  }
  return out;
}

std::string dump(const sdk::Value& v) {
  if (v.is_null()) return "null";
  if (v.is_string()) return "\"" + v.as_string() + "\"";
  if (v.is_number() || v.is_bool()) return v.scalar_text();
  std::string out;
  if (v.is_array()) {
    for (const auto& item : v.as_array()) out += (out.empty() ? "" : ",") + dump(item);
    return "[" + out + "]";
  }
  for (const auto& [k, item] : v.as_object())
    out += (out.empty() ? "\"" : ",\"") + k + "\":" + dump(item);
  return "{" + out + "}";
}

steiger_host_api FakeHost::api() {
  steiger_host_api api{};
  api.struct_size = sizeof api;
  api.ctx = this;
  api.log = [](void* ctx, uint32_t level, steiger_str message) {
    static_cast<FakeHost*>(ctx)->logs.emplace_back(level, sdk::from_abi(message));
  };
  api.set_phase = [](void* ctx, steiger_str phase) {
    static_cast<FakeHost*>(ctx)->phases.push_back(sdk::from_abi(phase));
  };
  api.report_progress = [](void* ctx, double fraction, steiger_str message) {
    static_cast<FakeHost*>(ctx)->progress.emplace_back(fraction, sdk::from_abi(message));
  };
  api.is_cancelled = [](void* ctx) -> int32_t { return static_cast<FakeHost*>(ctx)->cancelled; };
  api.run_process = [](void* ctx, const steiger_process_spec* spec,
                       steiger_process_result* result) -> int32_t {
    auto* self = static_cast<FakeHost*>(ctx);
    std::vector<std::string> argv;
    for (size_t i = 0; i < spec->argc; ++i) argv.push_back(sdk::from_abi(spec->argv[i]));
    self->commands.push_back(argv);
    // Records every line on its way to the plugin's callback.
    struct Tap {
      FakeHost* self;
      const steiger_process_spec* original;
    } tap{self, spec};
    steiger_process_spec tapped = *spec;
    tapped.user = &tap;
    tapped.on_line = [](void* user, uint32_t stream, steiger_str line) {
      auto* t = static_cast<Tap*>(user);
      t->self->lines.push_back({stream, sdk::from_abi(line)});
      if (t->original->on_line) t->original->on_line(t->original->user, stream, line);
    };
    if (self->runner) return self->runner(tapped, *result);
    return run_real(tapped, *result, self->work_dir);
  };
  api.add_artifact = [](void* ctx, steiger_str artifact, steiger_str dir) {
    static_cast<FakeHost*>(ctx)->artifacts.emplace_back(sdk::from_abi(artifact),
                                                        sdk::from_abi(dir));
  };
  api.set_error = [](void* ctx, steiger_str message) {
    static_cast<FakeHost*>(ctx)->errors.push_back(sdk::from_abi(message));
  };
  return api;
}

// Enough of the host's process runner for plugin tests: argv via PATH, inherited environment,
// stdout and stderr split into lines as they arrive.
int32_t FakeHost::run_real(const steiger_process_spec& spec, steiger_process_result& result,
                           const std::string& default_cwd) {
  std::vector<std::string> args;
  for (size_t i = 0; i < spec.argc; ++i) args.push_back(sdk::from_abi(spec.argv[i]));
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string cwd = spec.cwd.size ? sdk::from_abi(spec.cwd) : default_cwd;

  int out[2], err[2], status_pipe[2];
  if (pipe(out) != 0 || pipe(err) != 0 || pipe2(status_pipe, O_CLOEXEC) != 0) return errno;
  pid_t pid = fork();
  if (pid < 0) return errno;
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
    execvp(argv[0], argv.data());
    int e = errno;
    ssize_t ignored = write(status_pipe[1], &e, sizeof e);
    (void)ignored;
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  close(status_pipe[1]);
  int spawn_errno = 0;
  if (read(status_pipe[0], &spawn_errno, sizeof spawn_errno) != sizeof spawn_errno) spawn_errno = 0;
  close(status_pipe[0]);

  std::array<std::string, 2> partial;
  std::array<pollfd, 2> fds{{{out[0], POLLIN, 0}, {err[0], POLLIN, 0}}};
  int open_fds = 2;
  char buf[4096];
  while (open_fds > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      partial[i].append(buf, static_cast<size_t>(n));
      size_t start = 0, nl;
      while ((nl = partial[i].find('\n', start)) != std::string::npos) {
        if (spec.on_line)
          spec.on_line(spec.user, i == 0 ? STEIGER_STREAM_STDOUT : STEIGER_STREAM_STDERR,
                       sdk::to_abi(std::string_view(partial[i]).substr(start, nl - start)));
        start = nl + 1;
      }
      partial[i].erase(0, start);
    }
  }
  for (size_t i = 0; i < partial.size(); ++i)
    if (!partial[i].empty() && spec.on_line)
      spec.on_line(spec.user, i == 0 ? STEIGER_STREAM_STDOUT : STEIGER_STREAM_STDERR,
                   sdk::to_abi(partial[i]));
  int status = 0;
  waitpid(pid, &status, 0);
  result.spawn_errno = spawn_errno;
  if (spawn_errno != 0) {
    result.exit_code = -1;
    return spawn_errno;
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return 0;
}

BuildRequest::BuildRequest(std::string service, const sdk::Value& config_value,
                           std::vector<std::string> platforms, std::string work_dir)
    : service_name(std::move(service)),
      work(std::move(work_dir)),
      repo("/repo"),
      tag_value("v1"),
      profile_value("dev"),
      config(config_value),
      platform_names(std::move(platforms)) {
  for (const auto& p : platform_names) platform_strs.push_back(sdk::to_abi(p));
  request.struct_size = sizeof request;
  request.service = sdk::to_abi(service_name);
  request.config = config.get();
  request.platforms = platform_strs.data();
  request.platform_count = platform_strs.size();
  request.repo_dir = sdk::to_abi(repo);
  request.work_dir = sdk::to_abi(work);
  request.tag = sdk::to_abi(tag_value);
  request.profile = sdk::to_abi(profile_value);
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "steiger-sdk-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::pair<int, std::string> shell(const std::string& command) {
  std::FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("popen failed");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

bool have_tool(const std::string& name) {
  return shell("command -v " + name + " >/dev/null 2>&1").first == 0;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

namespace {

constexpr const char* sdk_index_type = "application/vnd.oci.image.index.v1+json";

std::string check_descriptor(const std::filesystem::path& dir, const rapidjson::Value& d,
                             std::string* content) {
  if (!d.IsObject() || !d.HasMember("digest") || !d["digest"].IsString() || !d.HasMember("size") ||
      !d["size"].IsUint64() || !d.HasMember("mediaType"))
    return "malformed descriptor";
  std::string digest = d["digest"].GetString();
  if (digest.rfind("sha256:", 0) != 0 || digest.size() != 71) return "bad digest " + digest;
  auto path = dir / "blobs" / "sha256" / digest.substr(7);
  if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(path)))
    return "blob " + digest + " is missing or not a regular file";
  std::string bytes = read_file(path);
  if (bytes.size() != d["size"].GetUint64()) return "blob " + digest + " has the wrong size";
  if ("sha256:" + sdk::sha256_hex(bytes) != digest) return "blob " + digest + " does not match";
  if (content) *content = std::move(bytes);
  return {};
}

std::string check_manifests(const std::filesystem::path& dir, const rapidjson::Value& index) {
  if (!index.IsObject() || !index.HasMember("manifests") || !index["manifests"].IsArray())
    return "index without manifests";
  for (const auto& m : index["manifests"].GetArray()) {
    std::string content;
    if (auto e = check_descriptor(dir, m, &content); !e.empty()) return e;
    rapidjson::Document doc;
    if (doc.Parse(content.c_str()).HasParseError()) return "manifest is not JSON";
    std::string type = m["mediaType"].GetString();
    if (type == sdk_index_type) {
      if (auto e = check_manifests(dir, doc); !e.empty()) return e;
      continue;
    }
    if (!doc.HasMember("config") || !doc.HasMember("layers") || !doc["layers"].IsArray())
      return "manifest without config or layers";
    if (auto e = check_descriptor(dir, doc["config"], nullptr); !e.empty()) return e;
    for (const auto& layer : doc["layers"].GetArray())
      if (auto e = check_descriptor(dir, layer, nullptr); !e.empty()) return e;
  }
  return {};
}

}  // namespace

std::string check_layout(const std::filesystem::path& dir) {
  rapidjson::Document layout;
  if (layout.Parse(read_file(dir / "oci-layout").c_str()).HasParseError() || !layout.IsObject() ||
      !layout.HasMember("imageLayoutVersion") || !layout["imageLayoutVersion"].IsString() ||
      std::string(layout["imageLayoutVersion"].GetString()) != "1.0.0")
    return "bad oci-layout";
  rapidjson::Document index;
  if (index.Parse(read_file(dir / "index.json").c_str()).HasParseError())
    return "index.json is not JSON";
  return check_manifests(dir, index);
}

}  // namespace steiger::test
