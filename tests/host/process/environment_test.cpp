#include "process/environment.hpp"

#include <catch2/catch.hpp>

using namespace steiger::process;
using V = std::vector<std::string>;

namespace {
const char* const kBase[] = {"HOME=/root", "PATH=/bin", "LANG=C", nullptr};
}

TEST_CASE("the overlay replaces in place, adds at the end, and removes bare names") {
  V env = merge_environment(kBase, {"PATH=/opt/bin", "NEW=1", "LANG"}, false);
  CHECK(env == V{"HOME=/root", "PATH=/opt/bin", "NEW=1"});
}

TEST_CASE("replace keeps only the given variables") {
  CHECK(merge_environment(kBase, {"ONLY=1"}, true) == V{"ONLY=1"});
}

TEST_CASE("values may contain '=' and be empty") {
  V env = merge_environment(kBase, {"OPTS=a=b", "EMPTY="}, true);
  CHECK(find_variable(env, "OPTS") == "a=b");
  CHECK(find_variable(env, "EMPTY") == "");
  CHECK_FALSE(find_variable(env, "OPT").has_value());
  CHECK_FALSE(find_variable(env, "MISSING").has_value());
}
