#include <catch2/catch.hpp>

#include "config/node.hpp"
#include "config/schema.hpp"

using namespace steiger::config;

namespace {

std::vector<std::string> errors(const Schema& schema, const std::string& yaml,
                                const std::string& path = "build.api") {
  std::vector<std::string> out;
  for (const SchemaError& e : schema.validate(parse_yaml_string(yaml, "s.yml"), path))
    out.push_back(e.to_string());
  return out;
}

using Strings = std::vector<std::string>;

const char* kDockerSchema = R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "docker",
  "description": "A Dockerfile build",
  "type": "object",
  "properties": {
    "context": {"type": "string", "minLength": 1, "default": "."},
    "dockerfile": {"type": "string"},
    "target": {"type": "string"},
    "buildArgs": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
    "hosts": {"type": "object", "additionalProperties": {"type": "string"}}
  },
  "required": ["context"],
  "additionalProperties": false
})";

}  // namespace

TEST_CASE("a valid block has no errors", "[schema]") {
  const Schema schema = Schema::parse(kDockerSchema);
  CHECK(errors(schema, "context: .\ndockerfile: Dockerfile\nbuildArgs: {A: x, B: 1, C: true}\n")
            .empty());
}

TEST_CASE("unknown keys get a suggestion or the allowed keys", "[schema]") {
  const Schema schema = Schema::parse(kDockerSchema);
  CHECK(errors(schema, "context: .\ndockerfil: D\n") ==
        Strings{"s.yml:2:1: build.api.dockerfil: unknown key 'dockerfil'; did you mean "
                "'dockerfile'?"});
  CHECK(errors(schema, "context: .\nbuildargs: {}\n") ==
        Strings{"s.yml:2:1: build.api.buildargs: unknown key 'buildargs'; did you mean "
                "'buildArgs'?"});
  CHECK(errors(schema, "context: .\nzzz: 1\n") ==
        Strings{"s.yml:2:1: build.api.zzz: unknown key 'zzz'; allowed keys: context, "
                "dockerfile, target, buildArgs, hosts"});
}

TEST_CASE("every error is reported, in file order, with its position", "[schema]") {
  const Schema schema = Schema::parse(kDockerSchema);
  CHECK(errors(schema,
               "dockerfile: [a]\n"
               "buildArgs:\n"
               "  ENV: [prod]\n"
               "  OK: yes\n"
               "tagret: web\n") ==
        Strings{
            "s.yml:1:1: build.api: missing required key 'context'",
            "s.yml:1:13: build.api.dockerfile: expected a string, got a list",
            "s.yml:3:8: build.api.buildArgs.ENV: expected a string, a number or a boolean, got "
            "a list",
            "s.yml:5:1: build.api.tagret: unknown key 'tagret'; did you mean 'target'?",
        });
}

TEST_CASE("type: each JSON type, integer counts as number, unions", "[schema]") {
  auto check = [](const char* type, const char* yaml) {
    return errors(Schema::parse(std::string(R"({"type": )") + type + "}"), yaml, "v");
  };
  CHECK(check(R"("string")", "x").empty());
  CHECK(check(R"("string")", "'1'").empty());
  CHECK(check(R"("integer")", "3").empty());
  CHECK(check(R"("integer")", "3.0").empty());  // 3.0 is an integer in JSON Schema
  CHECK(check(R"("number")", "3").empty());
  CHECK(check(R"("number")", "3.5").empty());
  CHECK(check(R"("boolean")", "false").empty());
  CHECK(check(R"("null")", "~").empty());
  CHECK(check(R"("array")", "[]").empty());
  CHECK(check(R"("object")", "{}").empty());
  CHECK(check(R"(["string", "null"])", "~").empty());
  CHECK(check(R"("integer")", "3.5") ==
        Strings{"s.yml:1:1: v: expected an integer, got a number (3.5)"});
  CHECK(check(R"("boolean")", "yes") ==
        Strings{"s.yml:1:1: v: expected a boolean, got a string ('yes')"});
  CHECK(check(R"("string")", "1.10") ==
        Strings{"s.yml:1:1: v: expected a string, got a number (1.10); quote it (\"1.10\") to "
                "make it a string"});
  CHECK(check(R"("string")", "~") == Strings{"s.yml:1:1: v: expected a string, got null"});
  CHECK(check(R"("object")", "[1]") == Strings{"s.yml:1:1: v: expected a map, got a list"});
  CHECK(check(R"(["array", "object"])", "x") ==
        Strings{"s.yml:1:1: v: expected a map or a list, got a string ('x')"});
}

TEST_CASE("enum with a suggestion, and const", "[schema]") {
  const Schema schema = Schema::parse(R"({"properties": {
      "platformStrategy": {"enum": ["native", "crossSystem"]},
      "level": {"enum": [1, 2, null, true]},
      "kind": {"const": "fixed"}}})");
  CHECK(errors(schema, "platformStrategy: crossSystem\nlevel: 2\nkind: fixed\n").empty());
  CHECK(errors(schema, "level: ~\n").empty());
  CHECK(errors(schema, "platformStrategy: crosssystem\n") ==
        Strings{"s.yml:1:19: build.api.platformStrategy: must be one of: native, crossSystem "
                "(got 'crosssystem'); did you mean 'crossSystem'?"});
  CHECK(errors(schema, "platformStrategy: other\n") ==
        Strings{"s.yml:1:19: build.api.platformStrategy: must be one of: native, crossSystem "
                "(got 'other')"});
  CHECK(errors(schema, "level: 3\n") ==
        Strings{"s.yml:1:8: build.api.level: must be one of: 1, 2, null, true (got 3)"});
  CHECK(errors(schema, "level: '1'\n").size() == 1);  // a string is not the number 1
  CHECK(errors(schema, "kind: other\n") ==
        Strings{"s.yml:1:7: build.api.kind: must be fixed (got 'other')"});
}

TEST_CASE("array keywords: items, minItems, maxItems", "[schema]") {
  const Schema schema = Schema::parse(
      R"({"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 2})");
  CHECK(errors(schema, "[a, b]", "x.targets").empty());
  CHECK(errors(schema, "[]", "x.targets") ==
        Strings{"s.yml:1:1: x.targets: must have at least 1 item (got 0)"});
  CHECK(errors(schema, "[a, 2, c]", "x.targets") ==
        Strings{"s.yml:1:1: x.targets: must have at most 2 items (got 3)",
                "s.yml:1:5: x.targets[1]: expected a string, got an integer (2); quote it "
                "(\"2\") to make it a string"});
}

TEST_CASE("string keywords: minLength and pattern", "[schema]") {
  const Schema schema =
      Schema::parse(R"({"type": "string", "minLength": 3, "pattern": "^[a-z]+/[a-z0-9]+$"})");
  CHECK(errors(schema, "linux/amd64", "p").empty());
  CHECK(errors(schema, "a", "p") ==
        Strings{"s.yml:1:1: p: must be at least 3 characters long (got 'a')",
                "s.yml:1:1: p: must match the pattern '^[a-z]+/[a-z0-9]+$' (got 'a')"});
  // Length counts characters, not bytes.
  CHECK(errors(Schema::parse(R"({"minLength": 2})"), "é", "p").size() == 1);
  CHECK(errors(Schema::parse(R"({"minLength": 2})"), "éé", "p").empty());
  // A pattern is searched, not anchored.
  CHECK(errors(Schema::parse(R"({"pattern": "b"})"), "abc", "p").empty());
}

TEST_CASE("number keywords: minimum and maximum", "[schema]") {
  const Schema schema = Schema::parse(R"({"type": "number", "minimum": 1, "maximum": 2.5})");
  CHECK(errors(schema, "1", "n").empty());
  CHECK(errors(schema, "2.5", "n").empty());
  CHECK(errors(schema, "0", "n") == Strings{"s.yml:1:1: n: must be at least 1 (got 0)"});
  CHECK(errors(schema, "3", "n") == Strings{"s.yml:1:1: n: must be at most 2.5 (got 3)"});
}

TEST_CASE("object keywords: minProperties, additionalProperties schema, required", "[schema]") {
  const Schema schema = Schema::parse(R"({
    "type": "object",
    "properties": {"targets": {"type": "object", "minProperties": 1,
                               "additionalProperties": {"type": "string"}},
                   "platforms": {"type": "object", "additionalProperties": {"type": "string"}}},
    "required": ["targets"]})");
  CHECK(errors(schema, "targets: {hello: ':hello_image'}\nextra: ok\n", "build.hello").empty());
  CHECK(errors(schema, "targets: {}\n", "build.hello") ==
        Strings{"s.yml:1:10: build.hello.targets: must have at least 1 key (got 0)"});
  CHECK(errors(schema, "targets: {a: x}\nplatforms:\n  linux/amd64: [x]\n", "build.hello") ==
        Strings{"s.yml:3:16: build.hello.platforms[\"linux/amd64\"]: expected a string, got a "
                "list"});
  CHECK(errors(schema, "platforms: {}\n", "build.hello") ==
        Strings{"s.yml:1:1: build.hello: missing required key 'targets'"});
}

TEST_CASE("boolean schemas and an empty schema", "[schema]") {
  CHECK(errors(Schema::parse("true"), "anything").empty());
  CHECK(errors(Schema::parse("{}"), "[1, {a: b}]").empty());
  CHECK(errors(Schema(), "[1, {a: b}]").empty());
  CHECK(errors(Schema::parse("false"), "x", "v") ==
        Strings{"s.yml:1:1: v: no value is allowed here"});
  CHECK(errors(Schema::parse(R"({"additionalProperties": false})"), "a: 1", "v") ==
        Strings{"s.yml:1:1: v.a: unknown key 'a'; no keys are allowed here"});
}

TEST_CASE("schema error text without a path or a file", "[schema]") {
  CHECK(SchemaError{Mark{"f.yml", 2, 3}, "", "bad"}.to_string() == "f.yml:2:3: bad");
  CHECK(SchemaError{Mark{}, "a.b", "bad"}.to_string() == "a.b: bad");
  CHECK(errors(Schema::parse(R"({"type": "string"})"), "1", "") ==
        Strings{"s.yml:1:1: expected a string, got an integer (1); quote it (\"1\") to make it a "
                "string"});
}

TEST_CASE("bad schemas are refused with the reason", "[schema]") {
  CHECK_THROWS_WITH(Schema::parse("{\"type\": "),
                    Catch::StartsWith("invalid config schema: not valid JSON at offset 9"));
  CHECK_THROWS_WITH(Schema::parse(R"({"properties": {"a": {"$ref": "#/x"}}})"),
                    "invalid config schema at /properties/a/$ref: unsupported keyword '$ref'");
  CHECK_THROWS_WITH(Schema::parse(R"({"type": "str"})"),
                    Catch::StartsWith("invalid config schema at /type: a type must be one of"));
  CHECK_THROWS_WITH(Schema::parse(R"({"required": "a"})"), Catch::Contains("/required"));
  CHECK_THROWS_WITH(Schema::parse(R"({"minItems": -1})"),
                    Catch::Contains("must be a non-negative integer"));
  CHECK_THROWS_WITH(Schema::parse(R"({"minimum": "1"})"), Catch::Contains("must be a number"));
  CHECK_THROWS_WITH(Schema::parse(R"({"pattern": "("})"),
                    Catch::Contains("not a valid regular expression"));
  CHECK_THROWS_WITH(Schema::parse(R"({"enum": [{"a": 1}]})"), Catch::Contains("only scalar"));
  CHECK_THROWS_WITH(Schema::parse(R"({"enum": []})"), Catch::Contains("non-empty"));
  CHECK_THROWS_WITH(Schema::parse(R"({"items": [{}]})"), Catch::Contains("tuple"));
  CHECK_THROWS_WITH(Schema::parse(R"({"additionalProperties": 1})"),
                    Catch::Contains("must be a boolean or a schema"));
  CHECK_THROWS_WITH(Schema::parse("[]"), Catch::Contains("must be an object or a boolean"));
  CHECK_THROWS_AS(Schema::parse("{}x"), std::invalid_argument);
}

TEST_CASE("schemas copy cheaply and validate repeatedly", "[schema]") {
  const Schema original = Schema::parse(kDockerSchema);
  const Schema copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  CHECK(errors(copy, "context: .\n").empty());
  CHECK(errors(copy, "{}").size() == 1);
  CHECK(errors(original, "{}").size() == 1);
}
