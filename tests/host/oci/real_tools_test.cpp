// Layouts written by real tools (umoci, skopeo) pass validation and survive export.
#include <catch2/catch.hpp>

#include "command.hpp"
#include "layout_fixture.hpp"
#include "oci/export.hpp"
#include "oci/layout.hpp"
#include "oci/media_types.hpp"

using namespace steiger::oci;
using namespace steiger::oci::testing;
using Catch::Matchers::Contains;

namespace {

void sh(const std::string& command) {
  auto r = run_command(command);
  INFO(command << "\n" << r.output);
  REQUIRE(r.status == 0);
}

}  // namespace

TEST_CASE("umoci and skopeo layouts, OCI and Docker media types, validate and export") {
  TempDir tmp;
  const std::string dir = shell_quote(tmp.path().string());
  write_text(tmp / "hello", "hello\n");
  sh("cd " + dir + " && umoci init --layout umoci && umoci new --image umoci:base" +
     " && umoci insert --image umoci:base hello /hello" +
     " && umoci config --image umoci:base --os linux --architecture arm64 --config.cmd /hello" +
     " && skopeo copy -q oci:umoci:base oci:oci:x" +
     " && skopeo copy -q --format v2s2 oci:umoci:base oci:docker:x");

  for (const char* name : {"umoci", "oci", "docker"}) {
    INFO(name);
    Layout l = validate_layout(tmp / name);
    REQUIRE(l.platform_images().size() == 1);
    CHECK(l.platform_images()[0]->platform->str() == "linux/arm64");
    CHECK(l.platform_images()[0]->layers.size() == 1);

    auto result = export_layout(l, tmp / "out" / name, "t", false);
    // skopeo 1.9 looks tags up among OCI-typed index.json entries only, so a Docker-typed root
    // is read by position.
    const bool docker = std::string_view(name) == "docker";
    auto inspect =
        run_command("skopeo --override-arch arm64 inspect " +
                    shell_quote("oci:" + (tmp / "out" / name).string() + (docker ? "" : ":t")));
    INFO(inspect.output);
    CHECK(inspect.status == 0);
    CHECK_THAT(inspect.output, Contains(result.root.digest.str()));
  }
  CHECK(validate_layout(tmp / "docker").images[0].manifest.media_type ==
        media_type::kDockerManifest);

  // A second tag for another platform: two top-level manifests, exported as one index.
  sh("cd " + dir + " && umoci new --image umoci:other" +
     " && umoci config --image umoci:other --os linux --architecture amd64");
  auto result = export_layout(validate_layout(tmp / "umoci"), tmp / "out" / "both", "t", false);
  CHECK(result.root.media_type == media_type::kOciIndex);
  sh("skopeo inspect " + shell_quote("oci:" + (tmp / "out" / "both").string() + ":t"));
  sh("skopeo --override-arch arm64 inspect " +
     shell_quote("oci:" + (tmp / "out" / "both").string() + ":t"));
}
