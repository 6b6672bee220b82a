// validate_layout on layouts that are fine: what it reports about them.
#include "oci/layout.hpp"

#include <catch2/catch.hpp>

#include "layout_fixture.hpp"
#include "memory.hpp"
#include "oci/media_types.hpp"

using namespace steiger::oci;
using namespace steiger::oci::testing;

namespace {

std::vector<Digest> digests(const std::vector<Descriptor>& ds) {
  std::vector<Digest> out;
  for (const auto& d : ds) out.push_back(d.digest);
  return out;
}

}  // namespace

TEST_CASE("a single-platform layout: one image, its platform from the config") {
  TempDir tmp;
  auto f = write_layout(tmp / "l");
  Layout l = validate_layout(f.dir);

  CHECK(l.dir == f.dir);
  REQUIRE(l.roots.size() == 1);
  CHECK(l.roots[0].digest == f.manifests[0].digest);
  CHECK(l.indexes.empty());
  REQUIRE(l.images.size() == 1);
  const Image& image = l.images[0];
  CHECK(image.manifest.digest == f.manifests[0].digest);
  CHECK(image.config.digest == f.configs[0].digest);
  CHECK(digests(image.layers) == digests(f.layers[0]));
  CHECK(image.layers[1].size == 3000);
  REQUIRE(image.platform);
  CHECK(image.platform->str() == "linux/amd64");
  CHECK_FALSE(image.attestation);
  CHECK(l.platform_images().size() == 1);

  // The manifest comes before what it names.
  const std::vector<Digest> expected{f.manifests[0].digest, f.configs[0].digest,
                                     f.layers[0][0].digest, f.layers[0][1].digest};
  CHECK(digests(l.blobs) == expected);
  std::uint64_t total = 0;
  for (const auto& b : l.blobs) total += static_cast<std::uint64_t>(b.size);
  CHECK(l.total_bytes == total);
  CHECK(total > 4000);
}

TEST_CASE("a flat multi-platform layout: platforms from index.json descriptors") {
  TempDir tmp;
  Spec spec;
  spec.platforms = {"linux/amd64", "linux/arm64/v8"};
  spec.platform_in_index_json = true;
  auto f = write_layout(tmp / "l", spec);
  Layout l = validate_layout(f.dir);

  CHECK(l.roots.size() == 2);
  REQUIRE(l.images.size() == 2);
  CHECK(l.images[0].platform->str() == "linux/amd64");
  CHECK(l.images[1].platform->str() == "linux/arm64/v8");
  CHECK(l.platform_images().size() == 2);
  CHECK(l.blobs.size() == 8);
}

TEST_CASE("a descriptor's platform wins over the config's") {
  TempDir tmp;
  LayoutWriter w(tmp / "l");
  auto layer = w.layer(10, 1);
  auto m = w.manifest(w.config(*Platform::parse("linux/arm/v7"), {layer}), {layer});
  m.platform = Platform::parse("linux/arm/v6");
  w.index_json({m});
  CHECK(validate_layout(w.dir()).images[0].platform->str() == "linux/arm/v6");
}

TEST_CASE("a buildx layout: nested index followed, attestations flagged, not platforms") {
  TempDir tmp;
  Spec spec;
  spec.platforms = {"linux/amd64", "linux/arm64"};
  spec.nested = true;
  spec.attestations = true;
  auto f = write_layout(tmp / "l", spec);
  Layout l = validate_layout(f.dir);

  REQUIRE(l.roots.size() == 1);
  CHECK(is_index(l.roots[0].media_type));
  REQUIRE(l.indexes.size() == 1);
  CHECK(l.indexes[0].digest == f.index->digest);
  REQUIRE(l.images.size() == 4);
  auto platforms = l.platform_images();
  REQUIRE(platforms.size() == 2);
  CHECK(platforms[0]->platform->str() == "linux/amd64");
  CHECK(platforms[1]->platform->str() == "linux/arm64");
  CHECK(platforms[0]->manifest.digest == f.manifests[0].digest);
  int attestations = 0;
  for (const auto& image : l.images) attestations += image.attestation ? 1 : 0;
  CHECK(attestations == 2);
  // index, 2 x (manifest, config, 2 layers), 2 x (manifest, config, statement)
  CHECK(l.blobs.size() == 15);
  CHECK(l.blobs.front().digest == f.index->digest);
}

TEST_CASE("platform unknown/unknown alone marks an attestation") {
  TempDir tmp;
  LayoutWriter w(tmp / "l");
  auto layer = w.layer(10, 1);
  auto image = w.manifest(w.config(*Platform::parse("linux/amd64"), {layer}), {layer});
  auto unknown = w.manifest(w.config(Platform{"unknown", "unknown", ""}, {layer}), {layer});
  w.index_json({image, unknown});
  Layout l = validate_layout(w.dir());
  REQUIRE(l.images.size() == 2);
  CHECK_FALSE(l.images[0].attestation);
  CHECK(l.images[1].attestation);
  CHECK(l.platform_images().size() == 1);
}

TEST_CASE("a blob shared by several manifests is listed and counted once") {
  TempDir tmp;
  LayoutWriter w(tmp / "l");
  auto base = w.layer(5000, 1);
  auto amd = w.layer(10, 2);
  auto arm = w.layer(20, 3);
  auto m1 = w.manifest(w.config(*Platform::parse("linux/amd64"), {base, amd}), {base, amd});
  auto m2 = w.manifest(w.config(*Platform::parse("linux/arm64"), {base, arm}), {base, arm});
  w.index_json({m1, m2, m1});  // m1 listed twice, as under two tags
  Layout l = validate_layout(w.dir());
  CHECK(l.images.size() == 2);
  CHECK(l.blobs.size() == 7);
  CHECK(std::count_if(l.blobs.begin(), l.blobs.end(),
                      [&](const Descriptor& d) { return d.digest == base.digest; }) == 1);
  std::uint64_t sum = 0;
  for (const auto& b : l.blobs) sum += static_cast<std::uint64_t>(b.size);
  CHECK(l.total_bytes == sum);
}

TEST_CASE("Docker schema 2 manifests and configs are understood") {
  TempDir tmp;
  LayoutWriter w(tmp / "l");
  auto layer = w.layer(100, 1, media_type::kDockerLayerTarGzip);
  auto config = w.blob(R"({"architecture":"arm64","os":"linux","rootfs":{"type":"layers"}})",
                       media_type::kDockerConfig);
  auto manifest =
      w.blob("{\"schemaVersion\":2,\"mediaType\":" + json_string(media_type::kDockerManifest) +
                 ",\"config\":" + descriptor_json(config) + ",\"layers\":[" +
                 descriptor_json(layer) + "]}",
             media_type::kDockerManifest);
  w.index_json({manifest});
  Layout l = validate_layout(w.dir());
  REQUIRE(l.images.size() == 1);
  CHECK(l.images[0].platform->str() == "linux/arm64");
}

TEST_CASE("symlinks that stay inside the layout are fine, as is a symlinked layout") {
  TempDir tmp;
  auto f = write_layout(tmp / "l");
  // As a store-built layout might: the blob is a link to a file elsewhere in the layout.
  const auto layer = blob_file(f.dir, f.layers[0][1]);
  fs::create_directories(f.dir / "store");
  fs::rename(layer, f.dir / "store" / "layer.tar");
  fs::create_symlink("../../store/layer.tar", layer);
  fs::create_directory_symlink(f.dir, tmp / "result");
  Layout l = validate_layout(tmp / "result");
  CHECK(l.images.size() == 1);
}

TEST_CASE("entries of unknown media types are checked and kept but not interpreted") {
  TempDir tmp;
  LayoutWriter w(tmp / "l");
  auto layer = w.layer(10, 1);
  auto image = w.manifest(w.config(*Platform::parse("linux/amd64"), {layer}), {layer});
  auto other = w.blob("whatever", "application/vnd.example.thing");
  w.index_json({image, other});
  Layout l = validate_layout(w.dir());
  CHECK(l.images.size() == 1);
  CHECK(l.roots.size() == 2);
  CHECK(l.blobs.back().digest == other.digest);
}

TEST_CASE("validate_layout hashes big layers in constant memory") {
  TempDir tmp;
  Spec spec;
  spec.layer_sizes = {std::uint64_t{48} << 20};
  auto f = write_layout(tmp / "l", spec);
  long growth = peak_growth_kib([&] { validate_layout(f.dir); });
  INFO("peak growth " << growth << " KiB");
  CHECK(growth < 12 * 1024);
}
