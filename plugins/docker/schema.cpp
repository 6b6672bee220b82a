// The docker block's JSON Schema: what `steiger plugins --json` shows and the host validates.
#include "options.hpp"

namespace steiger::docker {

const char* const kDockerSchema = R"({
  "type": "object",
  "description": "Builds a Dockerfile with BuildKit (docker buildx) or, without Docker, with buildah; one OCI image layout holding every requested platform.",
  "properties": {
    "context": {"type": "string", "description": "The build context folder, relative to the project. Default: the project folder."},
    "dockerfile": {"type": "string", "description": "The Dockerfile, relative to the context (as docker does). Default: Dockerfile."},
    "target": {"type": "string", "description": "The stage to build (--target)."},
    "buildArgs": {
      "type": "object",
      "additionalProperties": {"type": ["string", "number", "boolean"]},
      "description": "Build arguments (--build-arg NAME=VALUE); numbers and booleans are passed as written."
    },
    "hosts": {
      "type": "object",
      "additionalProperties": {"type": "string"},
      "description": "Extra /etc/hosts entries for RUN steps: host name -> IP address (--add-host)."
    },
    "builder": {"type": "string", "description": "An existing buildx builder to use instead of `steiger` (remote or kubernetes drivers). Empty: the `steiger` builder, created with the docker-container driver when missing."},
    "driver": {
      "type": "string",
      "enum": ["auto", "buildx", "buildah"],
      "description": "auto (default): docker buildx when it works, else buildah; buildx or buildah to insist on one."
    },
    "secrets": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "id": {"type": "string", "minLength": 1, "description": "The id RUN --mount=type=secret,id=... asks for."},
          "src": {"type": "string", "description": "A file holding the secret, relative to the project."},
          "env": {"type": "string", "description": "An environment variable holding the secret."}
        },
        "required": ["id"],
        "additionalProperties": false
      },
      "description": "Build secrets (--secret), each from a file (src) or an environment variable (env)."
    },
    "ssh": {
      "type": "array",
      "items": {"type": "string"},
      "description": "SSH agent sockets or keys for RUN --mount=type=ssh (--ssh), e.g. default."
    },
    "cacheFrom": {"type": "array", "items": {"type": "string"}, "description": "External cache sources (--cache-from), e.g. type=registry,ref=registry.example/app:cache."},
    "cacheTo": {"type": "array", "items": {"type": "string"}, "description": "Cache export destinations (--cache-to)."},
    "labels": {
      "type": "object",
      "additionalProperties": {"type": ["string", "number", "boolean"]},
      "description": "Image labels (--label NAME=VALUE)."
    },
    "network": {"type": "string", "description": "Networking mode of RUN steps (--network): default, none or host."},
    "noCache": {"type": "boolean", "description": "Build without the layer cache (--no-cache)."},
    "pull": {"type": "boolean", "description": "Always pull base images anew (--pull)."}
  },
  "additionalProperties": false
})";

}  // namespace steiger::docker
