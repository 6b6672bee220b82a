#include <catch2/catch.hpp>

#include <cmath>

#include "config/node.hpp"
#include "config_test_support.hpp"

using namespace steiger::config;
using Kind = Node::Kind;

namespace {

Node scalar(const std::string& yaml) {
  return parse_yaml_string("v: " + yaml, "t.yml").members.at(0).value;
}

}  // namespace

TEST_CASE("plain scalars resolve by the YAML 1.2 core schema", "[node]") {
  struct Case {
    const char* yaml;
    Kind kind;
  };
  const Case cases[] = {
      {"", Kind::Null},         {"~", Kind::Null},         {"null", Kind::Null},
      {"Null", Kind::Null},     {"NULL", Kind::Null},      {"true", Kind::Bool},
      {"True", Kind::Bool},     {"TRUE", Kind::Bool},      {"false", Kind::Bool},
      {"42", Kind::Int},        {"-17", Kind::Int},        {"+5", Kind::Int},
      {"0x1F", Kind::Int},      {"0o17", Kind::Int},       {"1.5", Kind::Double},
      {"-.5", Kind::Double},    {"1e3", Kind::Double},     {"2.", Kind::Double},
      {".inf", Kind::Double},   {"-.Inf", Kind::Double},   {".NaN", Kind::Double},
      {"yes", Kind::String},    {"on", Kind::String},      {"0x", Kind::String},
      {"0o8", Kind::String},    {"1.2.3", Kind::String},   {"1_000", Kind::String},
      {"hello", Kind::String},  {"'42'", Kind::String},    {"\"true\"", Kind::String},
      {"'null'", Kind::String}, {"!!str 7", Kind::String}, {"e3", Kind::String},
  };
  for (const Case& c : cases) {
    INFO("yaml: " << c.yaml);
    CHECK(scalar(c.yaml).kind == c.kind);
  }
  CHECK(scalar("true").boolean);
  CHECK_FALSE(scalar("False").boolean);
  CHECK(scalar("42").integer == 42);
  CHECK(scalar("-17").integer == -17);
  CHECK(scalar("0x1F").integer == 31);
  CHECK(scalar("0o17").integer == 15);
  CHECK(scalar("-9223372036854775808").integer == INT64_MIN);
  CHECK(scalar("9223372036854775808").kind == Kind::Double);  // too big for int64
  CHECK(scalar("1.5").number == 1.5);
  CHECK(scalar("-.5").number == -0.5);
  CHECK(scalar("1e3").number == 1000.0);
  CHECK(std::isinf(scalar(".inf").number));
  CHECK(scalar("-.Inf").number < 0);
  CHECK(std::isnan(scalar(".NaN").number));
  // Numbers keep their text for messages and build args.
  CHECK(scalar("1.10").string == "1.10");
}

TEST_CASE("quoted scalars are strings and not plain", "[node]") {
  Node q = scalar("\"8080\"");
  CHECK(q.kind == Kind::String);
  CHECK(q.string == "8080");
  CHECK_FALSE(q.plain);
  Node p = scalar("8080");
  CHECK(p.plain);
  Node block = parse_yaml_string("v: |\n  42\n", "t.yml").members.at(0).value;
  CHECK(block.kind == Kind::String);
  CHECK(block.string == "42\n");
}

TEST_CASE("every node and key knows its file, line and column", "[node]") {
  const Node root = parse_yaml_string(
      "build:\n"
      "  api:\n"
      "    type: docker\n"
      "    tags: [a, \"b\"]\n",
      "steiger.yml");
  REQUIRE(root.is_object());
  REQUIRE(root.members.size() == 1);
  const Member& build = root.members[0];
  CHECK(build.key == "build");
  CHECK(to_string(build.key_mark) == "steiger.yml:1:1");
  const Node& api = build.value.members.at(0).value;
  CHECK(to_string(build.value.members[0].key_mark) == "steiger.yml:2:3");
  CHECK(to_string(api.mark) == "steiger.yml:3:5");
  CHECK(to_string(api.members[0].key_mark) == "steiger.yml:3:5");
  CHECK(to_string(api.members[0].value.mark) == "steiger.yml:3:11");
  const Node* tags = api.find("tags");
  REQUIRE(tags);
  REQUIRE(tags->is_array());
  CHECK(to_string(tags->mark) == "steiger.yml:4:11");
  CHECK(to_string(tags->items[1].mark) == "steiger.yml:4:15");
  CHECK(api.find("missing") == nullptr);
}

TEST_CASE("map members keep file order", "[node]") {
  const Node root = parse_yaml_string("z: 1\na: 2\nm: 3\n", "t.yml");
  REQUIRE(root.members.size() == 3);
  CHECK(root.members[0].key == "z");
  CHECK(root.members[1].key == "a");
  CHECK(root.members[2].key == "m");
}

TEST_CASE("duplicate keys are errors at the second key", "[node]") {
  try {
    parse_yaml_string("build:\n  api:\n    type: docker\n  api:\n    type: ko\n", "s.yml");
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()) == "s.yml:4:3: duplicate key 'api' (first at line 2, column 3)");
    CHECK(e.mark().line == 4);
  }
  CHECK_THROWS_AS(parse_yaml_string("{a: 1, a: 2}", "s.yml"), ConfigError);
}

TEST_CASE("YAML syntax errors carry their position", "[node]") {
  try {
    parse_yaml_string("build:\n  api: [a, b\n", "s.yml");
    FAIL("no error");
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    INFO(what);
    CHECK(what.rfind("s.yml:", 0) == 0);
    CHECK(e.mark().line >= 2);
    CHECK(what.find("invalid YAML") != std::string::npos);
  }
  CHECK_THROWS_WITH(parse_yaml_string("a: 1\n b: 2\n", "s.yml"),
                    "s.yml:2:3: invalid YAML: illegal map value");
  CHECK_THROWS_WITH(parse_yaml_string("- a\nb: 1\n", "s.yml"),
                    Catch::StartsWith("s.yml:2:1: invalid YAML: this does not continue"));
}

TEST_CASE("keys must be non-null scalars", "[node]") {
  CHECK_THROWS_WITH(parse_yaml_string("? [a]\n: 1\n", "s.yml"),
                    Catch::Contains("a key must be a plain string, not a list"));
  CHECK_THROWS_WITH(parse_yaml_string("~: 1\n", "s.yml"), Catch::Contains("key is missing"));
  // Numbers and booleans as keys are their text.
  const Node root = parse_yaml_string("1: a\ntrue: b\n", "s.yml");
  CHECK(root.members[0].key == "1");
  CHECK(root.members[1].key == "true");
}

TEST_CASE("one document per file; an empty file is null", "[node]") {
  CHECK(parse_yaml_string("", "s.yml").is_null());
  CHECK(parse_yaml_string("# only a comment\n", "s.yml").is_null());
  CHECK_THROWS_WITH(parse_yaml_string("a: 1\n---\nb: 2\n", "s.yml"),
                    Catch::StartsWith("s.yml:2:1: a second YAML document"));
}

TEST_CASE("anchors and aliases copy the anchored node", "[node]") {
  const Node root = parse_yaml_string("base: &args {A: 1}\nuse: *args\n", "s.yml");
  const Node* use = root.find("use");
  REQUIRE(use);
  REQUIRE(use->is_object());
  CHECK(use->find("A")->integer == 1);
}

TEST_CASE("parse_yaml_file names an unreadable file", "[node]") {
  steiger::config::test::TempDir dir;
  const auto missing = dir.path() / "nope.yml";
  CHECK_THROWS_WITH(parse_yaml_file(missing),
                    Catch::StartsWith(missing.string() + ": cannot read the config file"));
  CHECK_THROWS_WITH(parse_yaml_file(dir.path()), Catch::Contains("it is a directory"));
  const auto file = dir.write("ok.yml", "a: [1, 2]\n");
  const Node root = parse_yaml_file(file);
  CHECK(root.find("a")->items.size() == 2);
  CHECK(root.find("a")->mark.file == file.string());
}

TEST_CASE("describe_kind says what a value is", "[node]") {
  CHECK(describe_kind(scalar("x")) == "a string");
  CHECK(describe_kind(scalar("[1]")) == "a list");
  CHECK(describe_kind(scalar("{a: 1}")) == "a map");
  CHECK(describe_kind(scalar("1")) == "an integer");
  CHECK(describe_kind(scalar("1.5")) == "a number");
  CHECK(describe_kind(scalar("true")) == "a boolean");
  CHECK(describe_kind(scalar("")) == "null");
}

TEST_CASE("marks print as file:line:col, or the file alone", "[node]") {
  CHECK(to_string(Mark{"a.yml", 3, 7}) == "a.yml:3:7");
  CHECK(to_string(Mark{"a.yml", 0, 0}) == "a.yml");
  CHECK(std::string(ConfigError(Mark{"a.yml", 3, 7}, "bad").what()) == "a.yml:3:7: bad");
  CHECK(std::string(ConfigError(Mark{"a.yml", 0, 0}, "bad").what()) == "a.yml: bad");
  const steiger::UserError& base = ConfigError(Mark{"x", 1, 1}, "m");
  CHECK(std::string(base.what()) == "x:1:1: m");
}
