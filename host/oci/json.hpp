// RapidJSON glue for the documents of an image layout: descriptors in, descriptors out.
// Internal to the oci module.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oci/descriptor.hpp"

namespace steiger::oci::json {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Parses text as exactly one JSON value (UTF-8 checked). Returns an empty string on success, else
// what is wrong and at which byte.
std::string parse(rapidjson::Document& doc, std::string_view text);

// The member `name` of an object, or nullptr when absent (or when obj is not an object).
const rapidjson::Value* member(const rapidjson::Value& obj, const char* name);

// Reads a descriptor object. On failure returns nullopt and sets `error` to a phrase that can
// follow "<where>: ", e.g. "digest 'sha256:../x' is not a valid digest ...".
std::optional<Descriptor> read_descriptor(const rapidjson::Value& value, std::string& error);

// Reads a platform object ("os", "architecture", optional "variant").
std::optional<Platform> read_platform(const rapidjson::Value& value, std::string& error);

// A value quoted for an error message, shortened so hostile input cannot flood the message.
std::string quote(std::string_view text);

void write_descriptor(Writer& writer, const Descriptor& descriptor);

// A compact OCI image index (schemaVersion 2) listing `manifests`.
std::string index_document(const std::vector<Descriptor>& manifests);

}  // namespace steiger::oci::json
