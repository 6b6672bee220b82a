#include "registry/challenge.hpp"

#include <cctype>

namespace steiger::registry {
namespace {

bool token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void skip_space(std::string_view s, size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
}

std::string read_token(std::string_view s, size_t& i) {
  size_t start = i;
  while (i < s.size() && token_char(s[i])) ++i;
  return std::string(s.substr(start, i - start));
}

}  // namespace

const std::string* Challenge::param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

std::optional<Challenge> parse_challenge(std::string_view h) {
  size_t i = 0;
  skip_space(h, i);
  Challenge c;
  c.scheme = lower(read_token(h, i));
  if (c.scheme.empty()) return std::nullopt;
  while (true) {
    while (i < h.size() && (h[i] == ' ' || h[i] == '\t' || h[i] == ',')) ++i;
    if (i >= h.size()) break;
    std::string name = lower(read_token(h, i));
    skip_space(h, i);
    // A name without "=" starts the next challenge ("Basic realm=x, Bearer ..."): only the
    // first one is ours.
    if (name.empty() || i >= h.size() || h[i] != '=') break;
    ++i;
    skip_space(h, i);
    std::string value;
    if (i < h.size() && h[i] == '"') {
      ++i;
      bool closed = false;
      while (i < h.size() && !closed) {
        char ch = h[i++];
        if (ch == '\\' && i < h.size()) {
          value.push_back(h[i++]);
        } else if (ch == '"') {
          closed = true;
        } else {
          value.push_back(ch);
        }
      }
      if (!closed) return std::nullopt;
    } else {
      value = read_token(h, i);
    }
    c.params.emplace(std::move(name), std::move(value));
  }
  return c;
}

}  // namespace steiger::registry
