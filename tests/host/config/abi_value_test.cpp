#include <catch2/catch.hpp>

#include <steiger/sdk/value.hpp>

#include <optional>
#include <string>
#include <utility>

#include "config/abi_value.hpp"
#include "config/node.hpp"

using namespace steiger::config;

namespace {

std::string str(steiger_str s) {
  return std::string(s.data, s.size);
}

}  // namespace

TEST_CASE("AbiValueTree mirrors the node tree", "[abi]") {
  const Node node = parse_yaml_string(
      "context: ./api\n"
      "port: 8080\n"
      "ratio: 1.50\n"
      "nonroot: true\n"
      "nothing: ~\n"
      "list: [a, {k: v}, []]\n"
      "empty: {}\n",
      "t.yml");
  const AbiValueTree tree(node);
  const steiger_value* root = tree.root();
  REQUIRE(root->kind == STEIGER_VALUE_OBJECT);
  REQUIRE(root->count == 7);
  CHECK(str(root->keys[0]) == "context");
  CHECK(root->items[0].kind == STEIGER_VALUE_STRING);
  CHECK(str(root->items[0].string) == "./api");
  CHECK(root->items[1].kind == STEIGER_VALUE_INT);
  CHECK(root->items[1].integer == 8080);
  CHECK(root->items[2].kind == STEIGER_VALUE_DOUBLE);
  CHECK(root->items[2].number == 1.5);
  CHECK(str(root->items[2].string) == "1.50");  // the text as written rides along
  CHECK(root->items[3].kind == STEIGER_VALUE_BOOL);
  CHECK(root->items[3].boolean == 1);
  CHECK(root->items[4].kind == STEIGER_VALUE_NULL);
  CHECK(root->items[4].string.data != nullptr);
  const steiger_value& list = root->items[5];
  REQUIRE(list.kind == STEIGER_VALUE_ARRAY);
  REQUIRE(list.count == 3);
  CHECK(list.keys == nullptr);
  CHECK(str(list.items[0].string) == "a");
  CHECK(list.items[1].kind == STEIGER_VALUE_OBJECT);
  CHECK(str(list.items[1].keys[0]) == "k");
  CHECK(str(list.items[1].items[0].string) == "v");
  CHECK(list.items[2].kind == STEIGER_VALUE_ARRAY);
  CHECK(list.items[2].count == 0);
  CHECK(root->items[6].kind == STEIGER_VALUE_OBJECT);
  CHECK(root->items[6].count == 0);
}

TEST_CASE("AbiValueTree round-trips through the SDK's Value", "[abi]") {
  const Node node = parse_yaml_string(
      "targets: {hello: ':hello_image', world: //w:image}\n"
      "buildArgs: {ENV: prod, N: 3}\n"
      "extraArgs: [--impure, -L]\n",
      "t.yml");
  const AbiValueTree tree(node);
  const auto value = steiger::sdk::Value::from_abi(tree.root());
  REQUIRE(value.is_object());
  CHECK(value.as_object().at(0).first == "targets");
  CHECK(value["targets"]["hello"].as_string() == ":hello_image");
  CHECK(value["targets"]["world"].as_string() == "//w:image");
  CHECK(value["buildArgs"]["N"].as_int() == 3);
  CHECK(value.strings("extraArgs") == std::vector<std::string>{"--impure", "-L"});
  const auto args = value.string_map("buildArgs");
  REQUIRE(args.size() == 2);
  CHECK(args[0] == std::pair<std::string, std::string>{"ENV", "prod"});
}

TEST_CASE("AbiValueTree pointers survive a move and the source node", "[abi]") {
  std::optional<AbiValueTree> moved;
  const steiger_value* before = nullptr;
  {
    // Short strings live inside std::string (SSO); a copy held on the heap keeps them still.
    Node node = parse_yaml_string("a: b\nlong: " + std::string(100, 'x') + "\n", "t.yml");
    AbiValueTree tree(node);
    before = tree.root();
    moved.emplace(std::move(tree));
    node = Node{};
  }
  CHECK(moved->root() == before);
  CHECK(str(moved->root()->keys[0]) == "a");
  CHECK(str(moved->root()->items[0].string) == "b");
  CHECK(str(moved->root()->items[1].string) == std::string(100, 'x'));
  AbiValueTree scalar(parse_yaml_string("just text", "t.yml"));
  CHECK(scalar.root()->kind == STEIGER_VALUE_STRING);
  CHECK(str(scalar.root()->string) == "just text");
}
