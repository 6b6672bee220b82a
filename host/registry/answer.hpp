// Reading what a registry answered: its error documents, Retry-After, and turning transfer errors
// and statuses into Failures with messages a user can act on.
#pragma once

#include <string>

#include "registry/http.hpp"
#include "registry/push_error.hpp"

namespace steiger::registry {

// "HTTP 404 (BLOB_UNKNOWN: blob unknown to registry)", from the OCI error document when there is
// one, else from a short printable prefix of the body.
std::string describe(const http::Response& response);

// Transient for 408, 429 and most 5xx (with the Retry-After it asked for), Permanent otherwise.
// `what` says what was being done, e.g. "uploading the blob".
Failure failure_from(const http::Response& response, const std::string& what);

// `host`: the registry the transfer went to, named in the message.
Failure failure_from(const http::TransferError& error, const std::string& what,
                     const std::string& host);

}  // namespace steiger::registry
