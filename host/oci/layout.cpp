#include "oci/layout.hpp"

#include <map>
#include <set>
#include <system_error>

#include "oci/blob_store.hpp"
#include "oci/json.hpp"
#include "oci/media_types.hpp"

namespace fs = std::filesystem;

namespace steiger::oci {

namespace {

// Registries refuse manifests over 4 MiB, so a larger one is an error here already.
constexpr std::size_t kMaxDocument = std::size_t{4} << 20;
constexpr std::size_t kMaxConfig = std::size_t{8} << 20;
constexpr std::size_t kMaxLayoutFile = std::size_t{64} << 10;
// Content addressing rules out cycles; this only bounds the work a hostile layout can cause.
constexpr int kMaxDepth = 8;

// How a blob was reached, for messages: "layer 2 of manifest sha256:..." and who claims its size.
struct Ref {
  std::string where;
  std::string referrer;
};

class Validator {
 public:
  Validator(const fs::path& dir, const ValidateOptions& options) : dir_(dir), options_(options) {
    layout_.dir = dir;
  }

  Layout run() {
    open_directory();
    check_oci_layout();
    for (std::size_t i = 0; i < layout_.roots.size(); ++i) {
      Ref ref{"entry " + std::to_string(i + 1) + " of index.json", "index.json"};
      visit(layout_.roots[i], ref, 0);
    }
    check_has_platform_image();
    return std::move(layout_);
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const { throw LayoutError(dir_, problem); }

  [[noreturn]] void fail_blob(const Descriptor& d, const Ref& ref, const std::string& problem) {
    fail("blob " + d.digest.str() + " (" + ref.where + ") " + problem);
  }

  void open_directory() {
    std::error_code ec;
    auto status = fs::status(dir_, ec);
    if (status.type() == fs::file_type::not_found) fail("the directory does not exist");
    if (!fs::is_directory(status)) fail("is not a directory");
    try {
      store_.emplace(dir_);
    } catch (const fs::filesystem_error& e) {
      fail(std::string("cannot be opened: ") + e.code().message());
    }
  }

  rapidjson::Document read_layout_file(const char* name, std::size_t limit) {
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(dir_ / name, ec))) {
      fail(std::string("has no ") + name +
           " file (an OCI image layout holds oci-layout, index.json and blobs/)");
    }
    rapidjson::Document doc;
    try {
      std::string text = read_small_file(store_->locate(name), limit);
      if (auto error = json::parse(doc, text); !error.empty()) {
        fail(std::string(name) + " is not valid JSON: " + error);
      }
    } catch (const BlobProblem& e) {
      fail(std::string(name) + " " + e.what());
    }
    if (!doc.IsObject()) fail(std::string(name) + " must be a JSON object");
    return doc;
  }

  void check_oci_layout() {
    auto marker = read_layout_file("oci-layout", kMaxLayoutFile);
    const auto* version = json::member(marker, "imageLayoutVersion");
    if (!version || !version->IsString()) fail("oci-layout has no \"imageLayoutVersion\" string");
    std::string_view v(version->GetString(), version->GetStringLength());
    if (v != "1.0.0") {
      fail("oci-layout says imageLayoutVersion " + json::quote(v) + ", only 1.0.0 is supported");
    }

    auto index = read_layout_file("index.json", kMaxDocument);
    check_header(index, "index.json", nullptr);
    const auto* manifests = json::member(index, "manifests");
    if (!manifests || !manifests->IsArray()) fail("index.json has no \"manifests\" array");
    if (manifests->Empty()) fail("index.json lists no manifests");
    for (rapidjson::SizeType i = 0; i < manifests->Size(); ++i) {
      std::string error;
      auto d = json::read_descriptor((*manifests)[i], error);
      if (!d) fail("entry " + std::to_string(i + 1) + " of index.json: " + error);
      layout_.roots.push_back(std::move(*d));
    }
  }

  // schemaVersion 2, and a mediaType (when the document states one) that agrees with the
  // descriptor's: a registry would refuse a manifest whose two media types disagree.
  void check_header(const rapidjson::Value& doc, const std::string& name, const Descriptor* d) {
    const auto* schema = json::member(doc, "schemaVersion");
    if (!schema || !schema->IsInt() || schema->GetInt() != 2) {
      fail(name + " must have \"schemaVersion\": 2");
    }
    const auto* media_type = json::member(doc, "mediaType");
    if (!media_type) return;
    if (!media_type->IsString()) fail(name + ": \"mediaType\" must be a string");
    std::string_view mt(media_type->GetString(), media_type->GetStringLength());
    if (d && mt != d->media_type) {
      fail(name + " says its mediaType is " + json::quote(mt) + ", but it is referenced as " +
           json::quote(d->media_type));
    }
    if (!d && !is_index(mt)) {
      fail(name + " has mediaType " + json::quote(mt) + ", expected " +
           std::string(media_type::kOciIndex));
    }
  }

  void visit(const Descriptor& d, const Ref& ref, int depth) {
    if (is_index(d.media_type)) {
      visit_index(d, ref, depth);
    } else if (is_manifest(d.media_type)) {
      visit_manifest(d, ref);
    } else {
      // The OCI spec asks implementations to ignore entries of unknown media types: they are
      // checked and kept, not interpreted.
      verify(d, ref);
    }
  }

  void visit_index(const Descriptor& d, const Ref& ref, int depth) {
    if (depth >= kMaxDepth) {
      fail_blob(d, ref,
                "is an index nested more than " + std::to_string(kMaxDepth) + " levels deep");
    }
    if (!parsed_.insert(d.digest).second) return check_same_size(d, ref);
    const std::string name = "index " + d.digest.str();
    const std::string label = name + " (" + ref.where + ")";
    auto doc = read_document(d, ref, kMaxDocument, label);
    check_header(doc, label, &d);
    const auto* manifests = json::member(doc, "manifests");
    if (!manifests || !manifests->IsArray()) fail(label + " has no \"manifests\" array");
    layout_.indexes.push_back(d);
    for (rapidjson::SizeType i = 0; i < manifests->Size(); ++i) {
      const std::string where = "entry " + std::to_string(i + 1) + " of " + name;
      std::string error;
      auto child = json::read_descriptor((*manifests)[i], error);
      if (!child) fail(where + ": " + error);
      visit(*child, Ref{where, "the index"}, depth + 1);
    }
  }

  void visit_manifest(const Descriptor& d, const Ref& ref) {
    if (!parsed_.insert(d.digest).second) return check_same_size(d, ref);
    const std::string name = "manifest " + d.digest.str();
    const std::string label = name + " (" + ref.where + ")";
    auto doc = read_document(d, ref, kMaxDocument, label);
    check_header(doc, label, &d);

    Image image;
    image.manifest = d;
    const auto* config = json::member(doc, "config");
    if (!config) fail(label + " has no \"config\"");
    std::string error;
    auto config_descriptor = json::read_descriptor(*config, error);
    if (!config_descriptor) fail("config of " + name + ": " + error);
    image.config = std::move(*config_descriptor);

    const auto* layers = json::member(doc, "layers");
    if (!layers || !layers->IsArray()) fail(label + " has no \"layers\" array");
    for (rapidjson::SizeType i = 0; i < layers->Size(); ++i) {
      auto layer = json::read_descriptor((*layers)[i], error);
      if (!layer) fail("layer " + std::to_string(i + 1) + " of " + name + ": " + error);
      image.layers.push_back(std::move(*layer));
    }

    auto config_platform = visit_config(image.config, Ref{"config of " + name, "the manifest"});
    for (std::size_t i = 0; i < image.layers.size(); ++i) {
      verify(image.layers[i],
             Ref{"layer " + std::to_string(i + 1) + " of " + name, "the manifest"});
    }

    image.platform = d.platform ? d.platform : config_platform;
    const auto* type = d.annotation(kDockerReferenceTypeAnnotation);
    image.attestation = (type && *type == kAttestationManifest) ||
                        (image.platform && image.platform->os == "unknown" &&
                         image.platform->architecture == "unknown");
    layout_.images.push_back(std::move(image));
  }

  // The platform an image config names; other config types (artifacts) are only checked.
  std::optional<Platform> visit_config(const Descriptor& d, const Ref& ref) {
    if (!is_image_config(d.media_type)) {
      verify(d, ref);
      return std::nullopt;
    }
    if (auto known = config_platforms_.find(d.digest); known != config_platforms_.end()) {
      check_same_size(d, ref);
      return known->second;
    }
    const std::string label = "config " + d.digest.str() + " (" + ref.where + ")";
    auto doc = read_document(d, ref, kMaxConfig, label);
    if (!doc.IsObject()) fail(label + " must be a JSON object");
    Platform p;
    for (auto [key, out] : {std::pair{"os", &p.os}, std::pair{"architecture", &p.architecture},
                            std::pair{"variant", &p.variant}}) {
      const auto* v = json::member(doc, key);
      if (!v && std::string_view(key) == "variant") continue;
      if (!v || !v->IsString()) fail(label + " has no \"" + key + "\" string");
      *out = std::string(v->GetString(), v->GetStringLength());
    }
    config_platforms_.emplace(d.digest, p);
    return p;
  }

  // `label` names the document for messages, e.g. "manifest sha256:... (entry 1 of index.json)".
  rapidjson::Document read_document(const Descriptor& d, const Ref& ref, std::size_t limit,
                                    const std::string& label) {
    std::string bytes;
    try {
      bytes = store_->read(d, ref.referrer, limit);
    } catch (const BlobProblem& e) {
      fail_blob(d, ref, e.what());
    }
    record(d, ref);
    // Met before as a layer or an unknown entry, and left unhashed then: it is hashed now.
    layout_.unverified.erase(d.digest);
    rapidjson::Document doc;
    if (auto error = json::parse(doc, bytes); !error.empty()) {
      fail(label + " is not valid JSON: " + error);
    }
    return doc;
  }

  // Hashes each distinct blob once (those below the threshold); later references only have to
  // agree on its size.
  void verify(const Descriptor& d, const Ref& ref) {
    if (seen_.count(d.digest)) return check_same_size(d, ref);
    const bool hash = static_cast<std::uint64_t>(d.size) < options_.hash_below;
    try {
      if (hash)
        store_->verify(d, ref.referrer);
      else
        store_->verify_size(d, ref.referrer);
    } catch (const BlobProblem& e) {
      fail_blob(d, ref, e.what());
    }
    record(d, ref);
    if (!hash) layout_.unverified.insert(d.digest);
  }

  void check_same_size(const Descriptor& d, const Ref& ref) {
    auto it = seen_.find(d.digest);
    if (it != seen_.end() && it->second != d.size) {
      fail_blob(d, ref,
                "has " + std::to_string(it->second) + " bytes, " + ref.referrer + " says " +
                    std::to_string(d.size));
    }
  }

  void record(const Descriptor& d, const Ref& ref) {
    if (seen_.count(d.digest)) return check_same_size(d, ref);
    seen_.emplace(d.digest, d.size);
    layout_.blobs.push_back(d);
    layout_.total_bytes += static_cast<std::uint64_t>(d.size);
  }

  void check_has_platform_image() {
    if (layout_.images.empty()) fail("index.json leads to no image manifest");
    if (layout_.platform_images().empty()) {
      fail("holds only attestation manifests, no image for any platform");
    }
  }

  fs::path dir_;
  ValidateOptions options_;
  std::optional<BlobStore> store_;
  Layout layout_;
  std::map<Digest, std::int64_t> seen_;  // verified blobs and their sizes
  std::set<Digest> parsed_;              // manifests and indexes already followed
  std::map<Digest, std::optional<Platform>> config_platforms_;
};

}  // namespace

std::vector<const Image*> Layout::platform_images() const {
  std::vector<const Image*> out;
  for (const auto& image : images) {
    if (!image.attestation) out.push_back(&image);
  }
  return out;
}

LayoutError::LayoutError(const fs::path& layout, const std::string& problem)
    : std::runtime_error("layout " + layout.string() + ": " + problem), layout_(layout) {}

Layout validate_layout(const fs::path& dir, Check check) {
  return validate_layout(dir, ValidateOptions{check == Check::Everything ? UINT64_MAX : 0});
}

Layout validate_layout(const fs::path& dir, const ValidateOptions& options) {
  return Validator(dir, options).run();
}

}  // namespace steiger::oci
