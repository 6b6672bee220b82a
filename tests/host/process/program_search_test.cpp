#include "process/program_search.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <filesystem>
#include <fstream>

using namespace steiger::process;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/steiger-search-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

void write_file(const fs::path& p, fs::perms perms) {
  std::ofstream(p) << "#!/bin/sh\n";
  fs::permissions(p, perms);
}

}  // namespace

TEST_CASE("the first executable in the search path wins; directories and others are skipped") {
  TempDir a, b, c;
  fs::create_directory(a.path / "tool");  // a directory is no program
  write_file(b.path / "tool", fs::perms::owner_read | fs::perms::owner_write);
  write_file(c.path / "tool", fs::perms::owner_all);
  std::string path = a.path.string() + "::" + b.path.string() + ":" + c.path.string();
  ProgramLookup found = find_program("tool", path);
  CHECK(found.error == 0);
  CHECK(found.path == (c.path / "tool").string());
}

TEST_CASE("found but not executable is EACCES; nowhere is ENOENT") {
  TempDir b;
  write_file(b.path / "tool", fs::perms::owner_read | fs::perms::owner_write);
  CHECK(find_program("tool", b.path.string()).error == EACCES);  // root too: no x bit at all
  CHECK(find_program("no-such-tool", b.path.string()).error == ENOENT);
  CHECK(find_program("", "/bin").error == ENOENT);
}

TEST_CASE("names with a slash are not searched") {
  ProgramLookup found = find_program("./build.sh", "/bin");
  CHECK(found.error == 0);
  CHECK(found.path == "./build.sh");
}

TEST_CASE("the child's PATH is searched before the host's") {
  CHECK(search_path_for({"PATH=/opt/x"}) == "/opt/x");
  CHECK_FALSE(search_path_for({"HOME=/"}).empty());
}
