// Writing OCI image layouts (image-spec 1.0) from a plugin, without any library: for builders
// that assemble images themselves, and for merging per-platform builds into one layout.
//
//   steiger::sdk::LayoutWriter out(ctx.work_dir() + "/app");
//   steiger::sdk::ImageSpec image;
//   image.platform = "linux/amd64";
//   using steiger::sdk::TarEntry;
//   image.layers.emplace_back(steiger::sdk::tar_archive({TarEntry::file("hello", bytes, 0755)}));
//   image.entrypoint = {"/hello"};
//   out.add_manifest_to_index(out.add_image(image), image.platform);
//   out.write_index();
//   ctx.add_artifact("app", out.dir().string());
//
// Every function reports failure by throwing (std::runtime_error or std::filesystem's errors).
#pragma once

#include <steiger/sdk/sha256.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace steiger::sdk {

// The media types an image layout uses.
namespace media_types {
inline constexpr const char* index = "application/vnd.oci.image.index.v1+json";
inline constexpr const char* manifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* config = "application/vnd.oci.image.config.v1+json";
inline constexpr const char* layer_tar = "application/vnd.oci.image.layer.v1.tar";
inline constexpr const char* layer_tar_gzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr const char* layer_tar_zstd = "application/vnd.oci.image.layer.v1.tar+zstd";
}  // namespace media_types

// A content descriptor: what a manifest or index says about a blob.
struct BlobRef {
  std::string media_type;
  std::string digest;  // "sha256:<64 hex>"
  std::uint64_t size = 0;
};

// One layer of an ImageSpec: either bytes to store, or a blob already added (add_blob_file).
struct Layer {
  Layer() = default;
  // Bytes to store as the layer blob; a compressed media type needs uncompressed_digest.
  explicit Layer(std::string layer_bytes, std::string type = media_types::layer_tar,
                 std::string uncompressed_digest = {})
      : bytes(std::move(layer_bytes)),
        media_type(std::move(type)),
        diff_id(std::move(uncompressed_digest)) {}
  // A blob already in the layout (from add_blob or add_blob_file).
  static Layer from_blob(BlobRef ref, std::string uncompressed_digest = {}) {
    Layer l;
    l.media_type = ref.media_type;
    l.blob = std::move(ref);
    l.diff_id = std::move(uncompressed_digest);
    return l;
  }

  std::string bytes;  // the blob's content; ignored when `blob` is set
  std::string media_type = media_types::layer_tar;
  // The digest of the uncompressed tar. Empty means the blob is the uncompressed tar itself;
  // required for compressed layers.
  std::string diff_id;
  std::optional<BlobRef> blob;
};

// What add_image turns into an image config and a manifest.
struct ImageSpec {
  std::string platform;       // "os/arch[/variant]", e.g. "linux/arm64/v8"
  std::vector<Layer> layers;  // base first
  std::vector<std::string> entrypoint, cmd;
  std::vector<std::string> env;  // "NAME=value"
  std::string user, working_dir;
  std::map<std::string, std::string> labels;
};

// One manifest listed in index.json.
struct IndexEntry {
  BlobRef manifest;
  std::optional<std::string> platform;  // "os/arch[/variant]"
  std::map<std::string, std::string> annotations;
};

// A platform string taken apart.
struct Platform {
  std::string os, architecture, variant;  // variant may be empty
  std::string str() const {
    return os + "/" + architecture + (variant.empty() ? "" : "/" + variant);
  }
};

// Parses "os/arch[/variant]"; throws std::invalid_argument on anything else.
inline Platform parse_platform(std::string_view text) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    std::size_t slash = text.find('/', start);
    parts.emplace_back(text.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  bool empty_part = false;
  for (const auto& part : parts) empty_part = empty_part || part.empty();
  if (parts.size() < 2 || parts.size() > 3 || empty_part)
    throw std::invalid_argument("invalid platform \"" + std::string(text) +
                                "\": expected os/arch[/variant], e.g. linux/amd64");
  return Platform{parts[0], parts[1], parts.size() == 3 ? parts[2] : std::string()};
}

// A file, directory or symlink for tar_archive.
struct TarEntry {
  enum class Kind { File, Directory, Symlink };
  static TarEntry file(std::string path, std::string content, std::uint32_t mode = 0644) {
    return TarEntry{std::move(path), std::move(content), mode, Kind::File};
  }
  static TarEntry directory(std::string path, std::uint32_t mode = 0755) {
    return TarEntry{std::move(path), {}, mode, Kind::Directory};
  }
  static TarEntry symlink(std::string path, std::string target) {
    return TarEntry{std::move(path), std::move(target), 0777, Kind::Symlink};
  }

  std::string path;     // inside the archive, e.g. "usr/bin/app"; a leading '/' is dropped
  std::string content;  // a file's bytes, or a symlink's target
  std::uint32_t mode = 0644;
  Kind kind = Kind::File;
};

namespace detail {

// Fills a numeric tar field: octal digits, then a NUL.
inline void tar_octal(char* field, std::size_t width, std::uint64_t value) {
  field[width - 1] = '\0';
  for (std::size_t i = width - 1; i-- > 0; value >>= 3)
    field[i] = static_cast<char>('0' + (value & 7));
  if (value != 0) throw std::length_error("tar: value too large for its header field");
}

inline void tar_text(char* field, std::size_t width, std::string_view text, const char* what) {
  if (text.size() > width) throw std::length_error(std::string("tar: ") + what + " too long");
  text.copy(field, text.size());
}

inline std::string json_quote(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  // Characters with a short escape, and the letter that follows their backslash.
  constexpr std::string_view special("\"\\\n\r\t\b\f"), letter("\"\\nrtbf");
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (auto k = special.find(c); k != std::string_view::npos) {
      out.push_back('\\');
      out.push_back(letter[k]);
    } else if (u < 0x20) {
      out += "\\u00";
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 0xf]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

inline std::string json_strings(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& s : items) out += (out.size() > 1 ? "," : "") + json_quote(s);
  return out + "]";
}

inline std::string json_map(const std::map<std::string, std::string>& m) {
  std::string out = "{";
  for (const auto& [k, v] : m)
    out += (out.size() > 1 ? "," : "") + json_quote(k) + ":" + json_quote(v);
  return out + "}";
}

inline std::string json_descriptor(const BlobRef& b, const std::string& extra = {}) {
  return "{\"mediaType\":" + json_quote(b.media_type) + ",\"digest\":" + json_quote(b.digest) +
         ",\"size\":" + std::to_string(b.size) + extra + "}";
}

inline std::string json_platform(const Platform& p) {
  return "{\"architecture\":" + json_quote(p.architecture) + ",\"os\":" + json_quote(p.os) +
         (p.variant.empty() ? "" : ",\"variant\":" + json_quote(p.variant)) + "}";
}

// Just enough JSON to read another layout's index.json back (merging per-platform builds).
struct Json {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  std::string text;  // a string's value, or a number's literal
  // Array items, or object member values parallel to keys (a pair would need Json complete).
  std::vector<Json> items;
  std::vector<std::string> keys;

  const Json* get(std::string_view key) const {
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == key) return &items[i];
    return nullptr;
  }
};

class JsonParser {
 public:
  explicit JsonParser(std::string_view in) : in_(in) {}

  Json parse_document() {
    Json v = parse(0);
    skip_ws();
    if (pos_ != in_.size()) fail("trailing characters");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("invalid JSON at byte " + std::to_string(pos_) + ": " + what);
  }
  void skip_ws() {
    while (pos_ < in_.size() &&
           (in_[pos_] == ' ' || in_[pos_] == '\n' || in_[pos_] == '\r' || in_[pos_] == '\t'))
      ++pos_;
  }
  bool eat(char c) {
    skip_ws();
    if (pos_ < in_.size() && in_[pos_] == c) return ++pos_, true;
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail(std::string("expected '") + c + "'");
  }
  bool literal(std::string_view word) {
    if (in_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Json parse(int depth) {
    if (depth > 64) fail("nested too deeply");
    skip_ws();
    if (pos_ >= in_.size()) fail("unexpected end");
    Json v;
    char c = in_[pos_];
    if (c == '{') {
      ++pos_;
      v.kind = Json::Kind::Object;
      if (eat('}')) return v;
      do {
        skip_ws();
        std::string key = parse_string();
        expect(':');
        v.keys.push_back(std::move(key));
        v.items.push_back(parse(depth + 1));
      } while (eat(','));
      expect('}');
    } else if (c == '[') {
      ++pos_;
      v.kind = Json::Kind::Array;
      if (eat(']')) return v;
      do v.items.push_back(parse(depth + 1));
      while (eat(','));
      expect(']');
    } else if (c == '"') {
      v.kind = Json::Kind::String;
      v.text = parse_string();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v.kind = Json::Kind::Number;
      std::size_t start = pos_;
      while (pos_ < in_.size() &&
             std::string_view("+-.eE0123456789").find(in_[pos_]) != std::string_view::npos)
        ++pos_;
      v.text = in_.substr(start, pos_ - start);
    } else if (literal("true")) {
      v.kind = Json::Kind::Bool;
      v.text = "true";
    } else if (literal("false")) {
      v.kind = Json::Kind::Bool;
      v.text = "false";
    } else if (literal("null")) {
      v.kind = Json::Kind::Null;
    } else {
      fail("unexpected character");
    }
    return v;
  }

  unsigned hex4() {
    if (pos_ + 4 > in_.size()) fail("short \\u escape");
    // Upper-case digits sit 16 places after their lower-case twins, so `& 15` maps both.
    constexpr std::string_view digits("0123456789abcdef0123456789ABCDEF");
    unsigned u = 0;
    for (int i = 0; i < 4; ++i) {
      auto k = digits.find(in_[pos_++]);
      if (k == std::string_view::npos) fail("bad \\u escape");
      u = u << 4 | static_cast<unsigned>(k & 15);
    }
    return u;
  }

  static void put_utf8(std::string& out, unsigned cp) {
    auto byte = [&](unsigned b) { out.push_back(static_cast<char>(b)); };
    if (cp < 0x80) {
      byte(cp);
    } else if (cp < 0x800) {
      byte(0xc0 | (cp >> 6));
      byte(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      byte(0xe0 | (cp >> 12));
      byte(0x80 | ((cp >> 6) & 0x3f));
      byte(0x80 | (cp & 0x3f));
    } else {
      byte(0xf0 | (cp >> 18));
      byte(0x80 | ((cp >> 12) & 0x3f));
      byte(0x80 | ((cp >> 6) & 0x3f));
      byte(0x80 | (cp & 0x3f));
    }
  }

  std::string parse_string() {
    if (pos_ >= in_.size() || in_[pos_] != '"') fail("expected a string");
    ++pos_;
    std::string out;
    while (true) {
      if (pos_ >= in_.size()) fail("unterminated string");
      char c = in_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= in_.size()) fail("unterminated string");
      constexpr std::string_view escaped("\"\\/bfnrt"), meaning("\"\\/\b\f\n\r\t");
      char e = in_[pos_++];
      if (auto k = escaped.find(e); k != std::string_view::npos) {
        out.push_back(meaning[k]);
      } else if (e == 'u') {
        unsigned cp = hex4();
        if (cp >= 0xd800 && cp < 0xdc00 && literal("\\u")) {
          unsigned low = hex4();
          if (low < 0xdc00 || low > 0xdfff) fail("bad surrogate pair");
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }
        put_utf8(out, cp);
      } else {
        fail("bad escape");
      }
    }
  }

  std::string_view in_;
  std::size_t pos_ = 0;
};

inline std::string read_file(const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw std::runtime_error("cannot read " + path.string());
  std::string out;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) out.append(buf, n);
  if (std::ferror(f.get())) throw std::runtime_error("cannot read " + path.string());
  return out;
}

}  // namespace detail

// A POSIX ustar archive of the entries, in order: owner 0:0, mtime 0, so equal input gives equal
// bytes (and digests). Long paths use the ustar prefix field (up to 255 bytes in all).
inline std::string tar_archive(const std::vector<TarEntry>& entries) {
  std::string out;
  std::size_t total = 1024;
  for (const auto& e : entries) total += 512 + (e.content.size() + 511) / 512 * 512;
  out.reserve(total);
  for (const auto& e : entries) {
    std::string name = e.path;
    while (!name.empty() && name[0] == '/') name.erase(0, 1);
    if (name.empty()) throw std::invalid_argument("tar: empty path");
    if (e.kind == TarEntry::Kind::Directory && name.back() != '/') name.push_back('/');
    char h[512] = {};
    std::string_view prefix, rest = name;
    if (name.size() > 100) {
      // Split at a '/' so the tail fits the name field and the head the prefix field.
      std::size_t cut = name.find('/', name.size() - 101);
      if (cut == std::string::npos || cut > 155 || cut + 1 == name.size())
        throw std::length_error("tar: path too long for ustar: " + name);
      prefix = std::string_view(name).substr(0, cut);
      rest = std::string_view(name).substr(cut + 1);
    }
    detail::tar_text(h, 100, rest, "path");
    detail::tar_octal(h + 100, 8, e.mode & 07777);
    detail::tar_octal(h + 108, 8, 0);
    detail::tar_octal(h + 116, 8, 0);
    const bool file = e.kind == TarEntry::Kind::File;
    detail::tar_octal(h + 124, 12, file ? e.content.size() : 0);
    detail::tar_octal(h + 136, 12, 0);
    h[156] = file ? '0' : e.kind == TarEntry::Kind::Directory ? '5' : '2';
    if (e.kind == TarEntry::Kind::Symlink) detail::tar_text(h + 157, 100, e.content, "link target");
    static constexpr char magic[8] = {'u', 's', 't', 'a', 'r', '\0', '0', '0'};  // ustar, v"00"
    std::copy(magic, magic + 8, h + 257);
    detail::tar_text(h + 345, 155, prefix, "path");
    // The checksum counts its own field as eight spaces.
    std::string_view("        ").copy(h + 148, 8);
    unsigned sum = 0;
    for (char c : h) sum += static_cast<unsigned char>(c);
    detail::tar_octal(h + 148, 7, sum);
    h[155] = ' ';
    out.append(h, sizeof h);
    if (file) {
      out += e.content;
      out.append((512 - e.content.size() % 512) % 512, '\0');
    }
  }
  out.append(1024, '\0');  // the end-of-archive marker
  return out;
}

// Reads the manifests a layout's index.json lists. Of each platform object only os,
// architecture and variant are kept.
inline std::vector<IndexEntry> read_index(const std::filesystem::path& layout_dir) {
  const auto path = layout_dir / "index.json";
  detail::Json doc;
  try {
    doc = detail::JsonParser(detail::read_file(path)).parse_document();
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(path.string() + ": " + e.what());
  }
  auto bad = [&](const std::string& what) {
    return std::runtime_error(path.string() + ": " + what);
  };
  auto str = [&](const detail::Json* j, const char* what) -> std::string {
    if (j == nullptr || j->kind != detail::Json::Kind::String)
      throw bad(std::string(what) + " is not a string");
    return j->text;
  };
  const detail::Json* manifests = doc.get("manifests");
  if (manifests == nullptr || manifests->kind != detail::Json::Kind::Array)
    throw bad("no \"manifests\" array");
  std::vector<IndexEntry> out;
  for (const auto& m : manifests->items) {
    IndexEntry e;
    const detail::Json* type = m.get("mediaType");
    e.manifest.media_type = type ? str(type, "mediaType") : media_types::manifest;
    e.manifest.digest = str(m.get("digest"), "digest");
    const detail::Json* size = m.get("size");
    if (size == nullptr || size->kind != detail::Json::Kind::Number ||
        size->text.find_first_not_of("0123456789") != std::string::npos)
      throw bad("size of " + e.manifest.digest + " is not a non-negative integer");
    e.manifest.size = std::stoull(size->text);
    if (const detail::Json* p = m.get("platform")) {
      Platform platform{str(p->get("os"), "platform.os"),
                        str(p->get("architecture"), "platform.architecture"),
                        {}};
      if (const detail::Json* v = p->get("variant")) platform.variant = str(v, "platform.variant");
      e.platform = platform.str();
    }
    if (const detail::Json* a = m.get("annotations"))
      for (std::size_t i = 0; i < a->keys.size(); ++i)
        e.annotations[a->keys[i]] = str(&a->items[i], "annotation");
    out.push_back(std::move(e));
  }
  return out;
}

// Builds one OCI image layout directory. Blobs are written as they are added (content-addressed,
// so adding the same bytes twice stores them once); index.json only by write_index(), which
// replaces any index.json already there rather than extending it. Not thread-safe.
class LayoutWriter {
 public:
  // Creates dir (and its parents), dir/oci-layout and dir/blobs/sha256.
  explicit LayoutWriter(std::filesystem::path dir) : dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_ / "blobs" / "sha256");
    write_atomically(dir_ / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  }

  const std::filesystem::path& dir() const { return dir_; }
  // Where a blob with this digest lives ("sha256:<hex>" -> dir/blobs/sha256/<hex>).
  std::filesystem::path blob_path(std::string_view digest) const {
    auto colon = digest.find(':');
    if (colon == std::string_view::npos || digest.find('/') != std::string_view::npos)
      throw std::invalid_argument("invalid digest: " + std::string(digest));
    return dir_ / "blobs" / digest.substr(0, colon) / digest.substr(colon + 1);
  }
  // The manifests added so far, in order: what write_index() writes.
  const std::vector<IndexEntry>& index() const { return index_; }

  // Stores bytes as a blob.
  BlobRef add_blob(std::string_view bytes, std::string media_type) {
    BlobRef ref{std::move(media_type), "sha256:" + sha256_hex(bytes), bytes.size()};
    auto path = blob_path(ref.digest);
    if (!stored(path, ref.size)) write_atomically(path, bytes);
    return ref;
  }

  // Stores a file as a blob, hashing it as it streams (constant memory). move: rename the file
  // into the layout instead of copying it (it is gone afterwards either way).
  BlobRef add_blob_file(const std::filesystem::path& file, std::string media_type,
                        bool move = false) {
    using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;
    auto tmp = temp_path();
    // Drops the partial copy whatever goes wrong before it is renamed into place.
    auto drop_tmp = [](const std::filesystem::path* p) {
      std::error_code ec;
      std::filesystem::remove(*p, ec);
    };
    std::unique_ptr<const std::filesystem::path, decltype(drop_tmp)> guard(&tmp, drop_tmp);
    Sha256 hash;
    std::uint64_t size = 0;
    {
      File in(std::fopen(file.c_str(), "rb"), &std::fclose);
      if (!in) throw std::runtime_error("cannot read " + file.string());
      File out(move ? nullptr : std::fopen(tmp.c_str(), "wb"), &std::fclose);
      if (!move && !out) throw std::runtime_error("cannot write " + tmp.string());
      std::vector<char> buf(std::size_t{1} << 20);
      std::size_t n;
      while ((n = std::fread(buf.data(), 1, buf.size(), in.get())) > 0) {
        hash.update(buf.data(), n);
        size += n;
        if (out && std::fwrite(buf.data(), 1, n, out.get()) != n)
          throw std::runtime_error("cannot write " + tmp.string());
      }
      if (std::ferror(in.get())) throw std::runtime_error("cannot read " + file.string());
      if (out && std::fclose(out.release()) != 0)
        throw std::runtime_error("cannot write " + tmp.string());
    }
    BlobRef ref{std::move(media_type), "sha256:" + to_hex(hash.finish()), size};
    auto path = blob_path(ref.digest);
    if (!move) {
      std::filesystem::rename(tmp, path);
    } else if (stored(path, size)) {
      std::filesystem::remove(file);
    } else {
      std::error_code ec;
      std::filesystem::rename(file, path, ec);
      if (ec) {  // another filesystem: copy, then drop the original
        std::filesystem::copy_file(file, tmp);
        std::filesystem::rename(tmp, path);
        std::filesystem::remove(file);
      }
    }
    return ref;
  }

  // Writes the image's layers (unless already blobs), its config and its manifest; returns the
  // manifest, for add_manifest_to_index.
  BlobRef add_image(const ImageSpec& image) {
    const Platform platform = parse_platform(image.platform);
    std::string layers, diff_ids;
    for (const auto& layer : image.layers) {
      BlobRef ref = layer.blob ? *layer.blob : add_blob(layer.bytes, layer.media_type);
      bool compressed = ref.media_type.find("gzip") != std::string::npos ||
                        ref.media_type.find("zstd") != std::string::npos;
      if (layer.diff_id.empty() && compressed)
        throw std::invalid_argument("layer " + ref.digest + " (" + ref.media_type +
                                    ") needs the diff_id of its uncompressed tar");
      layers += (layers.empty() ? "" : ",") + detail::json_descriptor(ref);
      diff_ids += (diff_ids.empty() ? "" : ",") +
                  detail::json_quote(layer.diff_id.empty() ? ref.digest : layer.diff_id);
    }
    std::string config;
    auto field = [&](const char* key, const std::string& json) {
      config += (config.empty() ? "" : ",") + detail::json_quote(key) + ":" + json;
    };
    if (!image.user.empty()) field("User", detail::json_quote(image.user));
    if (!image.env.empty()) field("Env", detail::json_strings(image.env));
    if (!image.entrypoint.empty()) field("Entrypoint", detail::json_strings(image.entrypoint));
    if (!image.cmd.empty()) field("Cmd", detail::json_strings(image.cmd));
    if (!image.working_dir.empty()) field("WorkingDir", detail::json_quote(image.working_dir));
    if (!image.labels.empty()) field("Labels", detail::json_map(image.labels));
    std::string platform_json = detail::json_platform(platform);
    // The platform object's members, minus its braces, open the config.
    std::string config_json = "{" + platform_json.substr(1, platform_json.size() - 2) +
                              ",\"config\":{" + config +
                              "},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diff_ids + "]}}";
    BlobRef config_ref = add_blob(config_json, media_types::config);
    std::string manifest =
        "{\"schemaVersion\":2,\"mediaType\":" + detail::json_quote(media_types::manifest) +
        ",\"config\":" + detail::json_descriptor(config_ref) + ",\"layers\":[" + layers + "]}";
    return add_blob(manifest, media_types::manifest);
  }

  // Lists a manifest (or a nested index) in index.json, with its platform when it has one.
  // The annotation "org.opencontainers.image.ref.name" names it for `skopeo ... oci:DIR:NAME`.
  void add_manifest_to_index(const BlobRef& manifest, std::optional<std::string> platform,
                             std::map<std::string, std::string> annotations = {}) {
    if (platform) platform = parse_platform(*platform).str();
    index_.push_back({manifest, std::move(platform), std::move(annotations)});
  }

  // Brings in another layout: hard-links (or copies) its blobs and lists its manifests here.
  // platform fills in entries that have none (a single-platform build that did not say).
  // Blobs are not re-hashed (the host validates the finished layout), but anything that is not
  // a regular file (a symlink out of the layout, say) is refused. Returns the entries added.
  std::vector<IndexEntry> merge(const std::filesystem::path& other_layout,
                                std::optional<std::string> platform = std::nullopt) {
    std::vector<IndexEntry> entries = read_index(other_layout);
    for (const auto& algo : std::filesystem::directory_iterator(other_layout / "blobs")) {
      if (!algo.is_directory()) continue;
      auto target_dir = dir_ / "blobs" / algo.path().filename();
      std::filesystem::create_directories(target_dir);
      for (const auto& blob : std::filesystem::directory_iterator(algo.path())) {
        if (blob.path().filename().string()[0] == '.') continue;  // a writer's temporary file
        if (blob.is_symlink() || !blob.is_regular_file())
          throw std::runtime_error(blob.path().string() + " is not a regular file");
        auto target = target_dir / blob.path().filename();
        if (std::filesystem::exists(target)) continue;
        std::error_code ec;
        std::filesystem::create_hard_link(blob.path(), target, ec);
        if (ec) {  // another filesystem
          auto tmp = temp_path();
          std::filesystem::copy_file(blob.path(), tmp);
          std::filesystem::rename(tmp, target);
        }
      }
    }
    for (auto& e : entries) {
      if (!e.platform && platform) e.platform = parse_platform(*platform).str();
      index_.push_back(e);
    }
    return entries;
  }

  // Writes index.json (replacing it atomically): every manifest added, in order.
  void write_index() const {
    std::string manifests;
    for (const auto& e : index_) {
      std::string extra;
      if (e.platform)
        extra += ",\"platform\":" + detail::json_platform(parse_platform(*e.platform));
      if (!e.annotations.empty()) extra += ",\"annotations\":" + detail::json_map(e.annotations);
      manifests += (manifests.empty() ? "" : ",") + detail::json_descriptor(e.manifest, extra);
    }
    write_atomically(dir_ / "index.json", "{\"schemaVersion\":2,\"mediaType\":" +
                                              detail::json_quote(media_types::index) +
                                              ",\"manifests\":[" + manifests + "]}");
  }

 private:
  static bool stored(const std::filesystem::path& path, std::uint64_t size) {
    std::error_code ec;
    return std::filesystem::file_size(path, ec) == size && !ec;
  }

  // Inside the layout, so the final rename never crosses filesystems; dotted, so a reader that
  // lists blobs/sha256 can tell it is not a blob.
  std::filesystem::path temp_path() const {
    return dir_ / "blobs" / "sha256" /
           (".tmp-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) + "-" +
            std::to_string(++temp_counter_));
  }

  void write_atomically(const std::filesystem::path& path, std::string_view bytes) const {
    auto tmp = path.parent_path() / (".tmp-" + path.filename().string() + "-" +
                                     std::to_string(reinterpret_cast<std::uintptr_t>(this)) + "-" +
                                     std::to_string(++temp_counter_));
    {
      std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(tmp.c_str(), "wb"),
                                                        &std::fclose);
      bool ok = f && std::fwrite(bytes.data(), 1, bytes.size(), f.get()) == bytes.size();
      if (f && std::fclose(f.release()) != 0) ok = false;
      if (!ok) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        throw std::runtime_error("cannot write " + path.string());
      }
    }
    std::filesystem::rename(tmp, path);
  }

  std::filesystem::path dir_;
  std::vector<IndexEntry> index_;
  mutable std::uint64_t temp_counter_ = 0;
};

}  // namespace steiger::sdk
