#include "registry/http.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>

#include "registry/url.hpp"

namespace steiger::registry::http {
namespace {

constexpr int kMaxRedirects = 5;
constexpr long kUploadBuffer = 512 * 1024;
constexpr const char* kUserAgent = "steiger/0.1";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The request body as libcurl pulls it: straight from the file (or string) into curl's buffer.
class BodyReader {
 public:
  explicit BodyReader(const Body& body) : body_(body) {
    if (body.kind == Body::Kind::File) {
      fd_ = ::open(body.file.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd_ < 0) error_ = errno;
      tap_ = body.tap;
      if (tap_) tap_->at(body.offset);
    }
  }
  ~BodyReader() {
    if (fd_ >= 0) ::close(fd_);
  }
  BodyReader(const BodyReader&) = delete;
  BodyReader& operator=(const BodyReader&) = delete;

  int error() const { return error_; }
  // The tap refused the bytes read last.
  bool refused() const { return refused_; }
  std::uint64_t position() const { return pos_; }

  size_t read(char* buffer, size_t max) {
    std::uint64_t left = body_.length - pos_;
    size_t n = static_cast<size_t>(std::min<std::uint64_t>(left, max));
    if (n == 0) return 0;
    if (body_.kind == Body::Kind::Bytes) {
      std::memcpy(buffer, body_.bytes.data() + pos_, n);
    } else {
      ssize_t got = ::pread(fd_, buffer, n, static_cast<off_t>(body_.offset + pos_));
      if (got < 0 && errno == EINTR) return read(buffer, max);
      if (got <= 0) {
        // A file shorter than it was when validated: fail rather than send a short body.
        error_ = got < 0 ? errno : EIO;
        return CURL_READFUNC_ABORT;
      }
      n = static_cast<size_t>(got);
      if (tap_ && !tap_->take(body_.offset + pos_, buffer, n)) {
        refused_ = true;
        return CURL_READFUNC_ABORT;
      }
    }
    pos_ += n;
    return n;
  }

  bool seek(curl_off_t offset) {
    if (offset < 0 || static_cast<std::uint64_t>(offset) > body_.length) return false;
    pos_ = static_cast<std::uint64_t>(offset);
    if (tap_) tap_->at(body_.offset + pos_);
    return true;
  }

 private:
  const Body& body_;
  BodyTap* tap_ = nullptr;
  int fd_ = -1;
  int error_ = 0;
  bool refused_ = false;
  std::uint64_t pos_ = 0;
};

struct Exchange {
  Response response;
  BodyReader* reader = nullptr;
  const Request* request = nullptr;
  const platform::CancelSource* cancel = nullptr;
  std::uint64_t reported = 0;
};

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  if (line.substr(0, 5) == "HTTP/") {
    ex->response.headers.clear();  // a 100 Continue (or other interim answer) came first
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    ex->response.headers.emplace_back(lower(trim(line.substr(0, colon))),
                                      std::string(trim(line.substr(colon + 1))));
  }
  return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  size_t n = size * count;
  size_t room = kMaxBody - std::min(kMaxBody, ex->response.body.size());
  ex->response.body.append(data, std::min(n, room));
  return n;
}

size_t on_read(char* buffer, size_t size, size_t count, void* user) {
  return static_cast<Exchange*>(user)->reader->read(buffer, size * count);
}

int on_seek(void* user, curl_off_t offset, int origin) {
  if (origin != SEEK_SET) return CURL_SEEKFUNC_CANTSEEK;
  return static_cast<Exchange*>(user)->reader->seek(offset) ? CURL_SEEKFUNC_OK : CURL_SEEKFUNC_FAIL;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* ex = static_cast<Exchange*>(user);
  if (ex->cancel && ex->cancel->cancelled()) return 1;
  if (ex->request->on_sent && ex->reader->position() != ex->reported) {
    ex->reported = ex->reader->position();
    ex->request->on_sent(ex->reported);
  }
  return 0;
}

// certs.d CAs join the trust store OpenSSL already loaded (system bundle or $SSL_CERT_FILE).
CURLcode add_extra_cas(CURL*, void* ssl_ctx, void* user) {
  const auto* pem = static_cast<const std::string*>(user);
  X509_STORE* store = SSL_CTX_get_cert_store(static_cast<SSL_CTX*>(ssl_ctx));
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())), &BIO_free);
  if (!bio || !store) return CURLE_SSL_CERTPROBLEM;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store, cert);  // a duplicate is refused, harmlessly
    X509_free(cert);
  }
  ERR_clear_error();  // the loop ends on "no start line", which is not a problem
  return CURLE_OK;
}

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

const std::string* Response::header(std::string_view lowercase_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lowercase_name) return &value;
  }
  return nullptr;
}

bool TransferError::cancelled() const {
  return code_ == CURLE_ABORTED_BY_CALLBACK;
}

bool TransferError::untrusted_certificate() const {
  return code_ == CURLE_PEER_FAILED_VERIFICATION;
}

bool TransferError::tls_handshake() const {
  return code_ == CURLE_SSL_CONNECT_ERROR;
}

bool TransferError::permanent() const {
  switch (code_) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_READ_ERROR:
    case CURLE_ABORTED_BY_CALLBACK:
    case CURLE_OUT_OF_MEMORY:
      return true;
    default:
      return false;
  }
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Connection::Connection() : curl_(nullptr) {
  global_init();
  curl_ = curl_easy_init();
  if (!curl_) throw std::runtime_error("libcurl could not create a handle");
}

Connection::~Connection() {
  curl_easy_cleanup(curl_);
}

Response Connection::perform(const Request& request, const TlsLookup& tls, const Timeouts& timeouts,
                             const platform::CancelSource* cancel) {
  const std::string auth_host = url::host(request.url);
  Request current = request;
  for (int hop = 0;; ++hop) {
    Response r = perform_once(current, tls(url::host(current.url)), timeouts, cancel);
    const std::string* location = r.header("location");
    if (!is_redirect(r.status) || !location || hop == kMaxRedirects) return r;
    current.url = url::resolve(current.url, *location);
    if (url::host(current.url) != auth_host) current.authorization.clear();
    if (r.status == 303) {
      current.method = "GET";
      current.body = Body::none();
    }
  }
}

Response Connection::perform_once(const Request& request, const TlsSettings& tls,
                                  const Timeouts& timeouts, const platform::CancelSource* cancel) {
  CURL* c = curl_;
  curl_easy_reset(c);  // options only: open connections and TLS sessions are kept
  // The options below point at this frame (buffers, callbacks' data); none may outlive it.
  struct ResetAfter {
    CURL* handle;
    ~ResetAfter() { curl_easy_reset(handle); }
  } reset_after{c};

  BodyReader reader(request.body);
  if (reader.error()) {
    throw TransferError(CURLE_READ_ERROR, "cannot read " + request.body.file.string() + ": " +
                                              std::strerror(reader.error()));
  }
  Exchange ex;
  ex.reader = &reader;
  ex.request = &request;
  ex.cancel = cancel;
  ex.response.url = request.url;

  char error_text[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(c, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(c, CURLOPT_USERAGENT, kUserAgent);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeouts.connect.count()));
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(
      c, CURLOPT_LOW_SPEED_TIME,
      static_cast<long>(std::max<long long>(1, (timeouts.stall.count() + 999) / 1000)));
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_UPLOAD_BUFFERSIZE, kUploadBuffer);

  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, tls.verify ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, tls.verify ? 2L : 0L);
  if (!tls.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, tls.ca_file.c_str());
  if (!tls.ca_dir.empty()) curl_easy_setopt(c, CURLOPT_CAPATH, tls.ca_dir.c_str());
  if (!tls.extra_ca_pem.empty()) {
    curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, &add_extra_cas);
    curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, &tls.extra_ca_pem);
  }
  if (!tls.client_cert.empty()) {
    curl_easy_setopt(c, CURLOPT_SSLCERT, tls.client_cert.c_str());
    curl_easy_setopt(c, CURLOPT_SSLKEY, tls.client_key.c_str());
  }

  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &ex);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &ex);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &on_read);
  curl_easy_setopt(c, CURLOPT_READDATA, &ex);
  curl_easy_setopt(c, CURLOPT_SEEKFUNCTION, &on_seek);
  curl_easy_setopt(c, CURLOPT_SEEKDATA, &ex);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &ex);

  const auto size = static_cast<curl_off_t>(request.body.length);
  const std::string& m = request.method;
  if (m == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (m == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else if (m == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, size);
  } else if (m == "PUT" || m == "PATCH") {
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, size);
    if (m == "PATCH") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PATCH");
  } else {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, m.c_str());
  }

  struct curl_slist* headers = nullptr;
  std::string auth_line;
  for (const auto& h : request.headers) headers = curl_slist_append(headers, h.c_str());
  if (!request.authorization.empty()) {
    auth_line = "Authorization: " + request.authorization;
    headers = curl_slist_append(headers, auth_line.c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers,
                                                                          &curl_slist_free_all);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

  CURLcode rc = curl_easy_perform(c);
  // The Authorization line held a secret; do not leave it lying in freed memory longer than needed.
  std::fill(auth_line.begin(), auth_line.end(), '\0');
  if (rc != CURLE_OK) {
    std::string what = error_text[0] ? error_text : curl_easy_strerror(rc);
    if (rc == CURLE_ABORTED_BY_CALLBACK && (reader.error() || reader.refused())) {
      rc = CURLE_READ_ERROR;  // not a cancellation
    }
    if (reader.error()) {
      what = "reading " + request.body.file.string() + " failed: " + std::strerror(reader.error());
    } else if (reader.refused()) {
      what = "the upload of " + request.body.file.string() + " was stopped before its end";
    }
    throw TransferError(rc, what);
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &ex.response.status);
  return std::move(ex.response);
}

}  // namespace steiger::registry::http
