// One HTTP exchange at a time over a reused libcurl handle (its connections stay open between
// requests), with redirects followed here so credentials never leave the host they were meant for.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/cancel.hpp"
#include "registry/tls.hpp"

typedef void CURL;

namespace steiger::registry::http {

// Sees a file body's bytes as they come off the disk, in the buffer libcurl then sends, so
// checking what is uploaded costs no second read; and may stop the transfer before those bytes
// leave. Offsets are the file's, so one tap can follow a blob sent as several requests (chunks).
class BodyTap {
 public:
  virtual ~BodyTap() = default;
  // The next bytes read start at `file_offset`: a request body begins, or libcurl rewinds one
  // (to resend it after a redirect or an authentication challenge).
  virtual void at(std::uint64_t file_offset) = 0;
  // `data` was read at `file_offset` and is about to be sent; false stops the transfer instead
  // (the request then fails with TransferError, the bytes unsent).
  virtual bool take(std::uint64_t file_offset, const char* data, std::size_t size) = 0;
};

// What a request sends: nothing, bytes in memory (manifests, forms), or a range of a file read
// as it is sent, so a blob never sits in memory whatever its size.
struct Body {
  enum class Kind { None, Bytes, File } kind = Kind::None;
  std::string bytes;
  std::filesystem::path file;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  BodyTap* tap = nullptr;  // File bodies only; must outlive the request

  static Body none() { return {}; }
  static Body of_bytes(std::string b) {
    Body out;
    out.kind = Kind::Bytes;
    out.length = b.size();
    out.bytes = std::move(b);
    return out;
  }
  static Body of_file(std::filesystem::path f, std::uint64_t offset, std::uint64_t length,
                      BodyTap* tap = nullptr) {
    Body out;
    out.kind = Kind::File;
    out.file = std::move(f);
    out.offset = offset;
    out.length = length;
    out.tap = tap;
    return out;
  }
};

struct Request {
  std::string method = "GET";  // HEAD GET POST PUT PATCH DELETE
  std::string url;
  std::vector<std::string> headers;  // "Name: value"; never credentials
  // The Authorization value, kept apart so it is dropped when a redirect leaves the host.
  std::string authorization;
  Body body;
  // Bytes of the body handed to the network so far; called from the transfer, often.
  std::function<void(std::uint64_t sent)> on_sent;
};

struct Response {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // lowercase names; final response
  std::string body;  // the first kMaxBody bytes: error documents, tokens
  std::string url;   // the URL that answered, after redirects

  const std::string* header(std::string_view lowercase_name) const;
};

inline constexpr std::size_t kMaxBody = 1 << 20;

struct Timeouts {
  std::chrono::milliseconds connect{10000};
  // A transfer that moves no byte either way for this long is abandoned (rounded up to seconds).
  std::chrono::milliseconds stall{30000};
};

// The transfer itself failed (no HTTP answer, or an interrupted one).
class TransferError : public std::runtime_error {
 public:
  TransferError(int curl_code, const std::string& message)
      : std::runtime_error(message), code_(curl_code) {}
  int curl_code() const { return code_; }
  bool cancelled() const;
  // The peer's certificate could not be verified (untrusted CA, wrong name, expired).
  bool untrusted_certificate() const;
  // The TLS handshake failed, e.g. because the server speaks plain HTTP.
  bool tls_handshake() const;
  // Problems no retry can fix: unknown host, bad TLS set-up, unreadable local file.
  bool permanent() const;

 private:
  int code_;
};

using TlsLookup = std::function<TlsSettings(const std::string& hostport)>;

class Connection {
 public:
  Connection();
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Follows up to 5 redirects (307/308 resend the body; 303 becomes GET); Authorization goes
  // only to the host of `request.url`. Throws TransferError.
  Response perform(const Request& request, const TlsLookup& tls, const Timeouts& timeouts,
                   const platform::CancelSource* cancel);

 private:
  Response perform_once(const Request& request, const TlsSettings& tls, const Timeouts& timeouts,
                        const platform::CancelSource* cancel);

  CURL* curl_;
};

// Once per process, before any thread uses libcurl.
void global_init();

}  // namespace steiger::registry::http
