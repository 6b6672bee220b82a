/*
 * Steiger plugin ABI, version 1.
 *
 * This is the only thing that crosses the boundary between the host and a plugin. It is plain C
 * so that a plugin built by another compiler (clang++ against a g++-built host, say) agrees with
 * the host on every byte: no std::string, no exceptions, no virtual tables cross it.
 *
 * Versioning rules (see sdk/README.md):
 *  - the host reads `steiger_plugin_descriptor::abi` before touching anything else;
 *  - another major is refused; a newer minor than the host's is refused; an older minor loads;
 *  - structs only grow at the end within a major, and each carries its own `struct_size`, so the
 *    side that is newer reads only the fields the other side knows.
 *
 * Plugins normally do not use this header directly: `steiger/sdk/plugin.hpp` wraps it.
 */
#ifndef STEIGER_SDK_ABI_H
#define STEIGER_SDK_ABI_H

#include <stddef.h>
#include <stdint.h>

#define STEIGER_SDK_VERSION_MAJOR 1
#define STEIGER_SDK_VERSION_MINOR 0

/* The exported symbol every plugin defines (through STEIGER_PLUGIN). */
#define STEIGER_PLUGIN_ENTRY_SYMBOL "steiger_plugin_entry"

#ifdef __cplusplus
extern "C" {
#endif

/* A string view: not NUL-terminated unless said otherwise; owned by whoever passed it. */
typedef struct steiger_str {
  const char* data;
  size_t size;
} steiger_str;

/* The version header. It is the first field of the descriptor and never changes shape. */
typedef struct steiger_abi_version {
  uint32_t major;
  uint32_t minor;
  uint32_t descriptor_size; /* sizeof(steiger_plugin_descriptor) as the plugin saw it */
} steiger_abi_version;

/* A configuration value: the service's block after substitution and validation. */
typedef enum steiger_value_kind {
  STEIGER_VALUE_NULL = 0,
  STEIGER_VALUE_BOOL = 1,
  STEIGER_VALUE_INT = 2,
  STEIGER_VALUE_DOUBLE = 3,
  STEIGER_VALUE_STRING = 4,
  STEIGER_VALUE_ARRAY = 5,
  STEIGER_VALUE_OBJECT = 6
} steiger_value_kind;

typedef struct steiger_value steiger_value;
struct steiger_value {
  uint32_t kind; /* steiger_value_kind */
  int32_t boolean;
  int64_t integer;
  double number;
  steiger_str string;
  size_t count;               /* array items or object members */
  const steiger_value* items; /* array items, or object member values */
  const steiger_str* keys;    /* object member keys, parallel to items; NULL for arrays */
};

/* Where a process's line came from. */
enum { STEIGER_STREAM_STDOUT = 1, STEIGER_STREAM_STDERR = 2 };

/* Log levels for steiger_host_api::log. */
enum { STEIGER_LOG_DEBUG = 0, STEIGER_LOG_INFO = 1, STEIGER_LOG_WARN = 2, STEIGER_LOG_ERROR = 3 };

/* How steiger_process_spec::env applies. */
enum { STEIGER_ENV_INHERIT = 0, STEIGER_ENV_REPLACE = 1 };

/* Flags for steiger_process_spec::flags. */
enum {
  /* Lines go to the service's log but not to the live progress line (machine output, say). */
  STEIGER_PROCESS_QUIET = 1u << 0
};

typedef struct steiger_process_spec {
  uint32_t struct_size;
  const steiger_str* argv; /* argv[0] is looked up in PATH when it has no slash; no shell */
  size_t argc;
  const steiger_str* env; /* "NAME=value" entries */
  size_t envc;
  uint32_t env_mode; /* STEIGER_ENV_INHERIT: overlay on the host's environment */
  uint32_t flags;
  steiger_str cwd;        /* empty: the service's work directory */
  steiger_str stdin_data; /* written to the child's stdin, which is then closed */
  /* Called for each complete line (without its newline), on the calling thread. May be NULL. */
  void (*on_line)(void* user, uint32_t stream, steiger_str line);
  void* user;
} steiger_process_spec;

typedef struct steiger_process_result {
  uint32_t struct_size;
  int32_t exit_code;   /* -1 when killed by a signal or never started */
  int32_t signal;      /* the signal that ended it, or 0 */
  int32_t cancelled;   /* non-zero when the host killed it because the run was cancelled */
  int32_t spawn_errno; /* non-zero when it could not be started (ENOENT: not installed) */
} steiger_process_result;

/* The services the host lends a plugin while one of its calls runs. Valid only during that call. */
typedef struct steiger_host_api {
  uint32_t struct_size;
  void* ctx;
  void (*log)(void* ctx, uint32_t level, steiger_str message);
  void (*set_phase)(void* ctx, steiger_str phase);
  /* fraction in [0,1], or negative when unknown */
  void (*report_progress)(void* ctx, double fraction, steiger_str message);
  int32_t (*is_cancelled)(void* ctx);
  /* Runs to completion (or cancellation); returns 0 when the process ran, else an errno value. */
  int32_t (*run_process)(void* ctx, const steiger_process_spec* spec,
                         steiger_process_result* result);
  /* Builders: one OCI image layout directory per artifact. */
  void (*add_artifact)(void* ctx, steiger_str artifact, steiger_str layout_dir);
  /* The message a failing call leaves behind. */
  void (*set_error)(void* ctx, steiger_str message);
} steiger_host_api;

/* One artifact a deployer gets: the artifact name and its full reference (repo/name:tag@digest). */
typedef struct steiger_image_ref {
  steiger_str artifact;
  steiger_str reference;
} steiger_image_ref;

typedef struct steiger_build_request {
  uint32_t struct_size;
  steiger_str service;          /* the key under `build:` */
  const steiger_value* config;  /* the block, without `type` */
  const steiger_str* platforms; /* "os/arch[/variant]", at least one */
  size_t platform_count;
  steiger_str repo_dir; /* the project directory: relative paths in the config resolve here */
  steiger_str work_dir; /* private to this service and this run, empty at the start */
  steiger_str tag;      /* the tag the images will get */
  steiger_str profile;  /* the selected profile, or empty */
  /* `insecureRegistries` of the config (host or host:port): builders that pull base images may
     use plain HTTP or skip TLS verification for these alone. */
  const steiger_str* insecure_registries;
  size_t insecure_registry_count;
} steiger_build_request;

typedef struct steiger_deploy_request {
  uint32_t struct_size;
  steiger_str release; /* the key under `deploy:` */
  const steiger_value* config;
  const steiger_image_ref* images;
  size_t image_count;
  steiger_str repo_dir;
  steiger_str work_dir;
  steiger_str profile;
} steiger_deploy_request;

/* Artifact names a builder will return for a config block, known before it runs (for plans). */
typedef struct steiger_plan_request {
  uint32_t struct_size;
  steiger_str service;
  const steiger_value* config;
} steiger_plan_request;

enum { STEIGER_KIND_BUILDER = 1, STEIGER_KIND_DEPLOYER = 2 };

/* Each call returns 0 on success; otherwise it has called set_error. */
typedef int32_t (*steiger_build_fn)(const steiger_build_request*, const steiger_host_api*);
typedef int32_t (*steiger_deploy_fn)(const steiger_deploy_request*, const steiger_host_api*);
/* Reports each artifact name through host->add_artifact with an empty layout_dir. */
typedef int32_t (*steiger_plan_fn)(const steiger_plan_request*, const steiger_host_api*);

typedef struct steiger_type_descriptor {
  uint32_t struct_size;
  uint32_t kind;             /* STEIGER_KIND_* */
  const char* name;          /* the `type:` value, NUL-terminated */
  const char* description;   /* one line */
  const char* config_schema; /* JSON Schema (draft 7 subset) of the block, without `type` */
  steiger_plan_fn plan;      /* builders; NULL means one artifact named after the service */
  steiger_build_fn build;    /* builders */
  steiger_deploy_fn deploy;  /* deployers */
} steiger_type_descriptor;

typedef struct steiger_plugin_descriptor {
  steiger_abi_version abi; /* first, always */
  const char* name;
  const char* version;
  const char* description;
  size_t type_count;
  const steiger_type_descriptor* types;
} steiger_plugin_descriptor;

typedef const steiger_plugin_descriptor* (*steiger_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* STEIGER_SDK_ABI_H */
