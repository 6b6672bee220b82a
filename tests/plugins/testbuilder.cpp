// The host's test plugin: builder type `test` and deployer type `test-deploy`, driven entirely by
// their config blocks so that host tests can provoke every behaviour through real plugin loading
// (process output, cancellation, failures, exceptions, valid and broken OCI layouts). Built
// against the SDK only, like a third party's plugin.
#include <steiger/sdk/layout_writer.hpp>
#include <steiger/sdk/plugin.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace sdk = steiger::sdk;
namespace fs = std::filesystem;

namespace {

const char* const builder_schema = R"({
  "type": "object",
  "description": "Test builder. Steps run in this order: writeFile, phase, print, lines, run, sleep, fail, throw, then one OCI layout per artifact.",
  "properties": {
    "writeFile": {
      "type": "object",
      "additionalProperties": {"type": "string"},
      "description": "Files to write first: path relative to the work directory -> content."
    },
    "phase": {"type": "string", "description": "A phase name to report before building."},
    "print": {
      "type": "array",
      "items": {"type": "string"},
      "description": "Lines a real process (printf) prints to stdout, one per item."
    },
    "lines": {
      "type": "integer",
      "minimum": 0,
      "description": "How many numbered lines ('line 1', 'line 2', ...) one process (seq) prints."
    },
    "run": {
      "type": "array",
      "items": {"type": "string"},
      "minItems": 1,
      "description": "A command line (no shell) run to completion; a non-zero exit fails the service."
    },
    "sleep": {
      "type": "number",
      "minimum": 0,
      "description": "Seconds to wait, checking for cancellation every 10 ms."
    },
    "fail": {"type": "string", "description": "Fail the service with this message (steiger::sdk::Error)."},
    "throw": {"type": "string", "description": "Throw a plain std::runtime_error with this message."},
    "artifacts": {
      "type": "array",
      "items": {"type": "string"},
      "minItems": 1,
      "description": "The artifact names, known before building. Default: the service name."
    },
    "layout": {
      "type": "object",
      "description": "Shape of the OCI layouts written, one per artifact with one image per platform.",
      "properties": {
        "layerSize": {
          "type": "integer",
          "minimum": 0,
          "description": "Bytes of deterministic data in each layer (besides tar headers). Default 1024."
        },
        "layers": {"type": "integer", "minimum": 1, "description": "Layers per image. Default 1."},
        "missingArtifact": {
          "type": "boolean",
          "description": "Do not write or report the last artifact, to exercise the host's check."
        }
      },
      "additionalProperties": false
    },
    "corrupt": {
      "type": "string",
      "enum": ["missing-blob", "wrong-digest", "truncated", "bad-header", "path-escape"],
      "description": "Break the first artifact's layout: delete, alter or truncate the first layer blob, write an oci-layout of version 2.0.0, or replace the first layer blob with a symlink to an identical file outside the layout."
    }
  },
  "additionalProperties": false
})";

const char* const deployer_schema = R"({
  "type": "object",
  "description": "Test deployer.",
  "properties": {
    "fail": {"type": "string", "description": "Fail the deploy with this message before recording."},
    "record": {
      "type": "string",
      "description": "A file (relative paths: the project directory) to append one line per image to: 'artifact reference'."
    }
  },
  "additionalProperties": false
})";

// Reproducible, incompressible bytes: splitmix64 seeded from the SHA-256 of seed.
std::string payload(const std::string& seed, std::size_t size) {
  sdk::Sha256 h;
  h.update(seed);
  auto d = h.finish();
  std::uint64_t state = 0;
  for (int i = 0; i < 8; ++i) state = state << 8 | d[static_cast<std::size_t>(i)];
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; i += 8) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    for (std::size_t j = 0; j < 8 && i + j < size; ++j)
      out[i + j] = static_cast<char>(static_cast<unsigned char>(z >> (8 * j)));
  }
  return out;
}

void write_file(const fs::path& path, const std::string& content) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out.flush()) throw sdk::Error("cannot write " + path.string());
}

void corrupt(const sdk::LayoutWriter& layout, const sdk::BlobRef& layer, const std::string& how,
             const fs::path& work_dir) {
  const fs::path blob = layout.blob_path(layer.digest);
  if (how == "missing-blob") {
    fs::remove(blob);
  } else if (how == "wrong-digest") {
    // Same size, different bytes: only re-hashing notices.
    std::fstream f(blob, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(-1, std::ios::end);
    char last = 0;
    f.get(last);
    f.seekp(-1, std::ios::end);
    f.put(static_cast<char>(last ^ 0x5a));
  } else if (how == "truncated") {
    fs::resize_file(blob, fs::file_size(blob) / 2);
  } else if (how == "bad-header") {
    write_file(layout.dir() / "oci-layout", R"({"imageLayoutVersion":"2.0.0"})");
  } else if (how == "path-escape") {
    // Identical bytes, so the digest checks out: only refusing links that leave the layout helps.
    const fs::path outside = work_dir / ("outside-" + blob.filename().string());
    fs::copy_file(blob, outside, fs::copy_options::overwrite_existing);
    fs::remove(blob);
    fs::create_symlink(outside, blob);
  } else {
    throw sdk::Error("unknown corrupt mode: " + how);
  }
}

class TestBuilder : public sdk::Builder {
 public:
  std::vector<std::string> artifacts(const std::string& service,
                                     const sdk::Value& config) override {
    if (config["artifacts"].is_array()) return config.strings("artifacts");
    return {service};
  }

  void build(sdk::BuildContext& ctx) override {
    const sdk::Value& config = ctx.config();
    for (const auto& [path, content] : config.string_map("writeFile"))
      write_file(fs::path(ctx.work_dir()) / path, content);
    if (config.contains("phase")) ctx.phase(config["phase"].as_string());

    auto print = config.strings("print");
    if (!print.empty()) {
      std::vector<std::string> argv{"printf", "%s\\n"};
      argv.insert(argv.end(), print.begin(), print.end());
      ctx.run_checked(argv);
    }
    if (std::int64_t lines = config.int_or("lines", 0); lines > 0) {
      sdk::ProcessOptions quiet_capture;
      quiet_capture.capture = false;  // thousands of lines: the host streams them, we need none
      ctx.run_checked({"seq", "-f", "line %.0f", "1", std::to_string(lines)}, quiet_capture);
    }
    if (config.contains("run")) ctx.run_checked(config.strings("run"));

    if (double seconds = config.double_or("sleep", 0); seconds > 0) {
      auto until = std::chrono::steady_clock::now() +
                   std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                       std::chrono::duration<double>(seconds));
      // Sleeps exactly as long as asked (the scheduling benchmark measures against it), waking
      // every 10 ms to notice a cancellation.
      for (auto now = std::chrono::steady_clock::now(); now < until;
           now = std::chrono::steady_clock::now()) {
        ctx.check_cancelled();
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            until - now, std::chrono::milliseconds(10)));
      }
      ctx.check_cancelled();
    }
    if (config.contains("fail")) throw sdk::Error(config["fail"].as_string());
    if (config.contains("throw")) throw std::runtime_error(config["throw"].as_string());

    write_layouts(ctx);
  }

 private:
  void write_layouts(sdk::BuildContext& ctx) {
    const sdk::Value& layout = ctx.config()["layout"];
    const auto layer_size = static_cast<std::size_t>(layout.int_or("layerSize", 1024));
    const std::int64_t layer_count = layout.int_or("layers", 1);
    std::vector<std::string> names = artifacts(ctx.service(), ctx.config());
    if (layout.bool_or("missingArtifact", false)) names.pop_back();
    const std::string corruption = ctx.config().string_or("corrupt", "");

    for (std::size_t a = 0; a < names.size(); ++a) {
      const std::string& artifact = names[a];
      ctx.progress(static_cast<double>(a) / static_cast<double>(names.size()),
                   "writing " + artifact);
      sdk::LayoutWriter out(fs::path(ctx.work_dir()) / artifact);
      std::optional<sdk::BlobRef> first_layer;
      for (const auto& platform : ctx.platforms()) {
        sdk::ImageSpec image;
        image.platform = platform;
        const std::string id = ctx.service() + "/" + artifact + "/" + platform;
        for (std::int64_t i = 0; i < layer_count; ++i) {
          ctx.check_cancelled();
          std::vector<sdk::TarEntry> files;
          if (i == 0)
            files.push_back(
                sdk::TarEntry::file("hello", "#!/bin/sh\necho hello from " + id + "\n", 0755));
          files.push_back(sdk::TarEntry::directory("data"));
          files.push_back(sdk::TarEntry::file("data/layer-" + std::to_string(i) + ".bin",
                                              payload(id + "/" + std::to_string(i), layer_size)));
          sdk::BlobRef layer = out.add_blob(sdk::tar_archive(files), sdk::media_types::layer_tar);
          if (!first_layer) first_layer = layer;
          image.layers.push_back(sdk::Layer::from_blob(layer));
        }
        image.entrypoint = {"/hello"};
        image.env = {"PATH=/usr/local/bin:/usr/bin:/bin"};
        image.labels = {{"org.opencontainers.image.title", artifact},
                        {"dev.steiger.test.service", ctx.service()}};
        out.add_manifest_to_index(out.add_image(image), platform);
      }
      out.write_index();
      if (a == 0 && !corruption.empty() && first_layer)
        corrupt(out, *first_layer, corruption, ctx.work_dir());
      ctx.add_artifact(artifact, out.dir().string());
    }
    ctx.progress(1.0, "done");
  }
};

class TestDeployer : public sdk::Deployer {
 public:
  void deploy(sdk::DeployContext& ctx) override {
    const sdk::Value& config = ctx.config();
    ctx.phase("deploying");
    if (config.contains("fail")) throw sdk::Error(config["fail"].as_string());
    std::string record = config.string_or("record", "");
    if (record.empty()) return;
    fs::path path(record);
    if (path.is_relative()) path = fs::path(ctx.repo_dir()) / path;
    std::ofstream out(path, std::ios::app);
    for (const auto& image : ctx.images()) out << image.artifact << ' ' << image.reference << '\n';
    if (!out.flush()) throw sdk::Error("cannot write " + path.string());
  }
};

}  // namespace

STEIGER_PLUGIN("testbuilder", "1.0.0", "Builder and deployer for Steiger's own tests",
               sdk::builder<TestBuilder>("test", "Test builder driven by its config block",
                                         builder_schema),
               sdk::deployer<TestDeployer>("test-deploy", "Test deployer that records images",
                                           deployer_schema))
