#include "build/output_file.hpp"

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace steiger;
namespace fs = std::filesystem;

TEST_CASE("the output file is Skaffold's format; the layout field only for local output") {
  fs::path file =
      fs::temp_directory_path() / ("steiger-output-" + std::to_string(::getpid()) + "/b.json");
  std::string digest = "sha256:" + std::string(64, 'a');
  build::write_output_file(file, {{"api", "api", "reg:5000/p/api:v1", digest, {}},
                                  {"jobs", "worker", "worker:v1", digest, "/tmp/out/worker"}});
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  rapidjson::Document d;
  d.Parse(s.str().c_str());
  REQUIRE(d.IsObject());
  const auto& builds = d["builds"];
  REQUIRE(builds.Size() == 2);
  CHECK(std::string(builds[0]["imageName"].GetString()) == "api");
  CHECK(std::string(builds[0]["tag"].GetString()) == "reg:5000/p/api:v1@" + digest);
  CHECK_FALSE(builds[0].HasMember("layout"));
  CHECK(std::string(builds[1]["layout"].GetString()) == "/tmp/out/worker");
  fs::remove_all(file.parent_path());
}
