#include "registry/answer.hpp"

#include <rapidjson/document.h>

#include <cctype>

#include "registry/json_member.hpp"
#include "registry/retry.hpp"

namespace steiger::registry {
namespace {

constexpr size_t kMaxDetail = 300;

std::string printable_prefix(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (out.size() >= kMaxDetail) {
      out += "...";
      break;
    }
    out.push_back(std::isprint(static_cast<unsigned char>(c)) ? c : ' ');
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string error_document(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return {};
  const rapidjson::Value* errors = member(doc, "errors");
  if (!errors || !errors->IsArray()) return {};
  std::string out;
  for (const auto& e : errors->GetArray()) {
    std::string one;
    const rapidjson::Value* code = member(e, "code");
    const rapidjson::Value* message = member(e, "message");
    const rapidjson::Value* detail = member(e, "detail");
    if (code && code->IsString()) one = code->GetString();
    if (message && message->IsString()) {
      one += (one.empty() ? "" : ": ") + std::string(message->GetString());
    }
    if (detail && detail->IsString() && detail->GetStringLength()) {
      one += " (" + std::string(detail->GetString()) + ")";
    }
    if (!one.empty()) out += (out.empty() ? "" : "; ") + one;
  }
  return printable_prefix(out);
}

}  // namespace

std::string describe(const http::Response& r) {
  std::string out = "HTTP " + std::to_string(r.status);
  std::string detail = error_document(r.body);
  if (detail.empty()) detail = printable_prefix(r.body);
  if (!detail.empty()) out += " (" + detail + ")";
  return out;
}

Failure failure_from(const http::Response& r, const std::string& what) {
  std::string text = what + ": the registry answered " + describe(r);
  if (!retriable_status(r.status)) return Failure(Failure::Kind::Permanent, text);
  std::optional<std::chrono::milliseconds> after;
  if (const std::string* h = r.header("retry-after")) {
    after = parse_retry_after(*h, std::chrono::system_clock::now());
  }
  return Failure(Failure::Kind::Transient, text, after);
}

Failure failure_from(const http::TransferError& e, const std::string& what,
                     const std::string& host) {
  if (e.cancelled()) return Failure(Failure::Kind::Cancelled, "cancelled");
  if (e.untrusted_certificate()) {
    return Failure(Failure::Kind::Permanent,
                   "the TLS certificate of " + host + " is not trusted (" + e.what() + ")");
  }
  std::string text = what + ": " + e.what();
  return Failure(e.permanent() ? Failure::Kind::Permanent : Failure::Kind::Transient, text);
}

}  // namespace steiger::registry
