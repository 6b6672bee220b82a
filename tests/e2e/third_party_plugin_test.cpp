// The third-party path: install steiger and its SDK, build the example plugin with clang++
// against the installed SDK only, drop it in the install's plugin folder, and use it from the
// g++-built host.
#include "e2e_support.hpp"

#include <catch2/catch.hpp>

using namespace e2e;
namespace fs = std::filesystem;

TEST_CASE("a plugin built by clang++ against the installed SDK works in the g++-built host") {
  TempDir tmp;
  fs::path prefix = tmp.path() / "prefix";
  run_ok({"cmake", "--install", STEIGER_BUILD_DIR, "--prefix", prefix.string()});
  REQUIRE(fs::exists(prefix / "include/steiger/sdk/plugin.hpp"));

  fs::path build = tmp.path() / "hello-build";
  run_ok({"cmake", "-S", fs::path(STEIGER_SOURCE_DIR) / "sdk/examples/hello-plugin", "-B",
          build.string(), "-G", "Ninja", "-DCMAKE_CXX_COMPILER=clang++",
          "-DCMAKE_PREFIX_PATH=" + prefix.string()});
  run_ok({"cmake", "--build", build.string()});
  std::string compiler = read_file(build / "CMakeCache.txt");
  CHECK(compiler.find("CMAKE_CXX_COMPILER:") != std::string::npos);
  CHECK(compiler.find("clang++") != std::string::npos);

  fs::path plugins = prefix / STEIGER_PLUGIN_INSTALL_DIR;
  fs::create_directories(plugins);
  fs::copy_file(build / "steiger-hello.so", plugins / "steiger-hello.so");

  fs::path steiger = prefix / "bin/steiger";
  Output list = run_ok_output({steiger.string(), "plugins", "--json"}, tmp.path());
  CHECK(list.out.find("\"name\": \"hello\"") != std::string::npos);
  CHECK(list.out.find((plugins / "steiger-hello.so").string()) != std::string::npos);

  auto repo = write_config(tmp.path() / "repo",
                           "build:\n  greeter:\n    type: hello\n    message: hi from clang\n"
                           "    stampWith: [echo, stamped]\ntagFormat: t1\n");
  Output out = run_ok_output(
      {steiger.string(), "build", "--progress", "plain", "--platform", "linux/amd64,linux/arm64"},
      repo);
  INFO(out.err);
  REQUIRE(out.exit_code == 0);
  std::string raw =
      run_ok({"skopeo", "inspect", "--raw", "oci:" + (repo / ".steiger/out/greeter").string()});
  CHECK(raw.find("\"arm64\"") != std::string::npos);
  std::string config =
      run_ok({"skopeo", "inspect", "--config", "oci:" + (repo / ".steiger/out/greeter").string()});
  CHECK(config.find("/hello.txt") != std::string::npos);

  auto bad =
      write_config(tmp.path() / "bad", "build:\n  greeter:\n    type: hello\n    mesage: x\n");
  Output err = run_ok_output({steiger.string(), "build", "--dry-run"}, bad);
  CHECK(err.exit_code == 2);
  CHECK(err.err.find("did you mean 'message'?") != std::string::npos);
  CHECK(err.err.find("missing required key 'message'") != std::string::npos);
}
