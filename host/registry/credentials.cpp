#include "registry/credentials.hpp"

#include <rapidjson/document.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "process/runner.hpp"
#include "registry/base64.hpp"
#include "registry/json_member.hpp"
#include "registry/push_error.hpp"
#include "registry/reference.hpp"

namespace fs = std::filesystem;

namespace steiger::registry {
namespace {

// What Docker's own helpers are given for Docker Hub.
constexpr std::string_view kDockerHubServerUrl = "https://index.docker.io/v1/";
constexpr size_t kMaxConfigSize = 4 << 20;

[[noreturn]] void fail(const std::string& detail) {
  throw Failure(Failure::Kind::Permanent, detail);
}

std::string string_member(const rapidjson::Value& obj, const char* name) {
  const rapidjson::Value* v = member(obj, name);
  return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : std::string();
}

// The registry's entry in an object keyed by registry (auths, credHelpers).
const rapidjson::Value* entry_for(const rapidjson::Value* map, const std::string& registry) {
  if (!map || !map->IsObject()) return nullptr;
  for (auto it = map->MemberBegin(); it != map->MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    if (normalize_config_key(key) == registry) return &it->value;
  }
  return nullptr;
}

Credentials from_helper(const std::string& helper, const std::string& registry, Redactor& redactor,
                        const platform::CancelSource* cancel) {
  const std::string program = "docker-credential-" + helper;
  process::Spec spec;
  spec.argv = {program, "get"};
  spec.stdin_data = (registry == kDockerHub ? std::string(kDockerHubServerUrl) : registry) + "\n";
  std::string out;
  // stdout carries the secret: it goes nowhere but here. stderr is dropped for the same reason.
  spec.on_line = [&out](process::Stream stream, std::string_view line) {
    if (stream == process::Stream::Stdout && out.size() < kMaxConfigSize) {
      out.append(line).push_back('\n');
    }
  };
  process::Result result = process::run(spec, cancel);
  if (result.cancelled) throw Failure(Failure::Kind::Cancelled, "cancelled");
  if (result.spawn_errno) {
    fail(program + " is not installed (config.json names it as the credential helper for " +
         registry + "); install it, or remove it from config.json");
  }
  if (!result.ok()) {
    // Docker's helpers say so on stdout when they simply hold nothing for this registry.
    if (out.find("credentials not found") != std::string::npos) return {};
    fail(program + " get failed for " + registry + " (exit code " +
         std::to_string(result.exit_code) + ")");
  }
  rapidjson::Document doc;
  doc.Parse(out.data(), out.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    fail(program + " get printed something that is not a JSON object for " + registry);
  }
  Credentials c;
  c.source = program;
  std::string user = string_member(doc, "Username");
  std::string secret = string_member(doc, "Secret");
  redactor.add(secret);
  if (user == "<token>") {
    c.identity_token = std::move(secret);
  } else {
    c.username = std::move(user);
    c.password = std::move(secret);
  }
  return c;
}

}  // namespace

std::string normalize_config_key(std::string_view key) {
  if (size_t p = key.find("://"); p != std::string_view::npos) key = key.substr(p + 3);
  key = key.substr(0, key.find('/'));
  std::string out(key);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return canonical_registry(out);
}

CredentialStore::CredentialStore(fs::path config_dir, Redactor& redactor,
                                 const platform::CancelSource* cancel)
    : config_dir_(std::move(config_dir)), redactor_(redactor), cancel_(cancel) {}

fs::path CredentialStore::config_file() const {
  if (!config_dir_.empty()) return config_dir_ / "config.json";
  if (const char* dir = std::getenv("DOCKER_CONFIG"); dir && *dir) {
    return fs::path(dir) / "config.json";
  }
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : "/") / ".docker" / "config.json";
}

Credentials CredentialStore::lookup(const std::string& registry) {
  std::lock_guard lock(mutex_);
  auto it = cache_.find(registry);
  if (it != cache_.end()) return it->second;
  Credentials c = find(registry);
  cache_.emplace(registry, c);
  return c;
}

Credentials CredentialStore::find(const std::string& registry) {
  const fs::path file = config_file();
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};  // no config.json: anonymous, as with Docker
  // Not through istreambuf_iterator: GCC 12 at -O2 warns of a null dereference inside it.
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = std::move(buffer).str();
  if (text.size() > kMaxConfigSize) fail(file.string() + " is too large to be a Docker config");
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    fail(file.string() + " is not valid JSON; fix it or point DOCKER_CONFIG elsewhere");
  }

  const rapidjson::Value* helper = entry_for(member(doc, "credHelpers"), registry);
  if (helper && helper->IsString() && helper->GetStringLength() > 0) {
    return from_helper(helper->GetString(), registry, redactor_, cancel_);
  }
  std::string store = string_member(doc, "credsStore");
  if (!store.empty()) {
    Credentials c = from_helper(store, registry, redactor_, cancel_);
    if (!c.empty()) return c;
  }

  const rapidjson::Value* entry = entry_for(member(doc, "auths"), registry);
  if (!entry || !entry->IsObject()) return {};
  Credentials c;
  c.source = file.string();
  std::string auth = string_member(*entry, "auth");
  redactor_.add(auth);
  c.username = string_member(*entry, "username");
  c.password = string_member(*entry, "password");
  c.identity_token = string_member(*entry, "identitytoken");
  if (!auth.empty()) {
    std::optional<std::string> decoded = base64::decode(auth);
    size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) {
      fail("the \"auth\" entry for " + registry + " in " + file.string() +
           " is not base64 of user:password; run `docker login " + registry + "` again");
    }
    c.username = decoded->substr(0, colon);
    c.password = decoded->substr(colon + 1);
  }
  redactor_.add(c.password);
  redactor_.add(c.identity_token);
  return c;
}

}  // namespace steiger::registry
