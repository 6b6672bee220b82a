// The plugins found on the search path: what loaded, what was refused and why, and which type
// comes from where. Libraries stay loaded as long as the registry lives, because descriptors and
// code from them are used until then.
#pragma once

#include "config/schema.hpp"

#include <steiger/sdk/abi.h>

#include <boost/dll/shared_library.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace steiger::plugins {

enum class Kind { Builder = STEIGER_KIND_BUILDER, Deployer = STEIGER_KIND_DEPLOYER };
const char* to_string(Kind);

struct LoadedPlugin;

struct PluginType {
  Kind kind;
  std::string name;
  std::string description;
  std::string schema_json;
  config::Schema schema;
  const steiger_type_descriptor* descriptor;
  const LoadedPlugin* plugin;
};

struct LoadedPlugin {
  std::filesystem::path path;
  std::string name;
  std::string version;
  std::string description;
  uint32_t sdk_major = 0;
  uint32_t sdk_minor = 0;
  std::vector<std::unique_ptr<PluginType>> types;
  boost::dll::shared_library library;
};

struct RefusedPlugin {
  std::filesystem::path path;
  std::string reason;
};

// Two plugins claiming one type: using that type is an error naming both files.
struct TypeConflict {
  Kind kind;
  std::string type;
  std::vector<std::filesystem::path> paths;
};

class Registry {
 public:
  // Loads every `steiger-*` library in each folder (missing folders are skipped).
  static Registry discover(const std::vector<std::filesystem::path>& search_path);

  const std::vector<std::filesystem::path>& search_path() const { return search_path_; }
  const std::vector<std::unique_ptr<LoadedPlugin>>& plugins() const { return plugins_; }
  const std::vector<RefusedPlugin>& refused() const { return refused_; }
  const std::vector<TypeConflict>& conflicts() const { return conflicts_; }

  // The type, or nullptr when nothing provides it. Throws UserError for a conflicting type.
  const PluginType* find(Kind kind, const std::string& name) const;
  std::vector<std::string> type_names(Kind kind) const;

  // Loads one library; exposed for tests. Returns the refusal reason, or empty on success.
  std::string load(const std::filesystem::path& file);

 private:
  void add_types(LoadedPlugin& plugin);

  std::vector<std::filesystem::path> search_path_;
  std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
  std::vector<RefusedPlugin> refused_;
  std::vector<TypeConflict> conflicts_;
  std::map<std::pair<Kind, std::string>, const PluginType*> types_;
};

}  // namespace steiger::plugins
