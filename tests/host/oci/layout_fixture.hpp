// Writes OCI image layouts for tests, by hand rather than through the code under test, so a test
// can build exactly the layout it needs (broken ones included) and then corrupt it.
#pragma once

#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "oci/descriptor.hpp"
#include "oci/digest.hpp"
#include "oci/media_types.hpp"
#include "oci/sha256.hpp"

namespace steiger::oci::testing {

namespace fs = std::filesystem;

// A fresh directory under the system temp directory, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "steiger-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    // Tests make read-only trees; give write access back so removal works for non-root users.
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(path_, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_directory(ec) && !it->is_symlink(ec)) {
        fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
      }
    }
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  fs::path operator/(const fs::path& p) const { return path_ / p; }

 private:
  fs::path path_;
};

inline void write_text(const fs::path& file, std::string_view text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

inline std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  // Not through istreambuf_iterator: GCC 12 at -O2 warns of a null dereference inside it.
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

inline std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

inline std::string platform_json(const Platform& p) {
  std::string out =
      "{\"architecture\":" + json_string(p.architecture) + ",\"os\":" + json_string(p.os);
  if (!p.variant.empty()) out += ",\"variant\":" + json_string(p.variant);
  return out + "}";
}

inline std::string descriptor_json(const Descriptor& d) {
  std::string out = "{\"mediaType\":" + json_string(d.media_type) +
                    ",\"digest\":" + json_string(d.digest.str()) +
                    ",\"size\":" + std::to_string(d.size);
  if (d.platform) out += ",\"platform\":" + platform_json(*d.platform);
  if (!d.annotations.empty()) {
    out += ",\"annotations\":{";
    for (std::size_t i = 0; i < d.annotations.size(); ++i) {
      if (i) out += ",";
      out += json_string(d.annotations[i].first) + ":" + json_string(d.annotations[i].second);
    }
    out += "}";
  }
  return out + "}";
}

inline std::string descriptors_json(const std::vector<Descriptor>& ds) {
  std::string out = "[";
  for (std::size_t i = 0; i < ds.size(); ++i) out += (i ? "," : "") + descriptor_json(ds[i]);
  return out + "]";
}

// Writes blobs and documents into one layout directory.
class LayoutWriter {
 public:
  explicit LayoutWriter(fs::path dir, std::string_view layout_version = "1.0.0")
      : dir_(std::move(dir)) {
    fs::create_directories(dir_ / "blobs" / "sha256");
    write_text(dir_ / "oci-layout", "{\"imageLayoutVersion\":" + json_string(layout_version) + "}");
  }

  const fs::path& dir() const { return dir_; }

  Descriptor blob(std::string_view bytes, std::string_view media_type) {
    Descriptor d;
    d.media_type = std::string(media_type);
    d.digest = Digest{"sha256", sha256_hex(bytes)};
    d.size = static_cast<std::int64_t>(bytes.size());
    write_text(blob_path(dir_, d.digest), bytes);
    return d;
  }

  // `size` pseudo-random bytes (distinct per seed), written in chunks so big layers stay cheap.
  Descriptor layer(std::uint64_t size, std::uint32_t seed,
                   std::string_view media_type = media_type::kOciLayerTar) {
    const fs::path tmp = dir_ / "blobs" / "layer.tmp";
    Hasher hasher("sha256");
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      std::uint64_t state = 0x9e3779b97f4a7c15ULL ^ (std::uint64_t{seed} * 0x100000001b3ULL);
      std::string chunk;
      for (std::uint64_t left = size; left > 0;) {
        chunk.resize(static_cast<std::size_t>(std::min<std::uint64_t>(left, 1 << 16)));
        for (char& c : chunk) {
          state ^= state << 13;
          state ^= state >> 7;
          state ^= state << 17;
          c = static_cast<char>(state & 0xff);
        }
        hasher.update(chunk);
        out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        left -= chunk.size();
      }
      if (!out) throw std::runtime_error("cannot write " + tmp.string());
    }
    Descriptor d;
    d.media_type = std::string(media_type);
    d.digest = Digest{"sha256", hasher.hex_final()};
    d.size = static_cast<std::int64_t>(size);
    fs::rename(tmp, blob_path(dir_, d.digest));
    return d;
  }

  // An image config naming `platform`, with rootfs diff_ids (the layers are uncompressed tar).
  Descriptor config(const Platform& platform, const std::vector<Descriptor>& layers) {
    std::string diff_ids;
    for (const auto& l : layers)
      diff_ids += (diff_ids.empty() ? "" : ",") + json_string(l.digest.str());
    std::string text = "{\"architecture\":" + json_string(platform.architecture) +
                       ",\"os\":" + json_string(platform.os);
    if (!platform.variant.empty()) text += ",\"variant\":" + json_string(platform.variant);
    text += ",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diff_ids + "]}}";
    return blob(text, media_type::kOciConfig);
  }

  Descriptor manifest(const Descriptor& config, const std::vector<Descriptor>& layers) {
    return blob("{\"schemaVersion\":2,\"mediaType\":" + json_string(media_type::kOciManifest) +
                    ",\"config\":" + descriptor_json(config) +
                    ",\"layers\":" + descriptors_json(layers) + "}",
                media_type::kOciManifest);
  }

  Descriptor index(const std::vector<Descriptor>& manifests) {
    return blob("{\"schemaVersion\":2,\"mediaType\":" + json_string(media_type::kOciIndex) +
                    ",\"manifests\":" + descriptors_json(manifests) + "}",
                media_type::kOciIndex);
  }

  void index_json(const std::vector<Descriptor>& manifests) {
    write_text(dir_ / "index.json",
               "{\"schemaVersion\":2,\"mediaType\":" + json_string(media_type::kOciIndex) +
                   ",\"manifests\":" + descriptors_json(manifests) + "}");
  }

  // A buildx-style provenance manifest for `subject`, described as buildx describes it.
  Descriptor attestation(const Descriptor& subject) {
    Descriptor statement = blob(
        "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":"
        "\"https://slsa.dev/provenance/v0.2\",\"subject\":[{\"digest\":{\"sha256\":" +
            json_string(subject.digest.hex) + "}}],\"predicate\":{}}",
        "application/vnd.in-toto+json");
    statement.annotations = {{"in-toto.io/predicate-type", "https://slsa.dev/provenance/v0.2"}};
    Descriptor cfg = config(Platform{"unknown", "unknown", ""}, {statement});
    Descriptor d = manifest(cfg, {statement});
    d.platform = Platform{"unknown", "unknown", ""};
    d.annotations = {
        {"vnd.docker.reference.digest", subject.digest.str()},
        {std::string(kDockerReferenceTypeAnnotation), std::string(kAttestationManifest)}};
    return d;
  }

 private:
  fs::path dir_;
};

struct Spec {
  std::vector<std::string> platforms{"linux/amd64"};
  std::vector<std::uint64_t> layer_sizes{1000, 3000};
  bool nested = false;                  // buildx style: index.json -> one image index -> manifests
  bool attestations = false;            // a provenance manifest next to each platform manifest
  bool platform_in_index_json = false;  // flat layouts: state platforms in index.json entries
};

struct Fixture {
  fs::path dir;
  std::vector<Descriptor> manifests;  // one per platform, as listed (platform set when listed so)
  std::vector<Descriptor> configs;
  std::vector<std::vector<Descriptor>> layers;  // per platform
  std::vector<Descriptor> attestations;
  std::optional<Descriptor> index;  // the nested index (spec.nested)
  std::vector<Descriptor> roots;    // index.json entries
};

// A complete, valid layout at `dir`: per platform, layers of spec.layer_sizes (distinct content),
// a config naming the platform and a manifest.
inline Fixture write_layout(const fs::path& dir, const Spec& spec = {}) {
  LayoutWriter w(dir);
  Fixture f;
  f.dir = dir;
  std::vector<Descriptor> listed;
  for (std::size_t p = 0; p < spec.platforms.size(); ++p) {
    auto platform = Platform::parse(spec.platforms[p]);
    if (!platform) throw std::invalid_argument("bad platform " + spec.platforms[p]);
    std::vector<Descriptor> layers;
    for (std::size_t l = 0; l < spec.layer_sizes.size(); ++l) {
      layers.push_back(w.layer(spec.layer_sizes[l], static_cast<std::uint32_t>(p * 100 + l + 1)));
    }
    Descriptor cfg = w.config(*platform, layers);
    Descriptor m = w.manifest(cfg, layers);
    if (spec.nested || spec.platform_in_index_json) m.platform = platform;
    f.manifests.push_back(m);
    f.configs.push_back(cfg);
    f.layers.push_back(layers);
    listed.push_back(m);
    if (spec.attestations) {
      f.attestations.push_back(w.attestation(m));
      listed.push_back(f.attestations.back());
    }
  }
  if (spec.nested) {
    f.index = w.index(listed);
    f.roots = {*f.index};
  } else {
    f.roots = listed;
  }
  w.index_json(f.roots);
  return f;
}

// Corrupters.
inline fs::path blob_file(const fs::path& dir, const Descriptor& d) {
  return blob_path(dir, d.digest);
}
inline void remove_blob(const fs::path& dir, const Descriptor& d) {
  fs::remove(blob_file(dir, d));
}
inline void truncate_blob(const fs::path& dir, const Descriptor& d, std::uint64_t size) {
  fs::resize_file(blob_file(dir, d), size);
}
// Same size, different content.
inline void flip_byte(const fs::path& dir, const Descriptor& d, std::uint64_t offset = 0) {
  std::fstream f(blob_file(dir, d), std::ios::binary | std::ios::in | std::ios::out);
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  f.get(c);
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(c ^ 0x01));
  if (!f) throw std::runtime_error("cannot flip a byte of " + blob_file(dir, d).string());
}
// Replaces a blob's content and renames nothing: its digest no longer matches.
inline void overwrite_blob(const fs::path& dir, const Descriptor& d, std::string_view bytes) {
  write_text(blob_file(dir, d), bytes);
}

}  // namespace steiger::oci::testing
