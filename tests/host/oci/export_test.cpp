// export_layout, read back with skopeo and umoci.
#include "oci/export.hpp"

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include "command.hpp"
#include "layout_fixture.hpp"
#include "oci/layout.hpp"
#include "oci/media_types.hpp"

using namespace steiger::oci;
using namespace steiger::oci::testing;
using Catch::Matchers::Contains;

namespace {

// What `skopeo inspect --raw` returns for `reference` (oci:DIR or oci:DIR:TAG).
std::string skopeo_raw(const std::string& reference) {
  auto r = run_command("skopeo inspect --raw " + shell_quote(reference));
  INFO(r.output);
  REQUIRE(r.status == 0);
  return r.output;
}

// Checks what the destination says against the result: one tagged index.json entry, the root
// bytes skopeo reads hash to its digest, and the layout is valid.
void check_exported(const fs::path& dest, const ExportResult& result, const std::string& tag) {
  const std::string raw = skopeo_raw("oci:" + dest.string());
  CHECK(sha256_hex(raw) == result.root.digest.hex);
  CHECK(static_cast<std::int64_t>(raw.size()) == result.root.size);
  CHECK(skopeo_raw("oci:" + dest.string() + ":" + tag) == raw);

  auto inspect = run_command("skopeo inspect " + shell_quote("oci:" + dest.string() + ":" + tag));
  INFO(inspect.output);
  CHECK(inspect.status == 0);
  CHECK_THAT(inspect.output, Contains("\"Architecture\": \"amd64\""));

  rapidjson::Document index;
  index.Parse(read_text(dest / "index.json").c_str());
  REQUIRE(index.IsObject());
  REQUIRE(index["manifests"].Size() == 1);
  const auto& entry = index["manifests"][0];
  CHECK(std::string(entry["digest"].GetString()) == result.root.digest.str());
  CHECK(std::string(entry["annotations"]["org.opencontainers.image.ref.name"].GetString()) == tag);
  CHECK(*result.root.annotation(kRefNameAnnotation) == tag);

  Layout again = validate_layout(dest);
  REQUIRE(again.roots.size() == 1);
  CHECK(again.roots[0].digest == result.root.digest);
}

std::vector<fs::path> siblings(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("export of a single-platform layout points index.json at its manifest") {
  TempDir tmp;
  auto f = write_layout(tmp / "src");
  Layout source = validate_layout(f.dir);
  auto result = export_layout(source, tmp / "out" / "api", "v1.2.3", false);

  CHECK(result.root.digest == f.manifests[0].digest);
  CHECK(result.root.media_type == media_type::kOciManifest);
  check_exported(tmp / "out" / "api", result, "v1.2.3");
  CHECK(skopeo_raw("oci:" + (tmp / "out" / "api").string()) ==
        read_text(blob_file(f.dir, f.manifests[0])));
  // Copied, not moved: the source is still whole.
  CHECK_NOTHROW(validate_layout(f.dir));
  // Nothing left next to the destination.
  CHECK(siblings(tmp / "out") == std::vector<fs::path>{"api"});

  auto tags = run_command("umoci ls --layout " + shell_quote((tmp / "out" / "api").string()));
  CHECK(tags.status == 0);
  CHECK_THAT(tags.output, Contains("v1.2.3"));
}

TEST_CASE("export of several top-level manifests writes one new image index") {
  TempDir tmp;
  Spec spec;
  spec.platforms = {"linux/amd64", "linux/arm64/v8"};
  SECTION("platforms from index.json") {
    spec.platform_in_index_json = true;
  }
  SECTION("platforms from the configs only") {
    spec.platform_in_index_json = false;
  }
  auto f = write_layout(tmp / "src", spec);
  auto result = export_layout(validate_layout(f.dir), tmp / "out", "latest", false);

  CHECK(result.root.media_type == media_type::kOciIndex);
  check_exported(tmp / "out", result, "latest");

  rapidjson::Document index;
  const std::string raw = skopeo_raw("oci:" + (tmp / "out").string());
  index.Parse(raw.c_str());
  REQUIRE(index["manifests"].Size() == 2);
  const auto& arm = index["manifests"][1];
  CHECK(std::string(arm["digest"].GetString()) == f.manifests[1].digest.str());
  CHECK(std::string(arm["platform"]["architecture"].GetString()) == "arm64");
  CHECK(std::string(arm["platform"]["variant"].GetString()) == "v8");
  CHECK(raw.find('\n') == std::string::npos);  // compact

  auto arm_inspect = run_command("skopeo --override-arch arm64 --override-variant v8 inspect " +
                                 shell_quote("oci:" + (tmp / "out").string() + ":latest"));
  CHECK_THAT(arm_inspect.output, Contains("\"Architecture\": \"arm64\""));
}

TEST_CASE("export keeps attestations listed next to top-level manifests") {
  TempDir tmp;
  Spec spec;
  spec.platforms = {"linux/amd64", "linux/arm64"};
  spec.attestations = true;
  spec.platform_in_index_json = true;
  auto f = write_layout(tmp / "src", spec);
  auto result = export_layout(validate_layout(f.dir), tmp / "out", "t", false);
  rapidjson::Document index;
  index.Parse(skopeo_raw("oci:" + (tmp / "out").string()).c_str());
  REQUIRE(index["manifests"].Size() == 4);
  CHECK(
      std::string(index["manifests"][1]["annotations"]["vnd.docker.reference.type"].GetString()) ==
      "attestation-manifest");
  Layout again = validate_layout(tmp / "out");
  CHECK(again.images.size() == 4);
  CHECK(again.platform_images().size() == 2);
}

TEST_CASE("export keeps a buildx top-level index byte for byte") {
  TempDir tmp;
  Spec spec;
  spec.platforms = {"linux/amd64", "linux/arm64"};
  spec.nested = true;
  spec.attestations = true;
  auto f = write_layout(tmp / "src", spec);
  auto result = export_layout(validate_layout(f.dir), tmp / "out", "main", false);
  CHECK(result.root.digest == f.index->digest);
  check_exported(tmp / "out", result, "main");
  CHECK(skopeo_raw("oci:" + (tmp / "out").string()) == read_text(blob_file(f.dir, *f.index)));
}

TEST_CASE("export refuses a layout whose blobs were not all hashed") {
  TempDir tmp;
  Fixture f = write_layout(tmp / "src");
  CHECK_THROWS_AS(export_layout(validate_layout(f.dir, Check::Structure), tmp / "out", "t", false),
                  std::invalid_argument);
  CHECK_FALSE(fs::exists(tmp / "out"));
}

TEST_CASE("export refuses two images for one platform") {
  TempDir tmp;
  LayoutWriter w(tmp / "src");
  auto l1 = w.layer(10, 1);
  auto l2 = w.layer(10, 2);
  auto m1 = w.manifest(w.config(*Platform::parse("linux/amd64"), {l1}), {l1});
  auto m2 = w.manifest(w.config(*Platform::parse("linux/amd64"), {l2}), {l2});
  w.index_json({m1, m2});
  auto source = validate_layout(w.dir());
  CHECK_THROWS_WITH(export_layout(source, tmp / "out", "t", false),
                    Contains("two images for platform linux/amd64") && Contains(m1.digest.str()) &&
                        Contains(m2.digest.str()));
  CHECK_FALSE(fs::exists(tmp / "out"));
}

TEST_CASE("the same manifest listed under two tags is exported as that manifest") {
  TempDir tmp;
  auto f = write_layout(tmp / "src");
  auto a = f.manifests[0];
  a.annotations = {{std::string(kRefNameAnnotation), "a"}};
  auto b = f.manifests[0];
  b.annotations = {{std::string(kRefNameAnnotation), "b"}};
  LayoutWriter(f.dir).index_json({a, b});
  auto result = export_layout(validate_layout(f.dir), tmp / "out", "c", false);
  CHECK(result.root.digest == f.manifests[0].digest);
  CHECK(result.root.annotations.size() == 1);
  check_exported(tmp / "out", result, "c");
}

TEST_CASE("move_blobs renames the blobs out of a private work directory") {
  TempDir tmp;
  Spec spec;
  spec.layer_sizes = {2 << 20};
  auto f = write_layout(tmp / "src", spec);
  auto source = validate_layout(f.dir);
  const auto layer = blob_file(f.dir, f.layers[0][0]);
  const auto inode = fs::hard_link_count(layer);  // touch it so a missing file fails loudly
  REQUIRE(inode == 1);
  auto result = export_layout(source, tmp / "out", "t", true);
  CHECK_FALSE(fs::exists(layer));
  CHECK(fs::exists(blob_file(tmp / "out", f.layers[0][0])));
  check_exported(tmp / "out", result, "t");
}

TEST_CASE("move_blobs copies what a symlink points at instead of moving the link") {
  TempDir tmp;
  auto f = write_layout(tmp / "src");
  const auto layer = blob_file(f.dir, f.layers[0][1]);
  fs::create_directories(f.dir / "store");
  fs::rename(layer, f.dir / "store" / "layer.tar");
  fs::create_symlink("../../store/layer.tar", layer);  // relative: would dangle once moved
  auto result = export_layout(validate_layout(f.dir), tmp / "out", "t", true);
  CHECK_FALSE(fs::is_symlink(blob_file(tmp / "out", f.layers[0][1])));
  check_exported(tmp / "out", result, "t");
}

TEST_CASE("move_blobs across filesystems falls back to copying") {
  if (!fs::is_directory("/dev/shm")) {
    WARN("no /dev/shm, so no second filesystem to move across");
    return;
  }
  std::string pattern = "/dev/shm/steiger-test-XXXXXX";
  REQUIRE(::mkdtemp(pattern.data()));
  struct Cleanup {
    fs::path p;
    ~Cleanup() { fs::remove_all(p); }
  } cleanup{pattern};
  auto f = write_layout(fs::path(pattern) / "src");
  TempDir tmp;
  auto result = export_layout(validate_layout(f.dir), tmp / "out", "t", true);
  check_exported(tmp / "out", result, "t");
}

TEST_CASE("a read-only source (as in the nix store) is copied and the copy is writable") {
  TempDir tmp;
  auto f = write_layout(tmp / "src");
  for (const auto& e : fs::recursive_directory_iterator(f.dir)) {
    if (e.is_regular_file()) fs::permissions(e.path(), fs::perms(0444));
  }
  for (const auto& e : fs::recursive_directory_iterator(f.dir)) {
    if (e.is_directory()) fs::permissions(e.path(), fs::perms(0555));
  }
  fs::permissions(f.dir, fs::perms(0555));

  for (bool move : {false, true}) {
    INFO("move_blobs " << move);
    auto result = export_layout(validate_layout(f.dir), tmp / "out", "t", move);
    check_exported(tmp / "out", result, "t");
    for (const auto& e : fs::recursive_directory_iterator(tmp / "out")) {
      INFO(e.path());
      CHECK((e.status().permissions() & fs::perms::owner_write) != fs::perms::none);
    }
    if (move) break;
  }
}

TEST_CASE("export replaces an existing destination and leaves nothing else behind") {
  TempDir tmp;
  auto first = write_layout(tmp / "a");
  Spec spec;
  spec.layer_sizes = {77};
  spec.platforms = {"linux/amd64", "linux/arm64"};
  auto second = write_layout(tmp / "b", spec);

  export_layout(validate_layout(first.dir), tmp / "out" / "api", "one", false);
  auto result = export_layout(validate_layout(second.dir), tmp / "out" / "api", "two", false);
  check_exported(tmp / "out" / "api", result, "two");
  CHECK_FALSE(fs::exists(blob_file(tmp / "out" / "api", first.layers[0][0])));
  CHECK(siblings(tmp / "out") == std::vector<fs::path>{"api"});
  auto old_tag = run_command("skopeo inspect --raw " +
                             shell_quote("oci:" + (tmp / "out" / "api").string() + ":one"));
  CHECK(old_tag.status != 0);
}

TEST_CASE("a failed export leaves the old destination as it was") {
  TempDir tmp;
  auto good = write_layout(tmp / "a");
  auto before = export_layout(validate_layout(good.dir), tmp / "out", "one", false);
  const std::string index_before = read_text(tmp / "out" / "index.json");

  Spec spec;
  spec.platforms = {"linux/arm64"};
  auto f = write_layout(tmp / "b", spec);
  auto source = validate_layout(f.dir);
  remove_blob(f.dir, f.layers[0][1]);  // vanishes between validation and export
  CHECK_THROWS_AS(export_layout(source, tmp / "out", "two", false), ExportError);

  CHECK(read_text(tmp / "out" / "index.json") == index_before);
  check_exported(tmp / "out", before, "one");
  CHECK(siblings(tmp.path()).size() == 3);  // a, b, out: no temp directory left
}

TEST_CASE("export will not replace a directory that is not a layout") {
  TempDir tmp;
  auto f = write_layout(tmp / "src");
  fs::create_directories(tmp / "home");
  write_text(tmp / "home" / "precious.txt", "keep me");
  CHECK_THROWS_WITH(export_layout(validate_layout(f.dir), tmp / "home", "t", false),
                    Contains("refusing to replace " + (tmp / "home").string()));
  CHECK(read_text(tmp / "home" / "precious.txt") == "keep me");
  CHECK(siblings(tmp.path()) == std::vector<fs::path>{"home", "src"});

  fs::create_directories(tmp / "empty");
  auto result = export_layout(validate_layout(f.dir), tmp / "empty/", "t", false);
  check_exported(tmp / "empty", result, "t");
}

TEST_CASE("export checks the tag") {
  TempDir tmp;
  auto f = write_layout(tmp / "src");
  auto source = validate_layout(f.dir);
  for (const char* bad : {"", ".x", "-x", "a:b", "a/b", "a b"}) {
    INFO(bad);
    CHECK_THROWS_AS(export_layout(source, tmp / "out", bad, false), std::invalid_argument);
  }
  CHECK(is_valid_tag("v1.2.3-rc_1"));
  CHECK(is_valid_tag(std::string(128, 'a')));
  CHECK_FALSE(is_valid_tag(std::string(129, 'a')));
  CHECK_FALSE(fs::exists(tmp / "out"));
}
