#include "process/line_splitter.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using steiger::process::LineSplitter;

namespace {

struct Lines {
  std::vector<std::string> got;
  LineSplitter splitter;
  explicit Lines(size_t max_piece = LineSplitter::kMaxPiece)
      : splitter([this](std::string_view line) { got.emplace_back(line); }, max_piece) {}
};

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("complete lines, an empty line, and a partial last line") {
  Lines l;
  l.splitter.feed("one\n\nthree\npart");
  CHECK(l.got == V{"one", "", "three"});
  l.splitter.finish();
  CHECK(l.got == V{"one", "", "three", "part"});
}

TEST_CASE("a line split over several reads, byte by byte") {
  Lines l;
  std::string text = "alpha\r\nbeta\ngamma\r\n\r\n";
  for (char c : text) l.splitter.feed(std::string_view(&c, 1));
  l.splitter.finish();
  CHECK(l.got == V{"alpha", "beta", "gamma", ""});
}

TEST_CASE("CRLF loses its CR; a lone CR inside a line stays") {
  Lines l;
  l.splitter.feed("a\r\nb\rc\r\nlast\r");
  l.splitter.finish();
  CHECK(l.got == V{"a", "b\rc", "last"});
}

TEST_CASE("nothing at all, or a stream ending in a newline, adds no empty line") {
  Lines none;
  none.splitter.finish();
  CHECK(none.got.empty());
  Lines l;
  l.splitter.feed("x\n");
  l.splitter.finish();
  CHECK(l.got == V{"x"});
}

TEST_CASE("long lines come in pieces of the maximum size") {
  Lines l(4);
  l.splitter.feed("abcdefghij\nabcd\nab");
  l.splitter.feed("cdef");
  l.splitter.feed("gh\n");
  CHECK(l.got == V{"abcd", "efgh", "ij", "abcd", "abcd", "efgh"});
}

TEST_CASE("pieces join the bytes held from an earlier read") {
  Lines l(4);
  l.splitter.feed("ab");
  l.splitter.feed("cdefg\r\n");
  l.splitter.finish();
  CHECK(l.got == V{"abcd", "efg"});
}
