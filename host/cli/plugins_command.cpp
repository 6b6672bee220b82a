#include "cli/commands.hpp"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cstdio>

namespace steiger::cli {

namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void write_string(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void print_json(const plugins::Registry& registry) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("searchPath");
  w.StartArray();
  for (const auto& p : registry.search_path()) w.String(p.c_str());
  w.EndArray();
  w.Key("plugins");
  w.StartArray();
  for (const auto& plugin : registry.plugins()) {
    w.StartObject();
    write_string(w, "name", plugin->name);
    write_string(w, "version", plugin->version);
    write_string(w, "sdk",
                 std::to_string(plugin->sdk_major) + "." + std::to_string(plugin->sdk_minor));
    write_string(w, "path", plugin->path.string());
    write_string(w, "description", plugin->description);
    w.Key("types");
    w.StartArray();
    for (const auto& type : plugin->types) {
      w.StartObject();
      write_string(w, "kind", plugins::to_string(type->kind));
      write_string(w, "name", type->name);
      write_string(w, "description", type->description);
      // The schema as an object, so editors and docs generators can use it directly.
      rapidjson::Document schema;
      schema.Parse(type->schema_json.empty() ? "{}" : type->schema_json.c_str());
      w.Key("schema");
      schema.Accept(w);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("refused");
  w.StartArray();
  for (const auto& r : registry.refused()) {
    w.StartObject();
    write_string(w, "path", r.path.string());
    write_string(w, "reason", r.reason);
    w.EndObject();
  }
  w.EndArray();
  w.Key("conflicts");
  w.StartArray();
  for (const auto& c : registry.conflicts()) {
    w.StartObject();
    write_string(w, "kind", plugins::to_string(c.kind));
    write_string(w, "type", c.type);
    w.Key("paths");
    w.StartArray();
    for (const auto& p : c.paths) w.String(p.c_str());
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::printf("%s\n", buf.GetString());
}

void print_text(const plugins::Registry& registry) {
  std::printf("Plugin folders, in search order:\n");
  for (const auto& p : registry.search_path()) std::printf("  %s\n", p.c_str());
  if (registry.plugins().empty()) {
    std::printf(
        "\nNo plugins found. Install plugin packages, or point --plugin-path or "
        "STEIGER_PLUGIN_PATH at a folder holding steiger-*.so files.\n");
  } else {
    std::printf("\nPlugins:\n");
  }
  for (const auto& plugin : registry.plugins()) {
    std::printf("  %s %s (SDK %u.%u)  %s\n", plugin->name.c_str(), plugin->version.c_str(),
                plugin->sdk_major, plugin->sdk_minor, plugin->path.c_str());
    for (const auto& type : plugin->types)
      std::printf("    %-8s %-14s %s\n", plugins::to_string(type->kind), type->name.c_str(),
                  type->description.c_str());
  }
  if (!registry.refused().empty()) {
    std::printf("\nRefused:\n");
    for (const auto& r : registry.refused())
      std::printf("  %s\n    %s\n", r.path.c_str(), r.reason.c_str());
  }
  if (!registry.conflicts().empty()) {
    std::printf("\nConflicts (a type provided twice cannot be used until one goes):\n");
    for (const auto& c : registry.conflicts()) {
      std::printf("  %s type '%s':\n", plugins::to_string(c.kind), c.type.c_str());
      for (const auto& p : c.paths) std::printf("    %s\n", p.c_str());
    }
  }
}

}  // namespace

int plugins_command(const ParsedCommand& command) {
  auto registry = discover_plugins(command.global);
  if (command.vars["json"].as<bool>())
    print_json(registry);
  else
    print_text(registry);
  // Refusals are normal (a stale plugin in a folder); a conflict makes types unusable.
  return registry.conflicts().empty() ? kOk : kFailed;
}

}  // namespace steiger::cli
