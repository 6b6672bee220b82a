// validate_layout on broken layouts: each is refused, and the message names what is wrong where.
#include <catch2/catch.hpp>

#include <set>

#include "layout_fixture.hpp"
#include "oci/layout.hpp"
#include "oci/media_types.hpp"

using namespace steiger::oci;
using namespace steiger::oci::testing;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// The message of the LayoutError validate_layout throws; fails the test when it accepts `dir`.
std::string error_of(const fs::path& dir) {
  try {
    validate_layout(dir);
  } catch (const LayoutError& e) {
    CHECK(e.layout() == dir);
    CHECK_THAT(e.what(), StartsWith("layout " + dir.string() + ": "));
    return e.what();
  }
  FAIL("validate_layout accepted the broken layout " << dir);
  return {};
}

const std::string kIndexHead = "{\"schemaVersion\":2,\"manifests\":";

struct Broken {
  TempDir tmp;
  Fixture f = write_layout(tmp / "l");
  const fs::path& dir() const { return f.dir; }
  std::string manifest() const { return f.manifests[0].digest.str(); }
  std::string layer(int i) const { return f.layers[0][static_cast<std::size_t>(i)].digest.str(); }
};

}  // namespace

TEST_CASE("a missing directory, or a file instead") {
  TempDir tmp;
  CHECK_THAT(error_of(tmp / "nope"), Contains("does not exist"));
  write_text(tmp / "file", "x");
  CHECK_THAT(error_of(tmp / "file"), Contains("is not a directory"));
}

TEST_CASE("oci-layout: missing, not JSON, wrong version") {
  Broken b;
  fs::remove(b.dir() / "oci-layout");
  CHECK_THAT(error_of(b.dir()), Contains("has no oci-layout file"));
  write_text(b.dir() / "oci-layout", "imageLayoutVersion=1.0.0");
  CHECK_THAT(error_of(b.dir()), Contains("oci-layout is not valid JSON"));
  write_text(b.dir() / "oci-layout", R"({"imageLayoutVersion":"2.0.0"})");
  CHECK_THAT(error_of(b.dir()), Contains("imageLayoutVersion '2.0.0'"));
  write_text(b.dir() / "oci-layout", R"({"imageLayoutVersion":1})");
  CHECK_THAT(error_of(b.dir()), Contains("oci-layout has no \"imageLayoutVersion\""));
}

TEST_CASE("index.json: missing, not JSON, wrong schema, no manifests") {
  Broken b;
  const auto index = b.dir() / "index.json";
  fs::remove(index);
  CHECK_THAT(error_of(b.dir()), Contains("has no index.json file"));
  write_text(index, "{\"schemaVersion\":2,");
  CHECK_THAT(error_of(b.dir()), Contains("index.json is not valid JSON"));
  write_text(index, "[]");
  CHECK_THAT(error_of(b.dir()), Contains("index.json must be a JSON object"));
  write_text(index, "{\"schemaVersion\":1,\"manifests\":" + descriptors_json(b.f.roots) + "}");
  CHECK_THAT(error_of(b.dir()), Contains("index.json must have \"schemaVersion\": 2"));
  write_text(index, "{\"schemaVersion\":2}");
  CHECK_THAT(error_of(b.dir()), Contains("index.json has no \"manifests\" array"));
  write_text(index, kIndexHead + "[]}");
  CHECK_THAT(error_of(b.dir()), Contains("index.json lists no manifests"));
  write_text(index, "{\"schemaVersion\":2,\"mediaType\":\"" +
                        std::string(media_type::kOciManifest) +
                        "\",\"manifests\":" + descriptors_json(b.f.roots) + "}");
  CHECK_THAT(error_of(b.dir()), Contains("index.json has mediaType"));
}

TEST_CASE("malformed descriptors are named by position") {
  Broken b;
  const auto index = b.dir() / "index.json";
  const std::string good = descriptor_json(b.f.roots[0]);
  const std::string mt = std::string(media_type::kOciManifest);
  write_text(index, kIndexHead + "[" + good + ",{\"mediaType\":\"" + mt +
                        "\",\"digest\":\"sha256:../../etc/passwd\",\"size\":1}]}");
  auto e = error_of(b.dir());
  CHECK_THAT(e, Contains("entry 2 of index.json"));
  CHECK_THAT(e, Contains("digest 'sha256:../../etc/passwd' is not a valid digest"));

  write_text(index, kIndexHead + "[{\"mediaType\":\"" + mt + "\",\"digest\":\"" + b.manifest() +
                        "\",\"size\":-1}]}");
  CHECK_THAT(error_of(b.dir()), Contains("\"size\" must be a non-negative integer"));
  write_text(index, kIndexHead + "[{\"mediaType\":\"" + mt + "\",\"digest\":\"" + b.manifest() +
                        "\",\"size\":12.5}]}");
  CHECK_THAT(error_of(b.dir()), Contains("\"size\" must be a non-negative integer"));
  write_text(index, kIndexHead + "[{\"digest\":\"" + b.manifest() + "\",\"size\":1}]}");
  CHECK_THAT(error_of(b.dir()), Contains("\"mediaType\" must be a non-empty string"));
}

TEST_CASE("an invalid digest inside a manifest, pointing out of the layout") {
  TempDir tmp;
  LayoutWriter w(tmp / "l");
  auto layer = w.layer(10, 1);
  auto config = w.config(*Platform::parse("linux/amd64"), {layer});
  auto manifest =
      w.blob("{\"schemaVersion\":2,\"config\":" + descriptor_json(config) +
                 ",\"layers\":[{\"mediaType\":\"" + std::string(media_type::kOciLayerTar) +
                 "\",\"digest\":\"sha256:../../../../etc/shadow\",\"size\":10}]}",
             media_type::kOciManifest);
  w.index_json({manifest});
  auto e = error_of(w.dir());
  CHECK_THAT(e, Contains("layer 1 of manifest " + manifest.digest.str()));
  CHECK_THAT(e, Contains("'sha256:../../../../etc/shadow' is not a valid digest"));
}

TEST_CASE("a missing layer names the layer, its manifest and the expected file") {
  Broken b;
  remove_blob(b.dir(), b.f.layers[0][1]);
  auto e = error_of(b.dir());
  CHECK_THAT(
      e, Contains("blob " + b.layer(1) + " (layer 2 of manifest " + b.manifest() + ") is missing"));
  CHECK_THAT(e, Contains("blobs/sha256/" + b.f.layers[0][1].digest.hex));
}

TEST_CASE("a missing config, manifest or nested index") {
  SECTION("config") {
    Broken b;
    remove_blob(b.dir(), b.f.configs[0]);
    CHECK_THAT(error_of(b.dir()),
               Contains("blob " + b.f.configs[0].digest.str() + " (config of manifest " +
                        b.manifest() + ") is missing"));
  }
  SECTION("manifest") {
    Broken b;
    remove_blob(b.dir(), b.f.manifests[0]);
    CHECK_THAT(error_of(b.dir()),
               Contains("blob " + b.manifest() + " (entry 1 of index.json) is missing"));
  }
  SECTION("manifest of a nested index") {
    TempDir tmp;
    Spec spec;
    spec.platforms = {"linux/amd64", "linux/arm64"};
    spec.nested = true;
    auto f = write_layout(tmp / "l", spec);
    remove_blob(f.dir, f.manifests[1]);
    CHECK_THAT(error_of(f.dir),
               Contains("blob " + f.manifests[1].digest.str() + " (entry 2 of index " +
                        f.index->digest.str() + ") is missing"));
  }
}

TEST_CASE("a truncated layer: its size against the manifest's") {
  Broken b;
  truncate_blob(b.dir(), b.f.layers[0][1], 1000);
  CHECK_THAT(error_of(b.dir()),
             Contains("blob " + b.layer(1) + " (layer 2 of manifest " + b.manifest() +
                      ") has 1000 bytes, the manifest says 3000"));
}

TEST_CASE("a descriptor that states the wrong size") {
  TempDir tmp;
  LayoutWriter w(tmp / "l");
  auto layer = w.layer(1000, 1);
  auto config = w.config(*Platform::parse("linux/amd64"), {layer});
  layer.size = 1024;
  auto manifest = w.manifest(config, {layer});
  w.index_json({manifest});
  CHECK_THAT(error_of(w.dir()), Contains("has 1000 bytes, the manifest says 1024"));

  manifest.size += 1;
  w.index_json({manifest});
  CHECK_THAT(error_of(w.dir()),
             Contains("blob " + manifest.digest.str() + " (entry 1 of index.json) has " +
                      std::to_string(manifest.size - 1) + " bytes, index.json says " +
                      std::to_string(manifest.size)));
}

TEST_CASE("content that does not match its digest") {
  Broken b;
  flip_byte(b.dir(), b.f.layers[0][0], 500);
  auto e = error_of(b.dir());
  CHECK_THAT(e, Contains("blob " + b.layer(0) + " (layer 1 of manifest " + b.manifest() +
                         ") content does not match its digest"));
}

TEST_CASE("a tampered manifest or config does not match its digest either") {
  Broken b;
  flip_byte(b.dir(), b.f.configs[0], 3);
  CHECK_THAT(error_of(b.dir()), Contains("(config of manifest " + b.manifest() +
                                         ") content does not match its digest"));
}

TEST_CASE("Check::Structure leaves layer content unhashed but still checks documents and sizes") {
  Broken b;
  flip_byte(b.dir(), b.f.layers[0][0], 500);
  CHECK_NOTHROW(steiger::oci::validate_layout(b.dir(), steiger::oci::Check::Structure));
  CHECK_THROWS_AS(steiger::oci::validate_layout(b.dir()), steiger::oci::LayoutError);
  Broken config;
  flip_byte(config.dir(), config.f.configs[0], 3);
  CHECK_THROWS_WITH(steiger::oci::validate_layout(config.dir(), steiger::oci::Check::Structure),
                    Contains("content does not match its digest"));
}

TEST_CASE("hash_below hashes small blobs and lists the big ones as unverified") {
  TempDir tmp;
  Fixture f = write_layout(tmp / "l", Spec{{"linux/amd64"}, {1000, 5000, 9000}});
  const auto& layers = f.layers[0];
  const ValidateOptions options{4096};

  Layout full = validate_layout(f.dir);
  CHECK(full.unverified.empty());
  Layout part = validate_layout(f.dir, options);
  CHECK(part.unverified == std::set<Digest>{layers[1].digest, layers[2].digest});
  CHECK(part.verified(layers[0].digest));
  CHECK_FALSE(part.verified(layers[2].digest));
  CHECK(part.blobs.size() == full.blobs.size());
  CHECK(part.total_bytes == full.total_bytes);
  Layout structure = validate_layout(f.dir, Check::Structure);
  CHECK(structure.unverified ==
        std::set<Digest>{layers[0].digest, layers[1].digest, layers[2].digest});

  SECTION("a big blob with wrong content passes, unverified") {
    flip_byte(f.dir, layers[2], 4500);
    CHECK(validate_layout(f.dir, options).unverified.count(layers[2].digest) == 1);
    CHECK_THROWS_WITH(validate_layout(f.dir), Contains("content does not match its digest"));
  }
  SECTION("a small blob with wrong content is refused") {
    flip_byte(f.dir, layers[0], 10);
    CHECK_THROWS_WITH(
        validate_layout(f.dir, options),
        Contains("blob " + layers[0].digest.str() + " (layer 1 of manifest " +
                 f.manifests[0].digest.str() + ") content does not match its digest"));
  }
  SECTION("a big blob of the wrong size, missing, or outside the layout is refused") {
    truncate_blob(f.dir, layers[1], 4999);
    CHECK_THROWS_WITH(validate_layout(f.dir, options),
                      Contains("has 4999 bytes, the manifest says 5000"));
    remove_blob(f.dir, layers[1]);
    CHECK_THROWS_WITH(validate_layout(f.dir, options), Contains("is missing"));
    fs::create_symlink(tmp / "elsewhere", blob_file(f.dir, layers[1]));
    write_text(tmp / "elsewhere", std::string(5000, 'x'));
    CHECK_THROWS_WITH(validate_layout(f.dir, options), Contains("outside the layout"));
  }
  SECTION("documents are hashed whatever their size") {
    flip_byte(f.dir, f.configs[0], 3);
    CHECK_THROWS_WITH(validate_layout(f.dir, ValidateOptions{0}),
                      Contains("content does not match its digest"));
  }
}

TEST_CASE("a blob met as a layer, then read as a config, ends up verified") {
  TempDir tmp;
  LayoutWriter w(tmp / "l");
  auto layer = w.layer(10, 1);
  auto config = w.config(*Platform::parse("linux/amd64"), {layer});
  // The first manifest lists the config's bytes as an unknown-type layer; the second reads it.
  auto odd = config;
  odd.media_type = "application/vnd.example.data";
  auto first_cfg = w.config(*Platform::parse("linux/arm64"), {odd});
  auto first = w.manifest(first_cfg, {odd});
  auto second = w.manifest(config, {layer});
  w.index_json({first, second});
  Layout l = validate_layout(w.dir(), ValidateOptions{0});
  CHECK(l.verified(config.digest));
  CHECK_FALSE(l.verified(layer.digest));
}

TEST_CASE("documents that are not JSON or not of the right shape") {
  TempDir tmp;
  LayoutWriter w(tmp / "l");
  auto layer = w.layer(10, 1);
  auto config = w.config(*Platform::parse("linux/amd64"), {layer});
  const std::string mt = std::string(media_type::kOciManifest);

  SECTION("manifest not JSON") {
    auto m = w.blob("this is not json", media_type::kOciManifest);
    w.index_json({m});
    CHECK_THAT(error_of(w.dir()), Contains("manifest " + m.digest.str() +
                                           " (entry 1 of index.json) is not valid JSON"));
  }
  SECTION("manifest without config") {
    auto m = w.blob("{\"schemaVersion\":2,\"layers\":[]}", media_type::kOciManifest);
    w.index_json({m});
    CHECK_THAT(error_of(w.dir()), Contains("manifest " + m.digest.str() +
                                           " (entry 1 of index.json) has no \"config\""));
  }
  SECTION("manifest without layers") {
    auto m = w.blob("{\"schemaVersion\":2,\"config\":" + descriptor_json(config) + "}",
                    media_type::kOciManifest);
    w.index_json({m});
    CHECK_THAT(error_of(w.dir()), Contains("has no \"layers\" array"));
  }
  SECTION("manifest with schemaVersion 1") {
    auto m =
        w.blob("{\"schemaVersion\":1,\"config\":" + descriptor_json(config) + ",\"layers\":[]}",
               media_type::kOciManifest);
    w.index_json({m});
    CHECK_THAT(error_of(w.dir()), Contains("must have \"schemaVersion\": 2"));
  }
  SECTION("manifest whose own mediaType disagrees with its descriptor") {
    auto m =
        w.blob("{\"schemaVersion\":2,\"mediaType\":\"" + std::string(media_type::kDockerManifest) +
                   "\",\"config\":" + descriptor_json(config) + ",\"layers\":[]}",
               media_type::kOciManifest);
    w.index_json({m});
    CHECK_THAT(error_of(w.dir()), Contains("says its mediaType is"));
  }
  SECTION("config not JSON") {
    auto bad = w.blob("nope", media_type::kOciConfig);
    auto m = w.manifest(bad, {layer});
    w.index_json({m});
    CHECK_THAT(error_of(w.dir()), Contains("config " + bad.digest.str() + " (config of manifest " +
                                           m.digest.str() + ") is not valid JSON"));
  }
  SECTION("config without os") {
    auto bad = w.blob(R"({"architecture":"amd64"})", media_type::kOciConfig);
    auto m = w.manifest(bad, {layer});
    w.index_json({m});
    CHECK_THAT(error_of(w.dir()), Contains("has no \"os\" string"));
  }
  SECTION("nested index not JSON") {
    auto idx = w.blob("[", media_type::kOciIndex);
    w.index_json({idx});
    CHECK_THAT(error_of(w.dir()), Contains("index " + idx.digest.str() +
                                           " (entry 1 of index.json) is not valid JSON"));
  }
}

TEST_CASE("a blob that is a symlink out of the layout is refused, even with the right content") {
  Broken b;
  const auto layer = blob_file(b.dir(), b.f.layers[0][0]);
  const auto outside = b.tmp / "outside.tar";
  fs::rename(layer, outside);
  fs::create_symlink(outside, layer);
  auto e = error_of(b.dir());
  CHECK_THAT(
      e, Contains("blob " + b.layer(0) + " (layer 1 of manifest " + b.manifest() +
                  ") is a symlink to " + fs::canonical(outside).string() + ", outside the layout"));
}

TEST_CASE("a blobs directory that is a symlink out of the layout is refused") {
  Broken b;
  const auto outside = b.tmp / "elsewhere";
  fs::rename(b.dir() / "blobs", outside);
  fs::create_directory_symlink(outside, b.dir() / "blobs");
  CHECK_THAT(error_of(b.dir()),
             Contains("resolves through a symlink to " + fs::canonical(outside).string()));
}

TEST_CASE("a dangling symlink, a directory where a blob should be") {
  Broken b;
  const auto layer = blob_file(b.dir(), b.f.layers[0][0]);
  fs::remove(layer);
  fs::create_symlink("nowhere", layer);
  CHECK_THAT(error_of(b.dir()), Contains("is a symlink whose target does not exist"));
  fs::remove(layer);
  fs::create_directory(layer);
  CHECK_THAT(error_of(b.dir()),
             Contains("(layer 1 of manifest " + b.manifest() + ") is not a regular file"));
}

TEST_CASE("a layout with no platform image") {
  SECTION("only an attestation") {
    TempDir tmp;
    LayoutWriter w(tmp / "l");
    auto layer = w.layer(10, 1);
    auto m = w.manifest(w.config(*Platform::parse("linux/amd64"), {layer}), {layer});
    w.index_json({w.attestation(m)});
    CHECK_THAT(error_of(w.dir()), Contains("only attestation manifests"));
  }
  SECTION("nothing but an unknown artifact") {
    TempDir tmp;
    LayoutWriter w(tmp / "l");
    w.index_json({w.blob("x", "application/vnd.example.thing")});
    CHECK_THAT(error_of(w.dir()), Contains("no image manifest"));
  }
}

TEST_CASE("two references to one blob that disagree on its size") {
  TempDir tmp;
  LayoutWriter w(tmp / "l");
  auto layer = w.layer(100, 1);
  auto config = w.config(*Platform::parse("linux/amd64"), {layer});
  auto wrong = layer;
  wrong.size = 99;
  auto m = w.manifest(config, {layer, wrong});
  w.index_json({m});
  CHECK_THAT(error_of(w.dir()), Contains("(layer 2 of manifest " + m.digest.str() +
                                         ") has 100 bytes, the manifest says 99"));
}
