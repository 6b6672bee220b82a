// The railpack plugin's pieces: where the plan comes from, the nonroot stage, the base layout.
#include "railpack/nonroot.hpp"
#include "railpack/options.hpp"
#include "railpack/plan.hpp"
#include "values.hpp"

#include <catch2/catch.hpp>
#include <steiger/sdk/context.hpp>
#include <steiger/sdk/layout_writer.hpp>

#include <filesystem>

using namespace stock_plugins_test;
using namespace steiger::railpack;
namespace sdk = steiger::sdk;

TEST_CASE("a railpack block defaults to the project folder, root, and the latest frontend") {
  auto o = read_railpack_options(obj({}), resolve_in_repo);
  CHECK(o.context == "/repo");
  CHECK_FALSE(o.nonroot);
  CHECK(o.frontend == "ghcr.io/railwayapp/railpack-frontend:latest");
  auto set =
      read_railpack_options(obj({{"context", str("web")},
                                 {"nonroot", boolean(true)},
                                 {"frontend", str("ghcr.io/railwayapp/railpack-frontend:v0.17.1")},
                                 {"builder", str("remote")}}),
                            resolve_in_repo);
  CHECK(set.context == "/repo/web");
  CHECK(set.nonroot);
  CHECK(set.frontend == "ghcr.io/railwayapp/railpack-frontend:v0.17.1");
  CHECK(set.builder == "remote");
}

TEST_CASE("a plan lists its steps; a config maps them by name") {
  CHECK(looks_like_plan(R"({"steps": [{"name": "build"}], "deploy": {}})"));
  CHECK(looks_like_plan(
      "{\n  \"$schema\": \"https://schema.railpack.com/plan\",\n  \"steps\" :\n[]}"));
  CHECK_FALSE(looks_like_plan(R"({"steps": {"build": {"commands": ["npm run build"]}}})"));
  CHECK_FALSE(looks_like_plan(R"({"deploy": {"startCommand": "node index.js"}})"));
  CHECK_FALSE(looks_like_plan(""));
}

TEST_CASE("railpack prepare writes the plan where the plugin reads it") {
  CHECK(prepare_argv("/repo/web", "/work/railpack-plan.json") ==
        std::vector<std::string>{"railpack", "prepare", "/repo/web", "--plan-out",
                                 "/work/railpack-plan.json"});
}

TEST_CASE("the nonroot stage creates railpack 1000:1000, copies root's home and switches user") {
  std::string d = nonroot_dockerfile();
  CHECK_THAT(d, Catch::Contains("\nFROM base\n"));
  CHECK_THAT(d, Catch::Contains("groupadd -g 1000 railpack"));
  CHECK_THAT(d,
             Catch::Contains("useradd -u 1000 -g 1000 -d /home/railpack -s /bin/false railpack"));
  CHECK_THAT(d, Catch::Contains("cp -a /root/. /home/railpack/"));
  CHECK_THAT(d, Catch::Contains("chown -R 1000:1000 /home/railpack"));
  CHECK_THAT(d, Catch::EndsWith("\nUSER railpack\n"));
  CHECK(base_context_flag("/work/railpack-image") == "base=oci-layout:///work/railpack-image:base");
}

TEST_CASE("the first stage's layout gets the tag the second stage finds it by") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "steiger-railpack-tag-test";
  fs::remove_all(dir);
  {
    sdk::LayoutWriter writer(dir);
    sdk::ImageSpec image;
    image.platform = "linux/amd64";
    image.layers.emplace_back(sdk::tar_archive({sdk::TarEntry::file("a", "a")}));
    writer.add_manifest_to_index(writer.add_image(image), image.platform,
                                 {{"org.opencontainers.image.created", "2024-01-01T00:00:00Z"}});
    writer.write_index();
  }
  tag_base_layout(dir.string());
  auto entries = sdk::read_index(dir);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].annotations.at("org.opencontainers.image.ref.name") == "base");
  CHECK(entries[0].annotations.at("org.opencontainers.image.created") == "2024-01-01T00:00:00Z");
  CHECK(entries[0].platform == std::optional<std::string>("linux/amd64"));
  fs::remove_all(dir);
  CHECK_THROWS_AS(tag_base_layout(dir.string()), sdk::Error);
}
