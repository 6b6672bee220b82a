#include "platform/paths.hpp"

#include <catch2/catch.hpp>

TEST_CASE("the executable path names this test binary") {
  std::filesystem::path path = steiger::platform::executable_path();
  CHECK(path.is_absolute());
  CHECK(std::filesystem::is_regular_file(path));
  CHECK(path.filename() == "platform_tests");
}
