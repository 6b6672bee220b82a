// A configuration value owned by the plugin: a copy of the host's steiger_value tree.
#pragma once

#include <steiger/sdk/abi.h>

#include <charconv>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace steiger::sdk {

class Value {
 public:
  using Array = std::vector<Value>;
  // Keeps the order of the config file: plans and command lines follow it.
  using Object = std::vector<std::pair<std::string, Value>>;

  Value() = default;
  explicit Value(bool b) : data_(b) {}
  explicit Value(std::int64_t i) : data_(i) {}
  explicit Value(double d) : data_(d) {}
  explicit Value(std::string s) : data_(std::move(s)) {}
  // Without these, a string literal would pick the bool constructor and an int be ambiguous.
  explicit Value(const char* s) : data_(std::string(s)) {}
  explicit Value(int i) : data_(std::int64_t{i}) {}
  explicit Value(Array a) : data_(std::move(a)) {}
  explicit Value(Object o) : data_(std::move(o)) {}

  static Value from_abi(const steiger_value* v) {
    if (v == nullptr) return {};
    switch (v->kind) {
      case STEIGER_VALUE_BOOL:
        return with_text(Value(v->boolean != 0), v);
      case STEIGER_VALUE_INT:
        return with_text(Value(static_cast<std::int64_t>(v->integer)), v);
      case STEIGER_VALUE_DOUBLE:
        return with_text(Value(v->number), v);
      case STEIGER_VALUE_STRING:
        return Value(text_of(v->string));
      case STEIGER_VALUE_ARRAY: {
        Array a;
        a.reserve(v->count);
        for (size_t i = 0; i < v->count; ++i) a.push_back(from_abi(&v->items[i]));
        return Value(std::move(a));
      }
      case STEIGER_VALUE_OBJECT: {
        Object o;
        o.reserve(v->count);
        for (size_t i = 0; i < v->count; ++i)
          o.emplace_back(text_of(v->keys[i]), from_abi(&v->items[i]));
        return Value(std::move(o));
      }
      default:
        return {};
    }
  }

  bool is_null() const { return std::holds_alternative<std::monostate>(data_); }
  bool is_bool() const { return std::holds_alternative<bool>(data_); }
  bool is_int() const { return std::holds_alternative<std::int64_t>(data_); }
  bool is_number() const { return is_int() || std::holds_alternative<double>(data_); }
  bool is_string() const { return std::holds_alternative<std::string>(data_); }
  bool is_array() const { return std::holds_alternative<Array>(data_); }
  bool is_object() const { return std::holds_alternative<Object>(data_); }

  bool as_bool() const { return get<bool>("a boolean"); }
  std::int64_t as_int() const { return get<std::int64_t>("an integer"); }
  double as_double() const {
    if (is_int()) return static_cast<double>(as_int());
    return get<double>("a number");
  }
  const std::string& as_string() const { return get<std::string>("a string"); }
  const Array& as_array() const { return get<Array>("an array"); }
  const Object& as_object() const { return get<Object>("an object"); }

  // A member of an object, or a null value when absent (or when this is not an object).
  const Value& operator[](const std::string& key) const {
    static const Value null_value;
    if (!is_object()) return null_value;
    for (const auto& [k, v] : std::get<Object>(data_))
      if (k == key) return v;
    return null_value;
  }
  bool contains(const std::string& key) const { return !(*this)[key].is_null(); }

  std::string string_or(const std::string& key, std::string fallback) const {
    const Value& v = (*this)[key];
    return v.is_string() ? v.as_string() : fallback;
  }
  bool bool_or(const std::string& key, bool fallback) const {
    const Value& v = (*this)[key];
    return v.is_bool() ? v.as_bool() : fallback;
  }
  std::int64_t int_or(const std::string& key, std::int64_t fallback) const {
    const Value& v = (*this)[key];
    return v.is_int() ? v.as_int() : fallback;
  }
  double double_or(const std::string& key, double fallback) const {
    const Value& v = (*this)[key];
    return v.is_number() ? v.as_double() : fallback;
  }
  // A list of strings; absent means empty.
  std::vector<std::string> strings(const std::string& key) const {
    std::vector<std::string> out;
    const Value& v = (*this)[key];
    if (v.is_array())
      for (const auto& item : v.as_array()) out.push_back(item.as_string());
    return out;
  }
  // A string-to-string map in file order; absent means empty.
  std::vector<std::pair<std::string, std::string>> string_map(const std::string& key) const {
    std::vector<std::pair<std::string, std::string>> out;
    const Value& v = (*this)[key];
    if (v.is_object())
      for (const auto& [k, item] : v.as_object()) out.emplace_back(k, item.scalar_text());
    return out;
  }
  // A scalar as text, the way it was written in the config (numbers and booleans too, for build
  // args: `1.10` stays "1.10"); values made in code get their shortest form.
  std::string scalar_text() const {
    if (is_string()) return as_string();
    if (!text_.empty()) return text_;
    if (is_bool()) return as_bool() ? "true" : "false";
    if (is_int()) return std::to_string(as_int());
    if (const double* d = std::get_if<double>(&data_)) {
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
      return ec == std::errc() ? std::string(buf, end) : std::to_string(*d);
    }
    return {};
  }

 private:
  static std::string text_of(steiger_str s) {
    return s.data ? std::string(s.data, s.size) : std::string();
  }
  static Value with_text(Value v, const steiger_value* abi) {
    v.text_ = text_of(abi->string);
    return v;
  }

  template <class T>
  const T& get(const char* what) const {
    if (const T* p = std::get_if<T>(&data_)) return *p;
    throw std::runtime_error(std::string("config value is not ") + what);
  }

  std::variant<std::monostate, bool, std::int64_t, double, std::string, Array, Object> data_;
  std::string text_;  // a scalar's text as written, when it came from a config
};

}  // namespace steiger::sdk
