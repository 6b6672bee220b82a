#include <steiger/sdk/layout_writer.hpp>

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "support.hpp"

using namespace steiger;
using namespace steiger::test;
namespace fs = std::filesystem;

namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

std::string blob(const fs::path& layout, const std::string& digest) {
  return read_file(layout / "blobs" / "sha256" / digest.substr(7));
}

sdk::ImageSpec hello_image(const std::string& platform, const std::string& greeting) {
  sdk::ImageSpec image;
  image.platform = platform;
  image.layers.emplace_back(sdk::tar_archive(
      {sdk::TarEntry::file("hello", "#!/bin/sh\necho " + greeting + "\n", 0755),
       sdk::TarEntry::directory("etc"), sdk::TarEntry::file("etc/motd", greeting + "\n")}));
  image.layers.emplace_back(sdk::tar_archive({sdk::TarEntry::file("etc/second", "2\n")}));
  image.entrypoint = {"/hello"};
  image.cmd = {"--loud"};
  image.env = {"PATH=/bin", "GREETING=" + greeting};
  image.user = "1000:1000";
  image.working_dir = "/srv";
  image.labels = {{"org.opencontainers.image.title", greeting}};
  return image;
}

void write(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

TEST_CASE("parse_platform", "[layout]") {
  auto p = sdk::parse_platform("linux/arm64/v8");
  CHECK(p.os == "linux");
  CHECK(p.architecture == "arm64");
  CHECK(p.variant == "v8");
  CHECK(sdk::parse_platform("linux/amd64").variant.empty());
  CHECK(sdk::parse_platform("linux/amd64").str() == "linux/amd64");
  for (const char* bad : {"", "linux", "linux/", "/amd64", "linux//v8", "a/b/c/d", "linux/arm/"})
    CHECK_THROWS_AS(sdk::parse_platform(bad), std::invalid_argument);
}

TEST_CASE("a single-image layout reads back with skopeo and umoci", "[layout]") {
  TempDir tmp;
  fs::path dir = tmp / "nested" / "layout";
  sdk::LayoutWriter out(dir);
  sdk::ImageSpec image = hello_image("linux/amd64", "hi");
  sdk::BlobRef manifest = out.add_image(image);
  out.add_manifest_to_index(manifest, image.platform,
                            {{"org.opencontainers.image.ref.name", "v1"}});
  out.write_index();

  CHECK(read_file(dir / "oci-layout") == R"({"imageLayoutVersion":"1.0.0"})");
  CHECK(check_layout(dir) == "");
  CHECK(manifest.media_type == "application/vnd.oci.image.manifest.v1+json");

  auto index = parse(read_file(dir / "index.json"));
  CHECK(index["schemaVersion"].GetInt() == 2);
  CHECK(std::string(index["mediaType"].GetString()) == "application/vnd.oci.image.index.v1+json");
  REQUIRE(index["manifests"].Size() == 1);
  const auto& entry = index["manifests"][0];
  CHECK(std::string(entry["digest"].GetString()) == manifest.digest);
  CHECK(entry["size"].GetUint64() == manifest.size);
  CHECK(std::string(entry["platform"]["os"].GetString()) == "linux");
  CHECK(std::string(entry["platform"]["architecture"].GetString()) == "amd64");
  CHECK_FALSE(entry["platform"].HasMember("variant"));

  auto m = parse(blob(dir, manifest.digest));
  CHECK(m["schemaVersion"].GetInt() == 2);
  CHECK(std::string(m["mediaType"].GetString()) == "application/vnd.oci.image.manifest.v1+json");
  CHECK(std::string(m["config"]["mediaType"].GetString()) ==
        "application/vnd.oci.image.config.v1+json");
  REQUIRE(m["layers"].Size() == 2);
  auto config = parse(blob(dir, m["config"]["digest"].GetString()));
  CHECK(std::string(config["os"].GetString()) == "linux");
  CHECK(std::string(config["architecture"].GetString()) == "amd64");
  CHECK(std::string(config["config"]["User"].GetString()) == "1000:1000");
  CHECK(std::string(config["config"]["WorkingDir"].GetString()) == "/srv");
  CHECK(std::string(config["config"]["Cmd"][0].GetString()) == "--loud");
  CHECK(std::string(config["rootfs"]["type"].GetString()) == "layers");
  // Uncompressed layers: each diff_id is the layer's own digest.
  CHECK(std::string(config["rootfs"]["diff_ids"][1].GetString()) ==
        m["layers"][1]["digest"].GetString());

  if (have_tool("skopeo")) {
    auto [rc, raw] = shell("skopeo inspect --raw oci:" + quote(dir.string()));
    REQUIRE(rc == 0);
    CHECK(raw == blob(dir, manifest.digest));
    auto [rc2, summary] = shell("skopeo inspect oci:" + quote(dir.string()) + ":v1");
    REQUIRE(rc2 == 0);
    auto s = parse(summary);
    CHECK(std::string(s["Digest"].GetString()) == manifest.digest);
    CHECK(std::string(s["Architecture"].GetString()) == "amd64");
    CHECK(s["Layers"].Size() == 2);
    CHECK(std::string(s["Labels"]["org.opencontainers.image.title"].GetString()) == "hi");
  } else {
    WARN("skopeo not installed: skipped");
  }
  if (have_tool("umoci")) {
    fs::path bundle = tmp / "bundle";
    auto [rc, out_text] = shell("umoci unpack --rootless --image " + quote(dir.string() + ":v1") +
                                " " + quote(bundle.string()) + " 2>&1");
    INFO(out_text);
    REQUIRE(rc == 0);
    CHECK(read_file(bundle / "rootfs" / "etc" / "motd") == "hi\n");
    CHECK(read_file(bundle / "rootfs" / "etc" / "second") == "2\n");
    CHECK((fs::status(bundle / "rootfs" / "hello").permissions() & fs::perms::owner_exec) !=
          fs::perms::none);
    auto runtime = parse(read_file(bundle / "config.json"));
    CHECK(std::string(runtime["process"]["args"][0].GetString()) == "/hello");
    CHECK(std::string(runtime["process"]["args"][1].GetString()) == "--loud");
    CHECK(std::string(runtime["process"]["cwd"].GetString()) == "/srv");
  } else {
    WARN("umoci not installed: skipped");
  }
}

TEST_CASE("a multi-platform layout lists each platform", "[layout]") {
  TempDir tmp;
  fs::path dir = tmp / "multi";
  sdk::LayoutWriter out(dir);
  for (const char* p : {"linux/amd64", "linux/arm64/v8", "linux/arm/v7"}) {
    sdk::ImageSpec image = hello_image(p, std::string("hello ") + p);
    out.add_manifest_to_index(
        out.add_image(image), image.platform,
        {{"org.opencontainers.image.ref.name", sdk::parse_platform(p).architecture}});
  }
  out.write_index();
  CHECK(check_layout(dir) == "");
  auto index = parse(read_file(dir / "index.json"));
  REQUIRE(index["manifests"].Size() == 3);
  CHECK(std::string(index["manifests"][1]["platform"]["architecture"].GetString()) == "arm64");
  CHECK(std::string(index["manifests"][1]["platform"]["variant"].GetString()) == "v8");
  CHECK(std::string(index["manifests"][2]["platform"]["variant"].GetString()) == "v7");
  for (const auto& m : index["manifests"].GetArray()) {
    auto manifest = parse(blob(dir, m["digest"].GetString()));
    auto config = parse(blob(dir, manifest["config"]["digest"].GetString()));
    CHECK(std::string(config["architecture"].GetString()) ==
          m["platform"]["architecture"].GetString());
    if (m["platform"].HasMember("variant"))
      CHECK(std::string(config["variant"].GetString()) == m["platform"]["variant"].GetString());
  }
  if (have_tool("skopeo")) {
    auto [rc, raw] = shell("skopeo inspect --raw oci:" + quote(dir.string()) + ":arm64");
    REQUIRE(rc == 0);
    CHECK(raw == blob(dir, index["manifests"][1]["digest"].GetString()));
    auto [rc2, summary] = shell("skopeo inspect oci:" + quote(dir.string()) + ":arm");
    REQUIRE(rc2 == 0);
    CHECK(std::string(parse(summary)["Architecture"].GetString()) == "arm");
  }
}

TEST_CASE("JSON strings are escaped", "[layout]") {
  TempDir tmp;
  sdk::LayoutWriter out(tmp / "l");
  sdk::ImageSpec image;
  image.platform = "linux/amd64";
  const std::string nasty = std::string("quote\" back\\slash\nnew\ttab\x01\x1f ctl \xc3\xa9 ") +
                            std::string(1, '\0') + "end";
  image.env = {"V=" + nasty};
  image.labels = {{nasty, nasty}};
  image.entrypoint = {nasty};
  sdk::BlobRef manifest = out.add_image(image);
  out.add_manifest_to_index(manifest, image.platform, {{"note", nasty}});
  out.write_index();
  CHECK(check_layout(tmp / "l") == "");
  auto m = parse(blob(tmp / "l", manifest.digest));
  auto config = parse(blob(tmp / "l", m["config"]["digest"].GetString()));
  const auto& env = config["config"]["Env"][0];
  CHECK(std::string(env.GetString(), env.GetStringLength()) == "V=" + nasty);
  const auto& label = config["config"]["Labels"].MemberBegin();
  CHECK(std::string(label->name.GetString(), label->name.GetStringLength()) == nasty);
  // And the SDK reads its own output back.
  auto entries = sdk::read_index(tmp / "l");
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].annotations.at("note") == nasty);
  CHECK(entries[0].platform == std::optional<std::string>("linux/amd64"));
  CHECK(entries[0].manifest.digest == manifest.digest);
  CHECK(entries[0].manifest.size == manifest.size);
}

TEST_CASE("blobs: content addressed, streamed from files, copied or moved", "[layout]") {
  TempDir tmp;
  sdk::LayoutWriter out(tmp / "l");
  sdk::BlobRef a = out.add_blob("payload", "application/octet-stream");
  CHECK(a.digest == "sha256:" + sdk::sha256_hex("payload"));
  CHECK(a.size == 7);
  CHECK(out.blob_path(a.digest) == tmp / "l" / "blobs" / "sha256" / a.digest.substr(7));
  CHECK(out.add_blob("payload", "x").digest == a.digest);  // stored once

  std::string big(3 * 1024 * 1024 + 7, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 + (i >> 12));
  write(tmp / "big.bin", big);
  sdk::BlobRef copied = out.add_blob_file(tmp / "big.bin", sdk::media_types::layer_tar);
  CHECK(copied.digest == "sha256:" + sdk::sha256_hex(big));
  CHECK(copied.size == big.size());
  CHECK(fs::exists(tmp / "big.bin"));
  CHECK(read_file(out.blob_path(copied.digest)) == big);

  write(tmp / "move.bin", big + "x");
  sdk::BlobRef moved = out.add_blob_file(tmp / "move.bin", sdk::media_types::layer_tar, true);
  CHECK_FALSE(fs::exists(tmp / "move.bin"));
  CHECK(read_file(out.blob_path(moved.digest)) == big + "x");
  write(tmp / "again.bin", big + "x");
  CHECK(out.add_blob_file(tmp / "again.bin", "x", true).digest == moved.digest);
  CHECK_FALSE(fs::exists(tmp / "again.bin"));

  CHECK_THROWS(out.add_blob_file(tmp / "absent.bin", "x"));
  CHECK_THROWS_AS(out.blob_path("sha256:../../etc/passwd"), std::invalid_argument);
  // Nothing but blobs left behind in blobs/sha256.
  for (const auto& e : fs::directory_iterator(tmp / "l" / "blobs" / "sha256"))
    CHECK(e.path().filename().string().size() == 64);
}

TEST_CASE("layers from existing blobs, and compressed layers need a diff_id", "[layout]") {
  TempDir tmp;
  sdk::LayoutWriter out(tmp / "l");
  std::string tar = sdk::tar_archive({sdk::TarEntry::file("f", "x")});
  write(tmp / "layer.tar", tar);
  sdk::ImageSpec image;
  image.platform = "linux/amd64";
  image.layers.push_back(
      sdk::Layer::from_blob(out.add_blob_file(tmp / "layer.tar", sdk::media_types::layer_tar)));
  sdk::BlobRef manifest = out.add_image(image);
  auto m = parse(blob(tmp / "l", manifest.digest));
  CHECK(std::string(m["layers"][0]["digest"].GetString()) == "sha256:" + sdk::sha256_hex(tar));

  sdk::ImageSpec gz;
  gz.platform = "linux/amd64";
  gz.layers.emplace_back("pretend gzip", sdk::media_types::layer_tar_gzip);
  CHECK_THROWS_AS(out.add_image(gz), std::invalid_argument);
  gz.layers[0].diff_id = "sha256:" + sdk::sha256_hex(tar);
  sdk::BlobRef gz_manifest = out.add_image(gz);
  auto gm = parse(blob(tmp / "l", gz_manifest.digest));
  auto gconfig = parse(blob(tmp / "l", gm["config"]["digest"].GetString()));
  CHECK(std::string(gconfig["rootfs"]["diff_ids"][0].GetString()) == gz.layers[0].diff_id);
  CHECK(std::string(gm["layers"][0]["mediaType"].GetString()) == sdk::media_types::layer_tar_gzip);

  sdk::ImageSpec bad;
  bad.platform = "amd64";
  CHECK_THROWS_AS(out.add_image(bad), std::invalid_argument);
  CHECK_THROWS_AS(out.add_manifest_to_index(manifest, std::string("linux")), std::invalid_argument);
}

TEST_CASE("merging per-platform layouts into one", "[layout]") {
  TempDir tmp;
  std::vector<sdk::BlobRef> manifests;
  for (const char* p : {"linux/amd64", "linux/arm64"}) {
    sdk::LayoutWriter single(tmp / sdk::parse_platform(p).architecture);
    sdk::ImageSpec image = hello_image(p, p);
    manifests.push_back(single.add_image(image));
    // Like `docker buildx --output type=oci` for one platform: no platform in the index.
    single.add_manifest_to_index(manifests.back(), std::nullopt, {{"origin", p}});
    single.write_index();
  }
  sdk::LayoutWriter merged(tmp / "merged");
  auto added = merged.merge(tmp / "amd64", std::string("linux/amd64"));
  merged.merge(tmp / "arm64", std::string("linux/arm64"));
  merged.write_index();
  REQUIRE(added.size() == 1);
  CHECK(added[0].platform == std::optional<std::string>("linux/amd64"));
  CHECK(check_layout(tmp / "merged") == "");
  auto entries = sdk::read_index(tmp / "merged");
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].manifest.digest == manifests[0].digest);
  CHECK(entries[1].manifest.digest == manifests[1].digest);
  CHECK(entries[1].platform == std::optional<std::string>("linux/arm64"));
  CHECK(entries[1].annotations.at("origin") == "linux/arm64");
  // A platform already in the source index wins over the fallback.
  sdk::LayoutWriter again(tmp / "again");
  again.merge(tmp / "merged", std::string("windows/amd64"));
  REQUIRE(again.index().size() == 2);
  CHECK(again.index()[1].platform == std::optional<std::string>("linux/arm64"));

  // A blob that links out of its layout is refused, not copied in.
  fs::path victim = tmp / "amd64" / "blobs" / "sha256" / manifests[0].digest.substr(7);
  fs::rename(victim, tmp / "outside");
  fs::create_symlink(tmp / "outside", victim);
  sdk::LayoutWriter refused(tmp / "refused");
  CHECK_THROWS_WITH(refused.merge(tmp / "amd64"), Catch::Contains("not a regular file"));
}

TEST_CASE("read_index rejects broken index files", "[layout]") {
  TempDir tmp;
  fs::create_directories(tmp / "l");
  auto with = [&](const std::string& text) {
    write(tmp / "l" / "index.json", text);
    return sdk::read_index(tmp / "l");
  };
  CHECK(with(R"({"schemaVersion":2,"manifests":[]})").empty());
  CHECK_THROWS_WITH(with("{"), Catch::Contains("index.json") && Catch::Contains("invalid JSON"));
  CHECK_THROWS_WITH(with(R"({"manifests":{}})"), Catch::Contains("no \"manifests\" array"));
  CHECK_THROWS_WITH(with(R"({"manifests":[{"digest":"sha256:00","size":-1}]})"),
                    Catch::Contains("not a non-negative integer"));
  CHECK_THROWS_WITH(with(R"({"manifests":[{"size":1}]})"), Catch::Contains("digest"));
  CHECK_THROWS(with(R"({"manifests":[]} trailing)"));
  auto e = with(
      R"( { "manifests" : [ {"mediaType":"application/vnd.oci.image.index.v1+json",
           "digest":"sha256:ab","size":12,"platform":{"os":"linux","architecture":"arm64",
           "variant":"v8","os.features":["x"]},"annotations":{"k":"\u00e9\ud83d\ude00\/"},
           "extra":[true,false,null,1.5e3]} ] } )");
  REQUIRE(e.size() == 1);
  CHECK(e[0].manifest.media_type == "application/vnd.oci.image.index.v1+json");
  CHECK(e[0].manifest.size == 12);
  CHECK(e[0].platform == std::optional<std::string>("linux/arm64/v8"));
  CHECK(e[0].annotations.at("k") == "\xc3\xa9\xf0\x9f\x98\x80/");
}

TEST_CASE("tar_archive writes ustar that tar reads", "[tar]") {
  TempDir tmp;
  std::string long_dir(90, 'd');
  std::string long_path = long_dir + "/" + std::string(60, 'e') + "/file.txt";  // > 100 bytes
  std::string exact(512, 'x'), odd(513, 'y');
  std::string archive = sdk::tar_archive({
      sdk::TarEntry::directory("usr/bin"),
      sdk::TarEntry::file("/usr/bin/app", "#!/bin/sh\n", 0755),
      sdk::TarEntry::file("empty", ""),
      sdk::TarEntry::file("exact", exact),
      sdk::TarEntry::file("odd", odd, 0600),
      sdk::TarEntry::file(long_path, "deep\n"),
      sdk::TarEntry::symlink("bin", "usr/bin"),
  });
  CHECK(archive.size() % 512 == 0);
  CHECK(archive.substr(archive.size() - 1024) == std::string(1024, '\0'));
  CHECK(archive.substr(257, 8) == std::string("ustar\0"
                                              "00",
                                              8));
  write(tmp / "a.tar", archive);

  if (!have_tool("tar")) {
    WARN("tar not installed: skipped");
    return;
  }
  auto [rc, listing] =
      shell("LC_ALL=C TZ=UTC tar -tvf " + quote((tmp / "a.tar").string()) + " 2>&1");
  INFO(listing);
  REQUIRE(rc == 0);
  CHECK_THAT(listing, Catch::Contains("drwxr-xr-x 0/0               0 1970-01-01 00:00 usr/bin/"));
  CHECK_THAT(listing,
             Catch::Contains("-rwxr-xr-x 0/0              10 1970-01-01 00:00 usr/bin/app"));
  CHECK_THAT(listing, Catch::Contains("-rw-r--r-- 0/0               0 1970-01-01 00:00 empty"));
  CHECK_THAT(listing, Catch::Contains("-rw------- 0/0             513 1970-01-01 00:00 odd"));
  CHECK_THAT(listing, Catch::Contains(long_path));
  CHECK_THAT(listing,
             Catch::Contains("lrwxrwxrwx 0/0               0 1970-01-01 00:00 bin -> usr/bin"));

  fs::create_directories(tmp / "x");
  REQUIRE(shell("tar -xf " + quote((tmp / "a.tar").string()) + " -C " + quote((tmp / "x").string()))
              .first == 0);
  CHECK(read_file(tmp / "x" / "exact") == exact);
  CHECK(read_file(tmp / "x" / "odd") == odd);
  CHECK(read_file(tmp / "x" / long_path) == "deep\n");
  CHECK(fs::is_symlink(tmp / "x" / "bin"));

  // Same input, same bytes: layer digests are reproducible.
  CHECK(sdk::tar_archive({sdk::TarEntry::file("a", "1")}) ==
        sdk::tar_archive({sdk::TarEntry::file("a", "1")}));
  CHECK(sdk::tar_archive({}) == std::string(1024, '\0'));
  CHECK_THROWS_AS(sdk::tar_archive({sdk::TarEntry::file(std::string(300, 'a'), "")}),
                  std::length_error);
  CHECK_THROWS_AS(sdk::tar_archive({sdk::TarEntry::file("/", "")}), std::invalid_argument);
}
