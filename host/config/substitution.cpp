#include "config/substitution.hpp"

#include <cstring>
#include <map>

namespace steiger::config {

namespace {

bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

std::string unset_message(std::string_view name) {
  std::string n(name);
  return "variable '" + n +
         "' is not set: define it in a profile (-p PROFILE) or the environment, or give a default "
         "with ${" +
         n + ":value}";
}

// One pass over a string. Defaults are parsed even when they are not used, so a syntax error
// shows up whatever the variables hold.
class Expander {
 public:
  Expander(std::string_view text, const Lookup& lookup, const Mark& where)
      : text_(text), lookup_(lookup), where_(where) {}

  std::string run() { return expand(false, true); }

 private:
  // Reads to the end of the text, or (inside a default) to the '}' that closes it, which it
  // leaves for the caller.
  std::string expand(bool in_default, bool evaluate) {
    std::string out;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\\' && pos_ + 1 < text_.size() && std::strchr("$\\{}:", text_[pos_ + 1])) {
        out += text_[pos_ + 1];
        pos_ += 2;
        continue;
      }
      if (c == '}' && in_default) return out;
      if (c == '$' && pos_ + 1 < text_.size()) {
        char next = text_[pos_ + 1];
        if (next == '{') {
          out += braced(evaluate);
          continue;
        }
        if (is_name_start(next)) {
          size_t start = ++pos_;
          while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
          if (evaluate) out += require(text_.substr(start, pos_ - start));
          continue;
        }
      }
      out += c;
      ++pos_;
    }
    if (in_default) throw unterminated();
    return out;
  }

  // At "${": reads through the matching '}'.
  std::string braced(bool evaluate) {
    pos_ += 2;
    size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '}' && text_[pos_] != ':') ++pos_;
    if (pos_ == text_.size()) throw unterminated();
    std::string_view name = text_.substr(start, pos_ - start);
    if (!is_variable_name(name)) {
      std::string what =
          name.empty() ? "an empty variable name" : "bad variable name '" + std::string(name) + "'";
      throw ConfigError(where_, what + " in '" + std::string(text_) +
                                    "': names are letters, digits and '_', not starting with a "
                                    "digit (write \\$ for a literal '$')");
    }
    std::optional<std::string> value;
    if (evaluate) value = lookup_(name);
    if (text_[pos_] == '}') {
      ++pos_;
      if (!evaluate) return {};
      if (!value) throw ConfigError(where_, unset_message(name));
      return *value;
    }
    ++pos_;  // ':'
    const bool use_default = !value || value->empty();
    std::string fallback = expand(true, evaluate && use_default);
    ++pos_;  // '}'
    if (!evaluate) return {};
    return use_default ? fallback : *value;
  }

  std::string require(std::string_view name) {
    std::optional<std::string> value = lookup_(name);
    if (!value) throw ConfigError(where_, unset_message(name));
    return *value;
  }

  ConfigError unterminated() const {
    return ConfigError(where_, "unterminated '${' in '" + std::string(text_) +
                                   "': close it with '}' (or write \\$ for a literal '$')");
  }

  std::string_view text_;
  const Lookup& lookup_;
  const Mark& where_;
  size_t pos_ = 0;
};

bool needs_substitution(const std::string& s) {
  return s.find_first_of("$\\") != std::string::npos;
}

}  // namespace

bool is_variable_name(std::string_view name) {
  if (name.empty() || !is_name_start(name[0])) return false;
  for (char c : name)
    if (!is_name_char(c)) return false;
  return true;
}

std::string substitute(std::string_view text, const Lookup& lookup, const Mark& where) {
  return Expander(text, lookup, where).run();
}

void substitute_tree(Node& node, const Lookup& lookup) {
  switch (node.kind) {
    case Node::Kind::String: {
      if (!needs_substitution(node.string)) return;
      std::string out = substitute(node.string, lookup, node.mark);
      if (!node.plain || out == node.string) {
        node.string = std::move(out);
      } else if (out.empty()) {
        // `tag: ${TAG:}` means "no tag", not null.
        node.string.clear();
      } else {
        resolve_plain_scalar(node, std::move(out));
      }
      return;
    }
    case Node::Kind::Array:
      for (Node& item : node.items) substitute_tree(item, lookup);
      return;
    case Node::Kind::Object: {
      bool renamed = false;
      for (Member& m : node.members) {
        if (needs_substitution(m.key)) {
          std::string key = substitute(m.key, lookup, m.key_mark);
          renamed = renamed || key != m.key;
          m.key = std::move(key);
        }
        substitute_tree(m.value, lookup);
      }
      if (!renamed) return;
      std::map<std::string_view, const Member*> seen;
      for (const Member& m : node.members) {
        auto [it, fresh] = seen.emplace(m.key, &m);
        if (!fresh)
          throw ConfigError(m.key_mark,
                            "key '" + m.key + "' after substitution repeats the key at line " +
                                std::to_string(it->second->key_mark.line) + ", column " +
                                std::to_string(it->second->key_mark.column));
      }
      return;
    }
    default:
      return;
  }
}

}  // namespace steiger::config
