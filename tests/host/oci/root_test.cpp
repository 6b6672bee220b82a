#include "oci/root.hpp"

#include <catch2/catch.hpp>

#include "layout_fixture.hpp"
#include "oci/media_types.hpp"

using namespace steiger::oci;
using namespace steiger::oci::testing;
using Catch::Matchers::Contains;

TEST_CASE("choose_root: a single top-level manifest is the root, bytes as in the layout") {
  TempDir tmp;
  auto f = write_layout(tmp / "l");
  auto m = f.manifests[0];
  m.annotations = {{std::string(kRefNameAnnotation), "builder-tag"}, {"a", "b"}};
  LayoutWriter(f.dir).index_json({m});
  Root root = choose_root(validate_layout(f.dir));
  CHECK_FALSE(root.created);
  CHECK(root.descriptor.digest == m.digest);
  CHECK(root.bytes == read_text(blob_file(f.dir, m)));
  CHECK(root.descriptor.annotation(kRefNameAnnotation) == nullptr);
  REQUIRE(root.descriptor.annotation("a"));
  CHECK(*root.descriptor.annotation("a") == "b");
}

TEST_CASE("choose_root: several top-level manifests make a new index with their platforms") {
  TempDir tmp;
  Spec spec;
  spec.platforms = {"linux/amd64", "linux/arm/v7"};
  auto f = write_layout(tmp / "l", spec);
  Root root = choose_root(validate_layout(f.dir));
  CHECK(root.created);
  CHECK(root.descriptor.media_type == media_type::kOciIndex);
  CHECK(root.descriptor.digest.hex == sha256_hex(root.bytes));
  CHECK(root.descriptor.size == static_cast<std::int64_t>(root.bytes.size()));
  CHECK_THAT(root.bytes,
             Contains(R"("platform":{"architecture":"arm","os":"linux","variant":"v7"})"));
  CHECK_THAT(root.bytes, Contains(f.manifests[0].digest.str()));
}

TEST_CASE("choose_root: a manifest without platform cannot join an index") {
  TempDir tmp;
  LayoutWriter w(tmp / "l");
  auto layer = w.layer(10, 1);
  auto image = w.manifest(w.config(*Platform::parse("linux/amd64"), {layer}), {layer});
  auto artifact = w.manifest(w.blob("{}", "application/vnd.oci.empty.v1+json"), {layer});
  w.index_json({image, artifact});
  CHECK_THROWS_WITH(choose_root(validate_layout(w.dir())),
                    Contains("manifest " + artifact.digest.str() + " names no platform"));
}

TEST_CASE("choose_root: a root document changed since validation is refused") {
  TempDir tmp;
  auto f = write_layout(tmp / "l");
  Layout layout = validate_layout(f.dir);
  flip_byte(f.dir, f.manifests[0], 10);
  CHECK_THROWS_WITH(choose_root(layout), Contains("content does not match its digest"));
}
