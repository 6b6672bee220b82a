#include "platform/terminal.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>
#include <string>

#include "platform/fd.hpp"
#include "support/scoped_env.hpp"

using namespace steiger::platform;

namespace {

using steiger::testing::ScopedEnv;

}  // namespace

TEST_CASE("a pipe is no terminal: width falls back to $COLUMNS, then 80") {
  PipePair pipe = make_pipe();
  int fd = pipe.write.get();
  CHECK_FALSE(is_terminal(fd));
  {
    ScopedEnv columns("COLUMNS", "123");
    CHECK(terminal_width(fd) == 123);
  }
  {
    ScopedEnv columns("COLUMNS", "wide");
    CHECK(terminal_width(fd) == 80);
  }
  {
    ScopedEnv columns("COLUMNS", nullptr);
    CHECK(terminal_width(fd) == 80);
  }
}

TEST_CASE("no colours on a pipe, even when the terminal type supports them") {
  PipePair pipe = make_pipe();
  ScopedEnv term("TERM", "xterm-256color");
  ScopedEnv no_color("NO_COLOR", nullptr);
  CHECK_FALSE(colors_enabled(pipe.write.get()));
}
