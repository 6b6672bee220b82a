// buildah command lines for a docker block: the same Dockerfile, the same keys, no daemon.
// Storage is vfs with chroot isolation, so it runs in containers and CI runners without
// privileges beyond root (or a user namespace), and --root/--runroot keep it out of the system's.
#pragma once

#include "options.hpp"

#include <string>
#include <vector>

namespace steiger::docker {

struct BuildahStorage {
  std::string root, runroot;
  // Kept across runs (STEIGER_BUILDAH_ROOT): RUN steps are cached there (--layers).
  bool shared = false;
};

// buildah --root R --runroot RR --storage-driver vfs
std::vector<std::string> buildah_base(const BuildahStorage& storage);

// buildah ... build --isolation chroot --platform P [--layers] [--target T] [--build-arg K=V]...
//   [--add-host H:IP]... [--label K=V]... [--secret ...]... [--ssh S]... [--cache-from R]...
//   [--cache-to R]... [--network N] [--no-cache] [--pull=always] -f DOCKERFILE
//   (-t IMAGE | --manifest IMAGE) CONTEXT
// `--manifest` adds the image to a manifest list (several platforms); -t names a single image.
// warnings receives what buildah cannot do of the block (a cache type other than a registry).
std::vector<std::string> buildah_build_argv(const BuildahStorage& storage, const DockerOptions& o,
                                            const std::string& platform, const std::string& image,
                                            bool manifest, std::vector<std::string>* warnings);

// buildah ... push IMAGE oci:DEST:TAG, or for a manifest list
// buildah ... manifest push --all IMAGE oci:DEST:TAG: one OCI image layout either way.
std::vector<std::string> buildah_push_argv(const BuildahStorage& storage, const std::string& image,
                                           const std::string& dest, const std::string& tag,
                                           bool manifest);

// A repository name buildah accepts for a service: lower case, [a-z0-9-] only.
std::string image_repository_part(const std::string& service);

}  // namespace steiger::docker
