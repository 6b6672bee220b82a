#include "config/schema.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <regex>
#include <stdexcept>

#include "common/text.hpp"
#include "config/did_you_mean.hpp"
#include "config/path.hpp"

namespace steiger::config {

namespace {

enum TypeBit : unsigned {
  kNull = 1u << 0,
  kBoolean = 1u << 1,
  kInteger = 1u << 2,
  kNumber = 1u << 3,
  kString = 1u << 4,
  kArray = 1u << 5,
  kObject = 1u << 6,
};

struct TypeName {
  const char* json;
  unsigned bit;
  const char* described;
};

constexpr TypeName kTypes[] = {
    {"string", kString, "a string"}, {"integer", kInteger, "an integer"},
    {"number", kNumber, "a number"}, {"boolean", kBoolean, "a boolean"},
    {"object", kObject, "a map"},    {"array", kArray, "a list"},
    {"null", kNull, "null"},
};

std::string format_number(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  if (ec != std::errc()) return std::to_string(d);
  return std::string(buf, end);
}

double numeric(const Node& node) {
  return node.kind == Node::Kind::Int ? static_cast<double>(node.integer) : node.number;
}

// An enum or const member: JSON scalars only, so comparing with a Node stays simple.
struct Scalar {
  enum class Kind { Null, Bool, Number, String } kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  std::string string;

  std::string display() const {
    switch (kind) {
      case Kind::Null:
        return "null";
      case Kind::Bool:
        return boolean ? "true" : "false";
      case Kind::Number:
        return format_number(number);
      case Kind::String:
        return string;
    }
    return {};
  }

  bool matches(const Node& node) const {
    switch (kind) {
      case Kind::Null:
        return node.kind == Node::Kind::Null;
      case Kind::Bool:
        return node.kind == Node::Kind::Bool && node.boolean == boolean;
      case Kind::Number:
        return (node.kind == Node::Kind::Int || node.kind == Node::Kind::Double) &&
               numeric(node) == number;
      case Kind::String:
        return node.kind == Node::Kind::String && node.string == string;
    }
    return false;
  }
};

std::string display_value(const Node& node) {
  if (node.kind == Node::Kind::String) return "'" + node.string + "'";
  if (node.kind == Node::Kind::Null) return "null";
  if (node.kind == Node::Kind::Array) return "a list";
  if (node.kind == Node::Kind::Object) return "a map";
  if (!node.string.empty()) return node.string;
  if (node.kind == Node::Kind::Bool) return node.boolean ? "true" : "false";
  if (node.kind == Node::Kind::Int) return std::to_string(node.integer);
  return format_number(node.number);
}

size_t code_points(const std::string& s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string plural(uint64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

struct Schema::Compiled {
  struct Rule {
    bool never = false;  // the `false` schema
    unsigned types = 0;  // TypeBit mask; 0 accepts every type
    std::vector<std::pair<std::string, size_t>> properties;
    std::vector<std::string> property_names;
    std::vector<std::string> required;
    enum class Extra { Allow, Forbid, Check } extra = Extra::Allow;
    size_t extra_rule = 0;
    std::optional<size_t> items;
    bool has_enum = false;
    std::vector<Scalar> enum_values;
    std::optional<Scalar> const_value;
    std::optional<uint64_t> min_items, max_items, min_length, min_properties;
    std::optional<double> minimum, maximum;
    std::optional<std::regex> pattern;
    std::string pattern_text;
  };

  std::vector<Rule> rules;  // rules[0] is the root

  size_t compile(const rapidjson::Value& v, const std::string& where);
  void check(size_t rule, const Node& node, const std::string& path,
             std::vector<SchemaError>& out) const;
};

namespace {

using Rule = Schema::Compiled::Rule;

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw std::invalid_argument("invalid config schema at " + (where.empty() ? "/" : where) + ": " +
                              what);
}

uint64_t count_keyword(const rapidjson::Value& v, const std::string& where) {
  if (!v.IsUint64()) bad(where, "must be a non-negative integer");
  return v.GetUint64();
}

double number_keyword(const rapidjson::Value& v, const std::string& where) {
  if (!v.IsNumber()) bad(where, "must be a number");
  return v.GetDouble();
}

Scalar scalar_keyword(const rapidjson::Value& v, const std::string& where) {
  Scalar s;
  if (v.IsNull()) {
    s.kind = Scalar::Kind::Null;
  } else if (v.IsBool()) {
    s.kind = Scalar::Kind::Bool;
    s.boolean = v.GetBool();
  } else if (v.IsNumber()) {
    s.kind = Scalar::Kind::Number;
    s.number = v.GetDouble();
  } else if (v.IsString()) {
    s.kind = Scalar::Kind::String;
    s.string.assign(v.GetString(), v.GetStringLength());
  } else {
    bad(where, "only scalar values (strings, numbers, booleans, null) are supported");
  }
  return s;
}

unsigned type_bit(const rapidjson::Value& v, const std::string& where) {
  if (v.IsString()) {
    std::string_view name(v.GetString(), v.GetStringLength());
    for (const TypeName& t : kTypes)
      if (name == t.json) return t.bit;
  }
  bad(where, "a type must be one of string, integer, number, boolean, object, array, null");
}

bool is_annotation(std::string_view key) {
  return key == "description" || key == "title" || key == "default" || key == "examples" ||
         key == "$schema" || key == "$id" || key == "$comment";
}

}  // namespace

size_t Schema::Compiled::compile(const rapidjson::Value& v, const std::string& where) {
  const size_t index = rules.size();
  rules.emplace_back();
  if (v.IsBool()) {
    rules[index].never = !v.GetBool();
    return index;
  }
  if (!v.IsObject()) bad(where, "a schema must be an object or a boolean");
  // Children are compiled into `rules` too, which may move it: build this one aside.
  Rule rule;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    const std::string key(it->name.GetString(), it->name.GetStringLength());
    const std::string at = where + "/" + key;
    const rapidjson::Value& value = it->value;
    if (is_annotation(key)) continue;
    if (key == "type") {
      if (value.IsArray()) {
        for (const auto& t : value.GetArray()) rule.types |= type_bit(t, at);
      } else {
        rule.types = type_bit(value, at);
      }
    } else if (key == "properties") {
      if (!value.IsObject()) bad(at, "must be an object of schemas");
      for (auto p = value.MemberBegin(); p != value.MemberEnd(); ++p) {
        std::string name(p->name.GetString(), p->name.GetStringLength());
        size_t child = compile(p->value, at + "/" + name);
        rule.property_names.push_back(name);
        rule.properties.emplace_back(std::move(name), child);
      }
    } else if (key == "required") {
      if (!value.IsArray()) bad(at, "must be an array of strings");
      for (const auto& r : value.GetArray()) {
        if (!r.IsString()) bad(at, "must be an array of strings");
        rule.required.emplace_back(r.GetString(), r.GetStringLength());
      }
    } else if (key == "additionalProperties") {
      if (value.IsBool()) {
        rule.extra = value.GetBool() ? Rule::Extra::Allow : Rule::Extra::Forbid;
      } else if (value.IsObject()) {
        rule.extra = Rule::Extra::Check;
        rule.extra_rule = compile(value, at);
      } else {
        bad(at, "must be a boolean or a schema");
      }
    } else if (key == "items") {
      if (value.IsArray()) bad(at, "an array of schemas (tuple validation) is not supported");
      rule.items = compile(value, at);
    } else if (key == "enum") {
      if (!value.IsArray() || value.Empty()) bad(at, "must be a non-empty array");
      rule.has_enum = true;
      for (const auto& e : value.GetArray()) rule.enum_values.push_back(scalar_keyword(e, at));
    } else if (key == "const") {
      rule.const_value = scalar_keyword(value, at);
    } else if (key == "minItems") {
      rule.min_items = count_keyword(value, at);
    } else if (key == "maxItems") {
      rule.max_items = count_keyword(value, at);
    } else if (key == "minLength") {
      rule.min_length = count_keyword(value, at);
    } else if (key == "minProperties") {
      rule.min_properties = count_keyword(value, at);
    } else if (key == "minimum") {
      rule.minimum = number_keyword(value, at);
    } else if (key == "maximum") {
      rule.maximum = number_keyword(value, at);
    } else if (key == "pattern") {
      if (!value.IsString()) bad(at, "must be a string");
      rule.pattern_text.assign(value.GetString(), value.GetStringLength());
      try {
        rule.pattern.emplace(rule.pattern_text, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        bad(at, "'" + rule.pattern_text + "' is not a valid regular expression: " + e.what());
      }
    } else {
      bad(at, "unsupported keyword '" + key + "'");
    }
  }
  rules[index] = std::move(rule);
  return index;
}

namespace {

bool type_matches(unsigned types, const Node& node) {
  switch (node.kind) {
    case Node::Kind::Null:
      return types & kNull;
    case Node::Kind::Bool:
      return types & kBoolean;
    case Node::Kind::Int:
      return types & (kInteger | kNumber);
    case Node::Kind::Double:
      // JSON Schema counts 2.0 as an integer.
      return (types & kNumber) || ((types & kInteger) && std::isfinite(node.number) &&
                                   node.number == std::trunc(node.number));
    case Node::Kind::String:
      return types & kString;
    case Node::Kind::Array:
      return types & kArray;
    case Node::Kind::Object:
      return types & kObject;
  }
  return false;
}

std::string expected_types(unsigned types) {
  std::vector<std::string> names;
  for (const TypeName& t : kTypes)
    if (types & t.bit) names.push_back(t.described);
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

std::string type_message(unsigned types, const Node& node) {
  std::string msg = "expected " + expected_types(types) + ", got " + describe_kind(node);
  if (node.is_scalar() && !node.is_null()) msg += " (" + display_value(node) + ")";
  // YAML reads `tag: 1.10` as a number; the fix is not obvious to everyone.
  if ((types & kString) && node.plain && node.is_scalar() && !node.is_string() && !node.is_null())
    msg += "; quote it (\"" + node.string + "\") to make it a string";
  return msg;
}

}  // namespace

void Schema::Compiled::check(size_t index, const Node& node, const std::string& path,
                             std::vector<SchemaError>& out) const {
  const Rule& rule = rules[index];
  auto fail = [&](const Mark& mark, const std::string& at, std::string message) {
    out.push_back(SchemaError{mark, at, std::move(message)});
  };
  if (rule.never) {
    fail(node.mark, path, "no value is allowed here");
    return;
  }
  if (rule.types && !type_matches(rule.types, node)) {
    fail(node.mark, path, type_message(rule.types, node));
    return;
  }
  if (rule.has_enum && std::none_of(rule.enum_values.begin(), rule.enum_values.end(),
                                    [&](const Scalar& s) { return s.matches(node); })) {
    std::vector<std::string> shown, strings;
    for (const Scalar& s : rule.enum_values) {
      shown.push_back(s.display());
      if (s.kind == Scalar::Kind::String) strings.push_back(s.string);
    }
    std::string msg =
        "must be one of: " + text::join(shown, ", ") + " (got " + display_value(node) + ")";
    if (node.is_string()) {
      if (auto guess = closest_name(node.string, strings))
        msg += "; did you mean '" + *guess + "'?";
    }
    fail(node.mark, path, msg);
  }
  if (rule.const_value && !rule.const_value->matches(node)) {
    fail(node.mark, path,
         "must be " + rule.const_value->display() + " (got " + display_value(node) + ")");
  }

  switch (node.kind) {
    case Node::Kind::String:
      if (rule.min_length && code_points(node.string) < *rule.min_length) {
        fail(node.mark, path,
             "must be at least " + plural(*rule.min_length, "character") + " long (got '" +
                 node.string + "')");
      }
      if (rule.pattern && !std::regex_search(node.string, *rule.pattern)) {
        fail(node.mark, path,
             "must match the pattern '" + rule.pattern_text + "' (got '" + node.string + "')");
      }
      break;
    case Node::Kind::Int:
    case Node::Kind::Double:
      if (rule.minimum && numeric(node) < *rule.minimum) {
        fail(node.mark, path,
             "must be at least " + format_number(*rule.minimum) + " (got " + display_value(node) +
                 ")");
      }
      if (rule.maximum && numeric(node) > *rule.maximum) {
        fail(node.mark, path,
             "must be at most " + format_number(*rule.maximum) + " (got " + display_value(node) +
                 ")");
      }
      break;
    case Node::Kind::Array:
      if (rule.min_items && node.items.size() < *rule.min_items) {
        fail(node.mark, path,
             "must have at least " + plural(*rule.min_items, "item") + " (got " +
                 std::to_string(node.items.size()) + ")");
      }
      if (rule.max_items && node.items.size() > *rule.max_items) {
        fail(node.mark, path,
             "must have at most " + plural(*rule.max_items, "item") + " (got " +
                 std::to_string(node.items.size()) + ")");
      }
      if (rule.items) {
        for (size_t i = 0; i < node.items.size(); ++i)
          check(*rule.items, node.items[i], item_path(path, i), out);
      }
      break;
    case Node::Kind::Object: {
      if (rule.min_properties && node.members.size() < *rule.min_properties) {
        fail(node.mark, path,
             "must have at least " + plural(*rule.min_properties, "key") + " (got " +
                 std::to_string(node.members.size()) + ")");
      }
      for (const std::string& name : rule.required) {
        if (!node.find(name)) fail(node.mark, path, "missing required key '" + name + "'");
      }
      for (const Member& m : node.members) {
        const std::string at = child_path(path, m.key);
        auto prop = std::find_if(rule.properties.begin(), rule.properties.end(),
                                 [&](const auto& p) { return p.first == m.key; });
        if (prop != rule.properties.end()) {
          check(prop->second, m.value, at, out);
        } else if (rule.extra == Rule::Extra::Check) {
          check(rule.extra_rule, m.value, at, out);
        } else if (rule.extra == Rule::Extra::Forbid) {
          std::string msg = "unknown key '" + m.key + "'";
          if (auto guess = closest_name(m.key, rule.property_names)) {
            msg += "; did you mean '" + *guess + "'?";
          } else if (rule.property_names.empty()) {
            msg += "; no keys are allowed here";
          } else {
            msg += "; allowed keys: " + text::join(rule.property_names, ", ");
          }
          fail(m.key_mark, at, msg);
        }
      }
      break;
    }
    default:
      break;
  }
}

std::string SchemaError::to_string() const {
  std::string out;
  if (!mark.file.empty()) out = config::to_string(mark) + ": ";
  if (!path.empty()) out += path + ": ";
  return out + message;
}

Schema::Schema() : Schema(std::make_shared<Compiled>()) {}

Schema::Schema(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}

Schema Schema::parse(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    throw std::invalid_argument("invalid config schema: not valid JSON at offset " +
                                std::to_string(doc.GetErrorOffset()) + ": " +
                                rapidjson::GetParseError_En(doc.GetParseError()));
  }
  auto compiled = std::make_shared<Compiled>();
  compiled->compile(doc, "");
  return Schema(std::move(compiled));
}

std::vector<SchemaError> Schema::validate(const Node& value, const std::string& path) const {
  std::vector<SchemaError> errors;
  if (!compiled_->rules.empty()) compiled_->check(0, value, path, errors);
  std::stable_sort(errors.begin(), errors.end(), [](const SchemaError& a, const SchemaError& b) {
    return std::pair(a.mark.line, a.mark.column) < std::pair(b.mark.line, b.mark.column);
  });
  return errors;
}

}  // namespace steiger::config
