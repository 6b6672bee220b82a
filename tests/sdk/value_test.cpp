#include <steiger/sdk/value.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

using steiger::sdk::Value;
using namespace steiger::test;

namespace {

steiger_str s(const char* text) {
  return steiger_str{text, std::char_traits<char>::length(text)};
}

}  // namespace

TEST_CASE("Value::from_abi reads a hand-built tree", "[value]") {
  steiger_value items[3] = {};
  items[0].kind = STEIGER_VALUE_STRING;
  items[0].string = s("x");
  items[1].kind = STEIGER_VALUE_INT;
  items[1].integer = -7;
  items[2].kind = STEIGER_VALUE_DOUBLE;
  items[2].number = 2.5;

  steiger_value members[4] = {};
  steiger_str keys[4] = {s("list"), s("flag"), s("nothing"), s("big")};
  members[0].kind = STEIGER_VALUE_ARRAY;
  members[0].count = 3;
  members[0].items = items;
  members[1].kind = STEIGER_VALUE_BOOL;
  members[1].boolean = 1;
  members[2].kind = STEIGER_VALUE_NULL;
  members[3].kind = STEIGER_VALUE_INT;
  members[3].integer = INT64_MAX;

  steiger_value root{};
  root.kind = STEIGER_VALUE_OBJECT;
  root.count = 4;
  root.items = members;
  root.keys = keys;

  Value v = Value::from_abi(&root);
  REQUIRE(v.is_object());
  CHECK(dump(v) == R"({"list":["x",-7,2.5],"flag":true,"nothing":null,"big":9223372036854775807})");
  CHECK(v.as_object()[0].first == "list");  // file order is kept
  CHECK(v["list"].as_array()[1].as_int() == -7);
  CHECK(v["list"].as_array()[2].as_double() == 2.5);
  CHECK(v["big"].as_int() == INT64_MAX);
  CHECK(v["flag"].as_bool());
  CHECK(v["nothing"].is_null());
  CHECK_FALSE(v.contains("nothing"));
  CHECK(v.contains("flag"));
}

TEST_CASE("Value::from_abi: null pointer and unknown kinds are null", "[value]") {
  CHECK(Value::from_abi(nullptr).is_null());
  steiger_value odd{};
  odd.kind = 99;  // from a newer host: read as nothing rather than guessed at
  CHECK(Value::from_abi(&odd).is_null());
  steiger_value empty_string{};
  empty_string.kind = STEIGER_VALUE_STRING;  // data == NULL, size == 0
  CHECK(Value::from_abi(&empty_string).as_string().empty());
}

TEST_CASE("Value round-trips through the C ABI", "[value]") {
  Value original = obj({{"context", str("./app")},
                        {"buildArgs", obj({{"A", str("1")}, {"B", num(2)}, {"C", Value(true)}})},
                        {"targets", arr({str("a"), str("b")})},
                        {"nested", obj({{"deeper", arr({obj({}), arr({}), Value()})}})},
                        {"ratio", Value(0.25)},
                        {"text", str(std::string("with\0nul", 8))}});
  AbiValue abi(original);
  Value copy = Value::from_abi(abi.get());
  CHECK(dump(copy) == dump(original));
  CHECK(copy["text"].as_string().size() == 8);
}

TEST_CASE("Value accessors and fallbacks", "[value]") {
  Value v = obj({{"s", str("text")},
                 {"i", num(42)},
                 {"d", Value(1.5)},
                 {"b", Value(false)},
                 {"list", arr({str("x"), str("y")})},
                 {"mixed", arr({str("x"), num(1)})},
                 {"map", obj({{"K", str("v")}, {"N", num(3)}, {"T", Value(true)}})}});
  CHECK(v.string_or("s", "") == "text");
  CHECK(v.string_or("missing", "fallback") == "fallback");
  CHECK(v.string_or("i", "not a string") == "not a string");
  CHECK(v.int_or("i", 0) == 42);
  CHECK(v.int_or("d", 7) == 7);
  CHECK(v.double_or("i", 0) == 42.0);
  CHECK(v.double_or("d", 0) == 1.5);
  CHECK(v.bool_or("b", true) == false);
  CHECK(v.bool_or("missing", true) == true);
  CHECK(v.strings("list") == std::vector<std::string>{"x", "y"});
  CHECK(v.strings("missing").empty());
  auto m = v.string_map("map");
  REQUIRE(m.size() == 3);
  CHECK(m[0] == std::pair<std::string, std::string>{"K", "v"});
  CHECK(m[1].second == "3");
  CHECK(m[2].second == "true");
  CHECK(v["s"]["anything"].is_null());  // indexing a non-object is null, not an error
  CHECK_THROWS_WITH(v["s"].as_int(), "config value is not an integer");
  CHECK_THROWS_WITH(v["i"].as_string(), "config value is not a string");
  CHECK_THROWS_WITH(v.strings("mixed"), "config value is not a string");
  CHECK(v.strings("map").empty());  // not a list: treated as absent
}
