#include "plugins/registry.hpp"

#include "common/error.hpp"
#include "plugins/plugin_file.hpp"

#include <steiger/sdk/version.hpp>

#include <algorithm>
#include <cstddef>
#include <set>

namespace steiger::plugins {

namespace fs = std::filesystem;

const char* to_string(Kind k) {
  return k == Kind::Builder ? "builder" : "deployer";
}

namespace {

std::string version_text(uint32_t major, uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::string supported_text() {
  return "this steiger supports SDK " + std::to_string(sdk::version_major) + ".0 to " +
         version_text(sdk::version_major, sdk::version_minor);
}

// Reads a NUL-terminated string the plugin handed us, tolerating NULL.
std::string text_of(const char* s) {
  return s ? s : "";
}

}  // namespace

Registry Registry::discover(const std::vector<fs::path>& search_path) {
  Registry registry;
  registry.search_path_ = search_path;
  // A plugin file name found earlier on the path shadows the same name later on it, so a user's
  // own build of a stock plugin overrides the installed one.
  std::map<std::string, fs::path> seen;
  for (const auto& dir : search_path) {
    for (const auto& file : plugin_files_in(dir)) {
      auto name = file.filename().string();
      if (auto it = seen.find(name); it != seen.end()) {
        registry.refused_.push_back({file, "shadowed by " + it->second.string()});
        continue;
      }
      seen.emplace(name, file);
      std::string reason = registry.load(file);
      if (!reason.empty()) registry.refused_.push_back({file, reason});
    }
  }
  return registry;
}

std::string Registry::load(const fs::path& file) {
  auto plugin = std::make_unique<LoadedPlugin>();
  plugin->path = file;
  boost::dll::fs::error_code ec;
  // Local binding: two plugins may bundle different copies of the same helper library.
  plugin->library.load(file, boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local,
                       ec);
  if (ec) return "cannot be loaded: " + shared_library_error(file, ec.message());
  if (!plugin->library.has(STEIGER_PLUGIN_ENTRY_SYMBOL))
    return std::string("not a steiger plugin (it has no ") + STEIGER_PLUGIN_ENTRY_SYMBOL +
           " entry point)";
  auto& entry =
      plugin->library.get_alias<const steiger_plugin_descriptor*()>(STEIGER_PLUGIN_ENTRY_SYMBOL);
  const steiger_plugin_descriptor* d = entry();
  if (d == nullptr) return "its entry point returned no descriptor";

  // The version header first: nothing past it is trusted until the version is known.
  plugin->sdk_major = d->abi.major;
  plugin->sdk_minor = d->abi.minor;
  if (!sdk::host_accepts(d->abi.major, d->abi.minor))
    return "built against SDK " + version_text(d->abi.major, d->abi.minor) + ", but " +
           supported_text() + "; rebuild it against the installed SDK";
  if (d->abi.descriptor_size < offsetof(steiger_plugin_descriptor, types) + sizeof(void*))
    return "its descriptor is truncated (" + std::to_string(d->abi.descriptor_size) + " bytes)";

  plugin->name = text_of(d->name);
  plugin->version = text_of(d->version);
  plugin->description = text_of(d->description);
  if (plugin->name.empty()) return "its descriptor has no name";
  for (size_t i = 0; i < d->type_count; ++i) {
    const steiger_type_descriptor* t = &d->types[i];
    std::string type_name = text_of(t->name);
    if (t->struct_size < offsetof(steiger_type_descriptor, deploy) + sizeof(void*))
      return "type #" + std::to_string(i) + " has a truncated descriptor";
    if (type_name.empty()) return "type #" + std::to_string(i) + " has no name";
    Kind kind;
    if (t->kind == STEIGER_KIND_BUILDER && t->build != nullptr)
      kind = Kind::Builder;
    else if (t->kind == STEIGER_KIND_DEPLOYER && t->deploy != nullptr)
      kind = Kind::Deployer;
    else
      return "type '" + type_name + "' is neither a builder nor a deployer with an entry function";
    std::string schema_json = text_of(t->config_schema);
    try {
      auto type = std::make_unique<PluginType>(PluginType{
          kind, type_name, text_of(t->description), schema_json,
          config::Schema::parse(schema_json.empty() ? "{}" : schema_json), t, plugin.get()});
      plugin->types.push_back(std::move(type));
    } catch (const std::exception& e) {
      return "type '" + type_name + "': " + e.what();
    }
  }
  add_types(*plugin);
  plugins_.push_back(std::move(plugin));
  return {};
}

void Registry::add_types(LoadedPlugin& plugin) {
  for (const auto& type : plugin.types) {
    auto key = std::make_pair(type->kind, type->name);
    auto [it, inserted] = types_.emplace(key, type.get());
    if (inserted) continue;
    auto conflict = std::find_if(conflicts_.begin(), conflicts_.end(), [&](const TypeConflict& c) {
      return c.kind == type->kind && c.type == type->name;
    });
    if (conflict == conflicts_.end())
      conflicts_.push_back({type->kind, type->name, {it->second->plugin->path, plugin.path}});
    else
      conflict->paths.push_back(plugin.path);
  }
}

const PluginType* Registry::find(Kind kind, const std::string& name) const {
  for (const auto& c : conflicts_) {
    if (c.kind != kind || c.type != name) continue;
    std::string files;
    for (const auto& p : c.paths) files += (files.empty() ? "" : " and ") + p.string();
    throw UserError(std::string(to_string(kind)) + " type '" + name +
                    "' is provided by more than one plugin: " + files +
                    "; remove one of them or narrow --plugin-path / STEIGER_PLUGIN_PATH");
  }
  auto it = types_.find({kind, name});
  return it == types_.end() ? nullptr : it->second;
}

std::vector<std::string> Registry::type_names(Kind kind) const {
  std::vector<std::string> names;
  for (const auto& [key, type] : types_)
    if (key.first == kind) names.push_back(key.second);
  return names;
}

}  // namespace steiger::plugins
