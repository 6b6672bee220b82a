#include "progress/json_reporter.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <ctime>

namespace steiger::progress {

std::string iso8601(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
  return buf;
}

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void key_string(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

void JsonReporter::on_event(const Event& e) {
  if (e.kind == EventKind::Progress && e.fraction < 0 && e.message.empty()) return;
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  key_string(w, "time", iso8601(e.time));
  key_string(w, "service", e.service);
  key_string(w, "event", to_string(e.kind));
  key_string(w, "phase", e.phase);
  key_string(w, "message", e.message);
  if (e.kind == EventKind::Progress && e.fraction >= 0) {
    w.Key("fraction");
    w.Double(e.fraction);
  }
  w.Key("result");
  if (e.kind == EventKind::Finished)
    w.String(to_string(e.outcome));
  else
    w.Null();
  w.EndObject();
  std::lock_guard lock(mutex_);
  std::fprintf(out_, "%s\n", buf.GetString());
  std::fflush(out_);
}

void JsonReporter::finish(const Summary& summary) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  key_string(w, "time", iso8601(std::chrono::system_clock::now()));
  key_string(w, "event", "summary");
  w.Key("result");
  w.String(summary.ok() ? "ok" : "failed");
  w.Key("elapsedMs");
  w.Int64(summary.elapsed.count());
  w.Key("services");
  w.StartArray();
  for (const auto& s : summary.services) {
    w.StartObject();
    key_string(w, "service", s.service);
    w.Key("result");
    w.String(to_string(s.outcome));
    w.Key("elapsedMs");
    w.Int64(s.elapsed.count());
    w.Key("artifacts");
    w.StartArray();
    for (const auto& a : s.artifacts) w.String(a.c_str());
    w.EndArray();
    if (!s.error.empty()) key_string(w, "error", s.error);
    if (!s.log_file.empty()) key_string(w, "log", s.log_file);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::lock_guard lock(mutex_);
  std::fprintf(out_, "%s\n", buf.GetString());
  std::fflush(out_);
}

}  // namespace steiger::progress
