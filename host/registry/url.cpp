#include "registry/url.hpp"

#include <cctype>

namespace steiger::registry::url {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Index just past "scheme://", or npos when the URL is not absolute.
size_t authority_start(std::string_view u) {
  size_t p = u.find("://");
  if (p == std::string_view::npos) return p;
  for (size_t i = 0; i < p; ++i) {
    char c = u[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return std::string_view::npos;
    }
  }
  return p + 3;
}

size_t authority_end(std::string_view u, size_t start) {
  size_t e = u.find_first_of("/?#", start);
  return e == std::string_view::npos ? u.size() : e;
}

}  // namespace

std::string origin(std::string_view u) {
  size_t a = authority_start(u);
  if (a == std::string_view::npos) return {};
  return lower(u.substr(0, authority_end(u, a)));
}

std::string host(std::string_view u) {
  size_t a = authority_start(u);
  if (a == std::string_view::npos) return {};
  std::string_view authority = u.substr(a, authority_end(u, a) - a);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  return lower(authority);
}

std::string scheme(std::string_view u) {
  size_t a = authority_start(u);
  return a == std::string_view::npos ? std::string() : lower(u.substr(0, a - 3));
}

std::string resolve(std::string_view base, std::string_view location) {
  if (authority_start(location) != std::string_view::npos) return std::string(location);
  if (location.substr(0, 2) == "//") return scheme(base) + ":" + std::string(location);
  if (!location.empty() && location.front() == '/') return origin(base) + std::string(location);
  // A relative path replaces the last segment of the base path.
  size_t a = authority_start(base);
  size_t path_start = a == std::string_view::npos ? 0 : authority_end(base, a);
  std::string_view path = base.substr(path_start);
  path = path.substr(0, path.find_first_of("?#"));
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string_view::npos ? "/" : std::string(path.substr(0, slash + 1));
  return origin(base) + dir + std::string(location);
}

std::string add_query(std::string_view u, std::string_view key, std::string_view value) {
  std::string_view fragment;
  if (size_t hash = u.find('#'); hash != std::string_view::npos) {
    fragment = u.substr(hash);
    u = u.substr(0, hash);
  }
  std::string out(u);
  size_t q = out.find('?');
  if (q == std::string::npos) {
    out += '?';
  } else if (q + 1 != out.size() && out.back() != '&') {
    out += '&';
  }
  out += percent_encode(key) + "=" + percent_encode(value);
  out += fragment;
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace steiger::registry::url
