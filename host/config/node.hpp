// The config as a YAML tree that remembers where each value came from, so every error can point
// at a file, line and column. yaml-cpp's own Node forgets key positions and accepts duplicate keys.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "config/mark.hpp"

namespace steiger::config {

struct Member;

struct Node {
  enum class Kind { Null, Bool, Int, Double, String, Array, Object };

  Kind kind = Kind::Null;
  bool boolean = false;
  std::int64_t integer = 0;
  double number = 0;
  // The value of a String; for the other scalars, their text as written (error messages and
  // build args want "1.10", not 1.1).
  std::string string;
  // An unquoted scalar: its type comes from its text, so substitution may change it.
  bool plain = false;
  Mark mark;
  std::vector<Node> items;      // Array
  std::vector<Member> members;  // Object, in file order

  bool is_null() const { return kind == Kind::Null; }
  bool is_string() const { return kind == Kind::String; }
  bool is_array() const { return kind == Kind::Array; }
  bool is_object() const { return kind == Kind::Object; }
  bool is_scalar() const { return kind != Kind::Array && kind != Kind::Object; }

  // The member's value, or nullptr when absent (or when this is not a map).
  const Node* find(std::string_view key) const;
  Node* find(std::string_view key);
};

struct Member {
  std::string key;
  Mark key_mark;
  Node value;
};

// The YAML 1.2 core schema's reading of an unquoted scalar: null, bool, int, float or string.
// Keeps `text` in node.string and leaves node.mark alone.
void resolve_plain_scalar(Node& node, std::string text);

// Throws ConfigError on YAML syntax errors, duplicate keys and non-scalar keys; an unreadable
// file is a ConfigError naming it. An empty document is a Null node.
Node parse_yaml_file(const std::filesystem::path& file);
Node parse_yaml_string(const std::string& text, const std::string& file_name);

// "a string", "a list", "a map", "an integer", "a number", "a boolean", "null".
std::string describe_kind(const Node& node);
std::string describe_kind(Node::Kind kind);

}  // namespace steiger::config
