// The few URL operations the protocol needs: resolving Location headers, adding query
// parameters, comparing hosts.
#pragma once

#include <string>
#include <string_view>

namespace steiger::registry::url {

// "scheme://host[:port]" of an absolute URL.
std::string origin(std::string_view url);
// "host[:port]" of an absolute URL, lowercased (what decides where credentials may go).
std::string host(std::string_view url);
// "http" or "https" (lowercased).
std::string scheme(std::string_view url);

// A Location header as the spec allows it (absolute, scheme-relative, absolute-path or relative
// path), made absolute against the URL that answered. Its query is kept as it is.
std::string resolve(std::string_view base, std::string_view location);

// `url` with "key=value" appended to its query ("?" or "&" as needed); value percent-encoded.
std::string add_query(std::string_view url, std::string_view key, std::string_view value);

// RFC 3986 unreserved characters kept, everything else %XX.
std::string percent_encode(std::string_view text);

}  // namespace steiger::registry::url
