#include "registry/reference.hpp"

#include <algorithm>

#include "common/error.hpp"
#include "oci/digest.hpp"

namespace steiger::registry {
namespace {

constexpr size_t kMaxNameLength = 255;

bool lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// One path component: [a-z0-9]+ joined by ".", "_", "__" or any run of "-".
bool valid_component(std::string_view c) {
  if (c.empty() || !lower_alnum(c.front()) || !lower_alnum(c.back())) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    if (lower_alnum(c[i])) continue;
    size_t j = i;
    while (j < c.size() && !lower_alnum(c[j])) ++j;
    std::string_view sep = c.substr(i, j - i);
    bool dashes = std::all_of(sep.begin(), sep.end(), [](char ch) { return ch == '-'; });
    if (sep != "." && sep != "_" && sep != "__" && !dashes) return false;
    i = j - 1;
  }
  return true;
}

bool valid_tag(std::string_view t) {
  auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  if (t.empty() || t.size() > 128 || !word(t.front())) return false;
  return std::all_of(t.begin(), t.end(), [&](char c) { return word(c) || c == '.' || c == '-'; });
}

bool valid_host(std::string_view h) {
  if (h.empty()) return false;
  if (h.front() == '[') {  // [IPv6]:port
    size_t close = h.find(']');
    if (close == std::string_view::npos) return false;
    std::string_view rest = h.substr(close + 1);
    if (rest.empty()) return true;
    return rest.size() > 1 && rest.front() == ':' &&
           std::all_of(rest.begin() + 1, rest.end(), [](char c) { return c >= '0' && c <= '9'; });
  }
  size_t colon = h.find(':');
  std::string_view name = h.substr(0, colon);
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '-';
    if (!ok) return false;
  }
  if (colon == std::string_view::npos) return true;
  std::string_view port = h.substr(colon + 1);
  return !port.empty() && port.size() <= 5 &&
         std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
}

[[noreturn]] void bad(std::string_view text, const std::string& why) {
  throw UserError("'" + std::string(text) + "' is not a valid image reference: " + why +
                  " (expected [registry[:port]/]name[:tag][@sha256:digest], e.g. "
                  "registry.example.com:5000/team/api:v1)");
}

}  // namespace

std::string canonical_registry(std::string_view host) {
  if (host == "docker.io" || host == "index.docker.io" || host == "registry-1.docker.io") {
    return std::string(kDockerHub);
  }
  return std::string(host);
}

std::string Reference::str() const {
  std::string out = registry + "/" + repository;
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

std::string Reference::api_host() const {
  return registry == kDockerHub ? std::string(kDockerHubApiHost) : registry;
}

Reference Reference::parse(std::string_view text) {
  if (text.empty()) bad(text, "it is empty");
  if (text.find_first_of(" \t\r\n") != std::string_view::npos) bad(text, "it contains spaces");
  Reference ref;
  std::string_view rest = text;

  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    std::string_view digest = rest.substr(at + 1);
    if (!oci::Digest::parse(digest)) {
      bad(text, "'" + std::string(digest) + "' is not a sha256 or sha512 digest");
    }
    ref.digest = std::string(digest);
    rest = rest.substr(0, at);
  }

  // The first component is a registry when it looks like a host: Docker's rule.
  std::string_view first = rest.substr(0, rest.find('/'));
  bool has_registry =
      first.size() < rest.size() && (first.find_first_of(".:") != std::string_view::npos ||
                                     first == "localhost" || first.front() == '[');
  std::string_view path = rest;
  if (has_registry) {
    if (!valid_host(first)) bad(text, "'" + std::string(first) + "' is not a valid host[:port]");
    ref.registry = canonical_registry(first);
    path = rest.substr(first.size() + 1);
  } else {
    ref.registry = std::string(kDockerHub);
  }

  // A ':' after the last '/' starts the tag; one before it would be a port, handled above.
  size_t last_slash = path.rfind('/');
  size_t colon = path.find(':', last_slash == std::string_view::npos ? 0 : last_slash);
  if (colon != std::string_view::npos) {
    std::string_view tag = path.substr(colon + 1);
    if (!valid_tag(tag)) {
      bad(text, "tag '" + std::string(tag) +
                    "' is invalid (letters, digits, '_', '.', '-', at most 128, not starting "
                    "with '.' or '-')");
    }
    ref.tag = std::string(tag);
    path = path.substr(0, colon);
  }

  if (path.empty()) bad(text, "it names no repository");
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    std::string_view component = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (!valid_component(component)) {
      bool upper = std::any_of(component.begin(), component.end(),
                               [](char c) { return c >= 'A' && c <= 'Z'; });
      bad(text, upper ? "repository names must be lowercase"
                      : "'" + std::string(component) +
                            "' is not a valid name component (lowercase letters and digits, "
                            "separated by '.', '_', '__' or '-')");
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  ref.repository = std::string(path);
  if (ref.registry == kDockerHub && ref.repository.find('/') == std::string::npos) {
    ref.repository = "library/" + ref.repository;
  }
  if (ref.repository.size() > kMaxNameLength) {
    bad(text, "the repository name is longer than 255 characters");
  }
  return ref;
}

}  // namespace steiger::registry
