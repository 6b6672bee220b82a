#include <catch2/catch.hpp>

#include "config/node.hpp"
#include "config/substitution.hpp"
#include "config/variables.hpp"
#include "config_test_support.hpp"

using namespace steiger::config;
using steiger::config::test::map_lookup;

namespace {

const Mark kWhere{"s.yml", 4, 9};

std::string sub(const std::string& text) {
  static const Lookup lookup = map_lookup({{"env", "prod"},
                                           {"empty", ""},
                                           {"gitShortCommit", "abc1234"},
                                           {"gitDirty", "-dirty"},
                                           {"PORT", "8080"},
                                           {"A_1", "x"}});
  return substitute(text, lookup, kWhere);
}

std::string error_of(const std::string& text) {
  try {
    sub(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("substitution forms", "[substitution]") {
  const std::pair<const char*, const char*> cases[] = {
      {"plain text", "plain text"},
      {"$env", "prod"},
      {"${env}", "prod"},
      {"a-$env-b", "a-prod-b"},
      {"$env.suffix", "prod.suffix"},  // a name stops at the first non-name character
      {"$A_1-x", "x-x"},
      {"${env:dev}", "prod"},
      {"${missing:dev}", "dev"},
      {"${empty:fallback}", "fallback"},  // empty counts as unset for defaults
      {"${empty}", ""},
      {"${missing:}", ""},
      {"${missing:a:b}", "a:b"},  // only the first ':' separates
      {"${missing:localhost:5000}/img", "localhost:5000/img"},
      {"${gitTag:${gitShortCommit:unknown}}${gitDirty:}", "abc1234-dirty"},
      {"${gitTag:${nope:${nada:deep}}}", "deep"},
      {"${gitTag:${nope:${env}}}", "prod"},
      {"${env:${unset_but_unused}}", "prod"},  // an unused default is not evaluated
      {"$", "$"},
      {"a$", "a$"},
      {"$5", "$5"},
      {"$-x", "$-x"},
      {"cost: 5$ each", "cost: 5$ each"},
      {"$$env", "$prod"},
      {"\\$env", "$env"},
      {"\\${env}", "${env}"},
      {"\\\\", "\\"},
      {"\\\\$env", "\\prod"},
      {"a\\{b\\}c\\:d", "a{b}c:d"},
      {"C:\\path\\to", "C:\\path\\to"},  // other backslashes stay
      {"trailing\\", "trailing\\"},
      {"${missing:a\\}b}", "a}b"},
      {"${missing:\\${env\\}}", "${env}"},
      {"${missing:$env}", "prod"},
  };
  for (const auto& [in, out] : cases) {
    INFO("input: " << in);
    CHECK(sub(in) == out);
  }
}

TEST_CASE("an unset variable without a default says how to set it", "[substitution]") {
  CHECK(error_of("${env2}") ==
        "s.yml:4:9: variable 'env2' is not set: define it in a profile (-p PROFILE) or the "
        "environment, or give a default with ${env2:value}");
  CHECK(error_of("x-$nope") ==
        "s.yml:4:9: variable 'nope' is not set: define it in a profile (-p PROFILE) or the "
        "environment, or give a default with ${nope:value}");
  CHECK_THAT(error_of("${missing:${alsomissing}}"), Catch::Contains("'alsomissing' is not set"));
  // A name runs as far as name characters go: $A_1x is A_1x, not A_1 then "x".
  CHECK_THAT(error_of("$A_1x"), Catch::Contains("'A_1x' is not set"));
}

TEST_CASE("malformed substitutions are errors", "[substitution]") {
  CHECK_THAT(error_of("${env"), Catch::StartsWith("s.yml:4:9: unterminated '${' in '${env'"));
  CHECK_THAT(error_of("${env:default"), Catch::Contains("unterminated '${'"));
  CHECK_THAT(error_of("${a:${b:c}"), Catch::Contains("unterminated '${'"));
  CHECK_THAT(error_of("${"), Catch::Contains("unterminated '${'"));
  CHECK_THAT(error_of("${}"), Catch::StartsWith("s.yml:4:9: an empty variable name in '${}'"));
  CHECK_THAT(error_of("${a-b}"), Catch::StartsWith("s.yml:4:9: bad variable name 'a-b'"));
  CHECK_THAT(error_of("${1abc}"), Catch::Contains("bad variable name '1abc'"));
  // Syntax errors count even inside a default that is not used.
  CHECK_THAT(error_of("${env:${bad name}}"), Catch::Contains("bad variable name 'bad name'"));
}

TEST_CASE("substitute_tree covers strings and keys, and retypes plain scalars", "[substitution]") {
  Node root = parse_yaml_string(
      "${svc}-api:\n"
      "  port: ${PORT}\n"
      "  quoted: \"${PORT}\"\n"
      "  flag: $FLAG\n"
      "  list: [$svc, '$svc', 3]\n"
      "  empty: ${NOTHING:}\n"
      "  literal: \\$PORT\n"
      "  number: 1.5\n",
      "s.yml");
  substitute_tree(root, map_lookup({{"svc", "web"}, {"PORT", "8080"}, {"FLAG", "true"}}));
  REQUIRE(root.members.size() == 1);
  CHECK(root.members[0].key == "web-api");
  const Node& api = root.members[0].value;
  CHECK(api.find("port")->kind == Node::Kind::Int);
  CHECK(api.find("port")->integer == 8080);
  CHECK(api.find("quoted")->kind == Node::Kind::String);
  CHECK(api.find("quoted")->string == "8080");
  CHECK(api.find("flag")->kind == Node::Kind::Bool);
  CHECK(api.find("flag")->boolean);
  CHECK(api.find("list")->items[0].string == "web");
  CHECK(api.find("list")->items[1].string == "web");
  CHECK(api.find("list")->items[2].integer == 3);
  CHECK(api.find("empty")->kind == Node::Kind::String);
  CHECK(api.find("empty")->string.empty());
  CHECK(api.find("literal")->kind == Node::Kind::String);
  CHECK(api.find("literal")->string == "$PORT");
  CHECK(api.find("number")->number == 1.5);
}

TEST_CASE("substitute_tree errors point at the scalar or key", "[substitution]") {
  Node root = parse_yaml_string("a:\n  b: ok\n  c: x-${nope}\n", "s.yml");
  CHECK_THROWS_WITH(substitute_tree(root, map_lookup({})),
                    Catch::StartsWith("s.yml:3:6: variable 'nope' is not set"));
  Node keyed = parse_yaml_string("a:\n  ${k}: 1\n", "s.yml");
  CHECK_THROWS_WITH(substitute_tree(keyed, map_lookup({})),
                    Catch::StartsWith("s.yml:2:3: variable 'k' is not set"));
  Node collide = parse_yaml_string("b: 1\n${k}: 2\n", "s.yml");
  CHECK_THROWS_WITH(substitute_tree(collide, map_lookup({{"k", "b"}})),
                    "s.yml:2:1: key 'b' after substitution repeats the key at line 1, column 1");
}

TEST_CASE("make_lookup: profile, then git, then the environment", "[substitution]") {
  setenv("STEIGER_TEST_VAR", "from-env", 1);
  setenv("STEIGER_TEST_SHADOWED", "env", 1);
  const Lookup lookup = make_lookup({{"STEIGER_TEST_SHADOWED", "profile"}, {"both", "profile"}},
                                    {{"both", "git"}, {"gitTag", "v1"}}, true);
  CHECK(lookup("both") == "profile");
  CHECK(lookup("gitTag") == "v1");
  CHECK(lookup("STEIGER_TEST_VAR") == "from-env");
  CHECK(lookup("STEIGER_TEST_SHADOWED") == "profile");
  CHECK_FALSE(lookup("STEIGER_TEST_UNSET_XYZ").has_value());
  const Lookup no_env = make_lookup({}, {}, false);
  CHECK_FALSE(no_env("STEIGER_TEST_VAR").has_value());
  unsetenv("STEIGER_TEST_VAR");
  unsetenv("STEIGER_TEST_SHADOWED");
}
