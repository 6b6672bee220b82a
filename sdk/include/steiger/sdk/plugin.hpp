// Writing a Steiger plugin: derive from Builder or Deployer, then list the types in STEIGER_PLUGIN.
//
//   #include <steiger/sdk/plugin.hpp>
//
//   class MyBuilder : public steiger::sdk::Builder {
//    public:
//     void build(steiger::sdk::BuildContext& ctx) override {
//       ctx.run_checked({"mytool", "build", "--out", ctx.work_dir() + "/layout"});
//       ctx.add_artifact(ctx.service(), ctx.work_dir() + "/layout");
//     }
//   };
//
//   STEIGER_PLUGIN("mything", "1.0.0", "Builds images with mytool",
//                  steiger::sdk::builder<MyBuilder>("mything", "Builds with mytool", R"({
//                    "type": "object",
//                    "properties": {"flags": {"type": "array", "items": {"type": "string"}}},
//                    "additionalProperties": false
//                  })"))
//
// Each call gets a fresh instance; exceptions never leave the plugin (they fail the service
// with their message).
#pragma once

#include <steiger/sdk/abi.h>
#include <steiger/sdk/context.hpp>
#include <steiger/sdk/value.hpp>

// With std::filesystem, Boost.DLL's alias header pulls in no Boost.System code, so a plugin
// exports nothing but its entry point (checked by the SDK tests).
#ifndef BOOST_DLL_USE_STD_FS
#define BOOST_DLL_USE_STD_FS
#endif
#include <boost/dll/alias.hpp>

#include <string>
#include <vector>

namespace steiger::sdk {

class Builder {
 public:
  virtual ~Builder() = default;
  // The artifact names this block produces, known before building (dry runs, plans).
  virtual std::vector<std::string> artifacts(const std::string& service, const Value& config) {
    (void)config;
    return {service};
  }
  virtual void build(BuildContext& ctx) = 0;
};

class Deployer {
 public:
  virtual ~Deployer() = default;
  virtual void deploy(DeployContext& ctx) = 0;
};

namespace detail {

template <class F>
int32_t guarded(const steiger_host_api* host, F&& body) noexcept {
  try {
    body();
    return 0;
  } catch (const Cancelled&) {
    host->set_error(host->ctx, to_abi("cancelled"));
  } catch (const std::exception& e) {
    host->set_error(host->ctx, to_abi(e.what()));
  } catch (...) {
    host->set_error(host->ctx, to_abi("the plugin threw an unknown exception"));
  }
  return 1;
}

template <class B>
int32_t plan(const steiger_plan_request* request, const steiger_host_api* host) noexcept {
  return guarded(host, [&] {
    B builder;
    for (const auto& name :
         builder.artifacts(from_abi(request->service), Value::from_abi(request->config)))
      host->add_artifact(host->ctx, to_abi(name), steiger_str{"", 0});
  });
}

template <class B>
int32_t build(const steiger_build_request* request, const steiger_host_api* host) noexcept {
  return guarded(host, [&] {
    BuildContext ctx(request, host);
    B builder;
    builder.build(ctx);
  });
}

template <class D>
int32_t deploy(const steiger_deploy_request* request, const steiger_host_api* host) noexcept {
  return guarded(host, [&] {
    DeployContext ctx(request, host);
    D deployer;
    deployer.deploy(ctx);
  });
}

}  // namespace detail

// A builder type: `type: <name>` in a `build:` block. schema is the JSON Schema of the block
// (without `type`); the host validates every block against it before anything runs.
template <class B>
constexpr steiger_type_descriptor builder(const char* name, const char* description,
                                          const char* schema) {
  return steiger_type_descriptor{sizeof(steiger_type_descriptor),
                                 STEIGER_KIND_BUILDER,
                                 name,
                                 description,
                                 schema,
                                 &detail::plan<B>,
                                 &detail::build<B>,
                                 nullptr};
}

// A deployer type: `type: <name>` in a `deploy:` block.
template <class D>
constexpr steiger_type_descriptor deployer(const char* name, const char* description,
                                           const char* schema) {
  return steiger_type_descriptor{sizeof(steiger_type_descriptor),
                                 STEIGER_KIND_DEPLOYER,
                                 name,
                                 description,
                                 schema,
                                 nullptr,
                                 nullptr,
                                 &detail::deploy<D>};
}

}  // namespace steiger::sdk

// Defines the plugin's entry point. Use it once, in one source file of the plugin, at global
// scope. The exported alias deliberately differs from the function's name: an alias named like
// its function points at itself.
#define STEIGER_PLUGIN(NAME, VERSION, DESCRIPTION, ...)                                          \
  namespace steiger_plugin_definition {                                                          \
  static const steiger_type_descriptor types[] = {__VA_ARGS__};                                  \
  static const steiger_plugin_descriptor descriptor = {                                          \
      {STEIGER_SDK_VERSION_MAJOR, STEIGER_SDK_VERSION_MINOR, sizeof(steiger_plugin_descriptor)}, \
      NAME,                                                                                      \
      VERSION,                                                                                   \
      DESCRIPTION,                                                                               \
      sizeof(types) / sizeof(types[0]),                                                          \
      types};                                                                                    \
  }                                                                                              \
  extern "C" const steiger_plugin_descriptor* steiger_plugin_entry_function() {                  \
    return &steiger_plugin_definition::descriptor;                                               \
  }                                                                                              \
  BOOST_DLL_ALIAS(steiger_plugin_entry_function, steiger_plugin_entry)
