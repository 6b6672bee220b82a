#include "oci/json.hpp"

#include <rapidjson/error/en.h>

#include "oci/media_types.hpp"

namespace steiger::oci::json {

namespace {

void write_string(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

std::string_view view(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

// Reads an optional string member; false (with error set) when present but not a string.
bool optional_string(const rapidjson::Value& obj, const char* name, std::string& out,
                     std::string& error) {
  const auto* v = member(obj, name);
  if (!v) return true;
  if (!v->IsString()) {
    error = std::string("\"") + name + "\" must be a string";
    return false;
  }
  out = std::string(view(*v));
  return true;
}

}  // namespace

std::string parse(rapidjson::Document& doc, std::string_view text) {
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  if (!doc.HasParseError()) return {};
  return std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " (at byte " +
         std::to_string(doc.GetErrorOffset()) + ")";
}

const rapidjson::Value* member(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::string quote(std::string_view text) {
  constexpr std::size_t kMax = 100;
  std::string out = "'";
  for (char c : text.substr(0, kMax)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  }
  if (text.size() > kMax) out += "...";
  return out + "'";
}

std::optional<Platform> read_platform(const rapidjson::Value& value, std::string& error) {
  if (!value.IsObject()) {
    error = "\"platform\" must be an object";
    return std::nullopt;
  }
  Platform p;
  for (auto [name, out] : {std::pair{"os", &p.os}, std::pair{"architecture", &p.architecture}}) {
    const auto* v = member(value, name);
    if (!v || !v->IsString() || v->GetStringLength() == 0) {
      error = std::string("\"platform\" needs a non-empty string \"") + name + "\"";
      return std::nullopt;
    }
    *out = std::string(view(*v));
  }
  if (!optional_string(value, "variant", p.variant, error)) {
    error = "in \"platform\": " + error;
    return std::nullopt;
  }
  return p;
}

std::optional<Descriptor> read_descriptor(const rapidjson::Value& value, std::string& error) {
  if (!value.IsObject()) {
    error = "a descriptor must be a JSON object";
    return std::nullopt;
  }
  Descriptor d;
  const auto* media_type = member(value, "mediaType");
  if (!media_type || !media_type->IsString() || media_type->GetStringLength() == 0) {
    error = "\"mediaType\" must be a non-empty string";
    return std::nullopt;
  }
  d.media_type = std::string(view(*media_type));

  const auto* digest = member(value, "digest");
  if (!digest || !digest->IsString()) {
    error = "\"digest\" must be a string";
    return std::nullopt;
  }
  auto parsed = Digest::parse(view(*digest));
  if (!parsed) {
    error = "digest " + quote(view(*digest)) +
            " is not a valid digest (expected sha256:<64 lowercase hex digits> or "
            "sha512:<128 lowercase hex digits>)";
    return std::nullopt;
  }
  d.digest = *parsed;

  const auto* size = member(value, "size");
  if (!size || !size->IsInt64() || size->GetInt64() < 0) {
    error = "\"size\" must be a non-negative integer";
    return std::nullopt;
  }
  d.size = size->GetInt64();

  if (const auto* platform = member(value, "platform")) {
    d.platform = read_platform(*platform, error);
    if (!d.platform) return std::nullopt;
  }
  if (const auto* annotations = member(value, "annotations")) {
    if (!annotations->IsObject()) {
      error = "\"annotations\" must be an object";
      return std::nullopt;
    }
    for (const auto& kv : annotations->GetObject()) {
      if (!kv.value.IsString()) {
        error = "annotation " + quote(view(kv.name)) + " must be a string";
        return std::nullopt;
      }
      d.annotations.emplace_back(view(kv.name), view(kv.value));
    }
  }
  if (!optional_string(value, "artifactType", d.artifact_type, error)) return std::nullopt;
  return d;
}

void write_descriptor(Writer& w, const Descriptor& d) {
  w.StartObject();
  w.Key("mediaType");
  write_string(w, d.media_type);
  if (!d.artifact_type.empty()) {
    w.Key("artifactType");
    write_string(w, d.artifact_type);
  }
  w.Key("digest");
  write_string(w, d.digest.str());
  w.Key("size");
  w.Int64(d.size);
  if (!d.annotations.empty()) {
    w.Key("annotations");
    w.StartObject();
    for (const auto& [key, value] : d.annotations) {
      write_string(w, key);
      write_string(w, value);
    }
    w.EndObject();
  }
  if (d.platform) {
    w.Key("platform");
    w.StartObject();
    w.Key("architecture");
    write_string(w, d.platform->architecture);
    w.Key("os");
    write_string(w, d.platform->os);
    if (!d.platform->variant.empty()) {
      w.Key("variant");
      write_string(w, d.platform->variant);
    }
    w.EndObject();
  }
  w.EndObject();
}

std::string index_document(const std::vector<Descriptor>& manifests) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("schemaVersion");
  w.Int(2);
  w.Key("mediaType");
  write_string(w, media_type::kOciIndex);
  w.Key("manifests");
  w.StartArray();
  for (const auto& d : manifests) write_descriptor(w, d);
  w.EndArray();
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace steiger::oci::json
