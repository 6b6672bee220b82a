#include "config/loader.hpp"

#include <algorithm>
#include <cctype>
#include <system_error>

#include "common/error.hpp"
#include "common/text.hpp"
#include "config/did_you_mean.hpp"
#include "config/path.hpp"
#include "config/substitution.hpp"
#include "config/variables.hpp"

namespace steiger::config {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kTopLevelKeys = {"build",       "deploy",    "insecureRegistries",
                                                "defaultRepo", "tagFormat", "profiles"};

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Messages name the file the way the user would type it: relative to where they stand when it
// is below, absolute otherwise.
std::string display_name(const fs::path& file) {
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (!ec) {
    const fs::path rel = file.lexically_relative(cwd);
    if (!rel.empty() && *rel.begin() != "..") return rel.string();
  }
  return file.string();
}

fs::path absolute_dir(const fs::path& dir) {
  fs::path out = dir.empty() ? fs::current_path() : fs::absolute(dir).lexically_normal();
  // "/a/b/" and "/a/b" are the same project.
  if (!out.has_filename() && out.has_relative_path()) out = out.parent_path();
  return out;
}

// The scalar's text as written: tagFormat: 1 is the tag "1".
std::optional<std::string> scalar_text(const Node& node) {
  if (!node.is_scalar() || node.is_null()) return std::nullopt;
  return node.string;
}

std::map<std::string, std::map<std::string, std::string>> read_profiles(const Node& section) {
  std::map<std::string, std::map<std::string, std::string>> profiles;
  if (section.is_null()) return profiles;
  if (!section.is_object())
    throw ConfigError(section.mark, "profiles: expected a map of profile name -> variables, got " +
                                        describe_kind(section));
  for (const Member& profile : section.members) {
    const std::string path = child_path("profiles", profile.key);
    auto& vars = profiles[profile.key];
    if (profile.value.is_null()) continue;
    if (!profile.value.is_object())
      throw ConfigError(profile.value.mark, path + ": expected a map of variable -> value, got " +
                                                describe_kind(profile.value));
    for (const Member& var : profile.value.members) {
      if (!var.value.is_scalar())
        throw ConfigError(var.value.mark,
                          child_path(path, var.key) +
                              ": profile variables are plain values (strings, numbers, "
                              "booleans), not " +
                              describe_kind(var.value));
      // Taken literally: a profile is where values come from, not where they are looked up.
      vars[var.key] = var.value.string;
    }
  }
  return profiles;
}

std::map<std::string, std::string> select_profile(
    const Config& config, const Member* section,
    const std::map<std::string, std::map<std::string, std::string>>& profiles,
    const std::string& file) {
  if (!config.profile) return {};
  const std::string& wanted = *config.profile;
  if (profiles.empty())
    throw ConfigError(section ? section->key_mark : Mark{file},
                      "profile '" + wanted +
                          "' was selected with -p, but the config defines no profiles: add it "
                          "under profiles: or leave out -p");
  auto it = profiles.find(wanted);
  if (it != profiles.end()) return it->second;
  std::vector<std::string> names;  // file order reads better than sorted
  for (const Member& m : section->value.members) names.push_back(m.key);
  std::string msg = "unknown profile '" + wanted + "' (selected with -p)";
  if (auto guess = closest_name(wanted, names))
    msg += "; did you mean '" + *guess + "'? (defined: " + text::join(names, ", ") + ")";
  else
    msg += "; defined profiles: " + text::join(names, ", ");
  throw ConfigError(section->key_mark, msg);
}

void check_block_name(const Member& m, const std::string& section) {
  if (is_valid_block_name(m.key)) return;
  const std::string what = section == "build" ? "service" : "release";
  std::string lower = m.key;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  if (is_valid_block_name(lower))
    throw ConfigError(m.key_mark, what + " name '" + m.key + "' must be lowercase: write '" +
                                      lower + "' (names become image and file names)");
  throw ConfigError(m.key_mark, what + " name '" + m.key +
                                    "' is not valid: names become image and file names, so use "
                                    "lowercase letters and digits, joined by single '.', '_' or "
                                    "'-'");
}

std::vector<Block> read_blocks(const Node* section, const std::string& name) {
  std::vector<Block> blocks;
  if (!section || section->is_null()) return blocks;
  const bool build = name == "build";
  if (!section->is_object())
    throw ConfigError(section->mark, name + ": expected a map of " +
                                         (build ? "service" : "release") + " name -> block, got " +
                                         describe_kind(*section));
  for (const Member& m : section->members) {
    const std::string path = child_path(name, m.key);
    check_block_name(m, name);
    const std::string example = build ? "type: docker" : "type: helm";
    if (!m.value.is_object())
      throw ConfigError(m.value.is_null() ? m.key_mark : m.value.mark,
                        path + ": expected a map with a 'type' (" + example +
                            ") and its settings, got " + describe_kind(m.value));
    const Node* type = m.value.find("type");
    if (!type)
      throw ConfigError(m.key_mark, path + ": missing 'type' (the " +
                                        (build ? "builder" : "deployer") + " to use, as in " +
                                        example + ")");
    if (!type->is_string() || type->string.empty())
      throw ConfigError(type->mark, path + ".type: expected the name of a " +
                                        (build ? "builder" : "deployer") + " (" + example +
                                        "), got " + describe_kind(*type));
    Block block;
    block.name = m.key;
    block.type = type->string;
    block.mark = m.key_mark;
    block.type_mark = type->mark;
    block.body = m.value;
    auto& members = block.body.members;
    members.erase(std::remove_if(members.begin(), members.end(),
                                 [](const Member& b) { return b.key == "type"; }),
                  members.end());
    blocks.push_back(std::move(block));
  }
  return blocks;
}

std::vector<std::string> read_insecure_registries(const Node* section) {
  std::vector<std::string> out;
  if (!section || section->is_null()) return out;
  if (!section->is_array())
    throw ConfigError(section->mark, "insecureRegistries: expected a list of registry hosts, got " +
                                         describe_kind(*section));
  for (size_t i = 0; i < section->items.size(); ++i) {
    const Node& item = section->items[i];
    if (!item.is_string())
      throw ConfigError(item.mark, item_path("insecureRegistries", i) +
                                       ": expected a registry host (a string), got " +
                                       describe_kind(item));
    out.push_back(item.string);
  }
  return out;
}

std::string tag_rules() {
  return "a tag is letters, digits, '_', '.' and '-', does not start with '.' or '-', and is at "
         "most 128 characters";
}

}  // namespace

bool is_valid_block_name(std::string_view name) {
  size_t i = 0;
  while (true) {
    const size_t start = i;
    while (i < name.size() && is_lower_alnum(name[i])) ++i;
    if (i == start) return false;
    if (i == name.size()) return true;
    if (name[i] != '.' && name[i] != '_' && name[i] != '-') return false;
    ++i;
  }
}

bool is_valid_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > 128) return false;
  for (size_t i = 0; i < tag.size(); ++i) {
    const char c = tag[i];
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!word && (i == 0 || (c != '.' && c != '-'))) return false;
  }
  return true;
}

fs::path find_config_file(const fs::path& dir, const std::optional<fs::path>& explicit_file) {
  std::error_code ec;
  if (explicit_file) {
    const fs::path file = (dir / *explicit_file).lexically_normal();
    if (!fs::exists(file, ec))
      throw UserError("config file " + file.string() + " (given with -c) does not exist");
    if (fs::is_directory(file, ec))
      throw UserError("config file " + file.string() +
                      " (given with -c) is a directory: -c names a file, -d the project directory");
    return file;
  }
  for (const char* name : {"steiger.yml", "steiger.yaml"}) {
    const fs::path file = dir / name;
    if (fs::exists(file, ec) && !fs::is_directory(file, ec)) return file;
  }
  throw UserError("no steiger.yml or steiger.yaml in " + dir.string() +
                  ": run steiger in the project directory, point to it with -d DIR, or name the "
                  "config file with -c FILE");
}

Config load_config(const LoadOptions& options) {
  Config config;
  config.dir = absolute_dir(options.dir);
  std::error_code ec;
  if (!fs::is_directory(config.dir, ec))
    throw UserError("project directory " + config.dir.string() + " does not exist");
  config.file = find_config_file(config.dir, options.config_file);
  config.profile = options.profile;
  const std::string file_name = display_name(config.file);

  Node root = parse_yaml_file(file_name);
  if (root.is_null()) root.kind = Node::Kind::Object;  // an empty file configures nothing
  if (!root.is_object())
    throw ConfigError(root.mark, "the top level must be a map (build:, deploy:, ...), got " +
                                     describe_kind(root));
  for (const Member& m : root.members) {
    if (std::find(kTopLevelKeys.begin(), kTopLevelKeys.end(), m.key) != kTopLevelKeys.end())
      continue;
    std::string msg = "unknown top-level key '" + m.key + "'";
    if (auto guess = closest_name(m.key, kTopLevelKeys))
      msg += "; did you mean '" + *guess + "'?";
    else
      msg += "; allowed keys: " + text::join(kTopLevelKeys, ", ");
    throw ConfigError(m.key_mark, msg);
  }
  auto member = [&](std::string_view key) -> Member* {
    for (Member& m : root.members)
      if (m.key == key) return &m;
    return nullptr;
  };

  const Member* profiles = member("profiles");
  if (profiles) config.profiles = read_profiles(profiles->value);
  const auto profile_vars = select_profile(config, profiles, config.profiles, file_name);

  config.git = git_variables(config.dir, options.run_command);
  const Lookup lookup = make_lookup(profile_vars, config.git, options.use_environment);

  for (const char* key : {"build", "deploy", "insecureRegistries", "defaultRepo"})
    if (Member* m = member(key)) substitute_tree(m->value, lookup);

  if (Member* m = member("build")) config.builds = read_blocks(&m->value, "build");
  if (Member* m = member("deploy")) config.deploys = read_blocks(&m->value, "deploy");
  if (Member* m = member("insecureRegistries"))
    config.insecure_registries = read_insecure_registries(&m->value);
  if (Member* m = member("defaultRepo"); m && !m->value.is_null()) {
    if (!m->value.is_string())
      throw ConfigError(m->value.mark, "defaultRepo: expected a repository (a string), got " +
                                           describe_kind(m->value));
    config.default_repo = m->value.string;
  }

  const Member* tag_format = member("tagFormat");
  if (tag_format && !tag_format->value.is_null()) {
    auto text = scalar_text(tag_format->value);
    if (!text)
      throw ConfigError(tag_format->value.mark,
                        "tagFormat: expected a string, got " + describe_kind(tag_format->value));
    config.tag_format = *text;
    config.tag = substitute(config.tag_format, lookup, tag_format->value.mark);
    if (!is_valid_tag(config.tag))
      throw ConfigError(tag_format->value.mark,
                        "tagFormat: the tag came out as '" + config.tag +
                            "', which is not a valid image tag: " + tag_rules());
  } else {
    config.tag_format = kDefaultTagFormat;
    config.tag = substitute(config.tag_format, lookup, Mark{file_name});
    if (!is_valid_tag(config.tag))
      throw ConfigError(Mark{file_name}, std::string("the default tagFormat (") +
                                             kDefaultTagFormat + ") gave the tag '" + config.tag +
                                             "', which is not a valid image tag (" + tag_rules() +
                                             "): set tagFormat in the config");
  }
  return config;
}

}  // namespace steiger::config
