// Shorthands for config blocks in tests.
#pragma once

#include <steiger/sdk/value.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace stock_plugins_test {

using steiger::sdk::Value;

inline Value str(std::string s) {
  return Value(std::move(s));
}
inline Value num(std::int64_t i) {
  return Value(i);
}
inline Value boolean(bool b) {
  return Value(b);
}
inline Value arr(std::vector<Value> items) {
  return Value(std::move(items));
}
inline Value obj(Value::Object members) {
  return Value(std::move(members));
}

// Resolves config paths the way BuildContext::resolve does, against /repo.
inline std::string resolve_in_repo(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  return path.empty() || path == "." ? "/repo" : "/repo/" + path;
}

}  // namespace stock_plugins_test
