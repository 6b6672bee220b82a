#include "build/output_file.hpp"

#include "common/error.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace steiger::build {

void write_output_file(const std::filesystem::path& file, const std::vector<BuiltArtifact>& built) {
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("builds");
  w.StartArray();
  for (const auto& a : built) {
    w.StartObject();
    w.Key("imageName");
    w.String(a.artifact.c_str());
    w.Key("tag");
    std::string tag = a.reference + "@" + a.digest;
    w.String(tag.c_str());
    if (!a.layout.empty()) {
      w.Key("layout");
      w.String(a.layout.c_str());
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();

  auto tmp = file;
  tmp += ".tmp-" + std::to_string(::getpid());
  {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << buf.GetString() << '\n';
    if (!out.flush())
      throw UserError("cannot write the build output file " + file.string() + ": " +
                      std::strerror(errno));
  }
  std::filesystem::rename(tmp, file);
}

}  // namespace steiger::build
