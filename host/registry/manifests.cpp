#include "registry/manifests.hpp"

#include "oci/media_types.hpp"
#include "registry/answer.hpp"

namespace steiger::registry {
namespace {

std::string accept_header() {
  using namespace oci::media_type;
  return "Accept: " + std::string(kOciIndex) + ", " + std::string(kOciManifest) + ", " +
         std::string(kDockerManifestList) + ", " + std::string(kDockerManifest);
}

std::string path_of(const std::string& repository, const std::string& reference) {
  return "/v2/" + repository + "/manifests/" + reference;
}

}  // namespace

std::optional<std::string> head_manifest(RegistryClient& client, const std::string& repository,
                                         const std::string& reference) {
  std::optional<std::string> out;
  with_retries(client.retry(), client.cancel(), [&] {
    http::Request req;
    req.method = "HEAD";
    req.url = client.url(path_of(repository, reference));
    req.headers.push_back(accept_header());
    http::Response r = client.send(req, {repository_scope(repository, true)});
    if (r.status == 404) {
      out.reset();
    } else if (r.status == 200) {
      const std::string* digest = r.header("docker-content-digest");
      out = digest ? *digest : std::string();
    } else {
      throw failure_from(r, "checking manifest " + reference);
    }
  });
  return out;
}

void put_manifest(RegistryClient& client, const std::string& repository,
                  const std::string& reference, const oci::Descriptor& manifest,
                  const std::string& bytes) {
  with_retries(client.retry(), client.cancel(), [&] {
    http::Request req;
    req.method = "PUT";
    req.url = client.url(path_of(repository, reference));
    req.headers.push_back("Content-Type: " + manifest.media_type);
    req.body = http::Body::of_bytes(bytes);
    http::Response r = client.send(req, {repository_scope(repository, true)});
    if (r.status != 201 && r.status != 200 && r.status != 202) {
      throw failure_from(r, "pushing the manifest");
    }
    const std::string* digest = r.header("docker-content-digest");
    if (digest && *digest != manifest.digest.str()) {
      throw Failure(Failure::Kind::Permanent, "the registry stored the manifest under " + *digest +
                                                  " instead of " + manifest.digest.str() +
                                                  " (it rewrote the document)");
    }
  });
}

}  // namespace steiger::registry
