// An example builder: `type: hello` makes an image whose only file is /hello.txt with the
// configured message, for each requested platform. It shows the whole SDK surface a builder
// needs: its schema, its artifacts, running a tool, progress, and returning an OCI layout.
#include <steiger/sdk/layout_writer.hpp>
#include <steiger/sdk/plugin.hpp>

namespace sdk = steiger::sdk;

namespace {

constexpr const char* kSchema = R"({
  "type": "object",
  "properties": {
    "message": {"type": "string", "description": "what /hello.txt says"},
    "stampWith": {"type": "array", "items": {"type": "string"},
                  "description": "a command whose output is appended to the message"}
  },
  "required": ["message"],
  "additionalProperties": false
})";

class HelloBuilder : public sdk::Builder {
 public:
  void build(sdk::BuildContext& ctx) override {
    std::string message = ctx.config()["message"].as_string();
    auto stamp = ctx.config().strings("stampWith");
    if (!stamp.empty()) {
      ctx.phase("stamping");
      message += "\n" + ctx.run_checked(stamp).stdout_text;
    }
    ctx.phase("writing layout");
    std::string dir = ctx.work_dir() + "/" + ctx.service();
    sdk::LayoutWriter layout(dir);
    for (const auto& platform : ctx.platforms()) {
      ctx.check_cancelled();
      sdk::ImageSpec image;
      image.platform = platform;
      image.layers.emplace_back(
          sdk::tar_archive({sdk::TarEntry::file("hello.txt", message + "\n")}));
      image.cmd = {"/hello.txt"};
      image.labels["org.opencontainers.image.title"] = ctx.service();
      layout.add_manifest_to_index(layout.add_image(image), platform);
    }
    layout.write_index();
    ctx.add_artifact(ctx.service(), dir);
  }
};

}  // namespace

STEIGER_PLUGIN("hello", "1.0.0", "Example third-party plugin",
               sdk::builder<HelloBuilder>("hello", "Writes a one-file image", kSchema))
