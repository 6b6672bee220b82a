// Media types of the documents and blobs an image layout holds, OCI and Docker v2 schema 2.
#pragma once

#include <string_view>

namespace steiger::oci::media_type {

inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kOciLayerTar = "application/vnd.oci.image.layer.v1.tar";
inline constexpr std::string_view kOciLayerTarGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr std::string_view kOciLayerTarZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr std::string_view kOciLayerNondistributableTar =
    "application/vnd.oci.image.layer.nondistributable.v1.tar";
inline constexpr std::string_view kOciLayerNondistributableTarGzip =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
inline constexpr std::string_view kOciLayerNondistributableTarZstd =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

inline constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view kDockerLayerTarGzip =
    "application/vnd.docker.image.rootfs.diff.tar.gzip";

}  // namespace steiger::oci::media_type

namespace steiger::oci {

// Documents that list manifests (an OCI image index or a Docker manifest list).
inline constexpr bool is_index(std::string_view mt) {
  return mt == media_type::kOciIndex || mt == media_type::kDockerManifestList;
}

// Documents that describe one image (or artifact): a config plus layers.
inline constexpr bool is_manifest(std::string_view mt) {
  return mt == media_type::kOciManifest || mt == media_type::kDockerManifest;
}

// Image configurations, which name the platform the image runs on.
inline constexpr bool is_image_config(std::string_view mt) {
  return mt == media_type::kOciConfig || mt == media_type::kDockerConfig;
}

}  // namespace steiger::oci
