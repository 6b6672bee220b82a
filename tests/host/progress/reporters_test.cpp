#include "progress/json_reporter.hpp"
#include "progress/plain_reporter.hpp"
#include "progress/service_log.hpp"

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <sstream>

using namespace steiger::progress;
namespace fs = std::filesystem;

namespace {

// Captures what a reporter writes to a FILE*.
struct Captured {
  char* data = nullptr;
  size_t size = 0;
  std::FILE* file = open_memstream(&data, &size);
  ~Captured() {
    std::fclose(file);
    free(data);
  }
  std::string text() {
    std::fflush(file);
    return std::string(data, size);
  }
};

Event event(EventKind kind, std::string service, std::string message = {}) {
  Event e;
  e.kind = kind;
  e.service = std::move(service);
  e.message = std::move(message);
  return e;
}

}  // namespace

TEST_CASE("json events carry time, service, event, phase, message and result") {
  Captured out;
  JsonReporter r(out.file);
  auto phase = event(EventKind::Phase, "api");
  phase.phase = "building";
  r.on_event(phase);
  auto done = event(EventKind::Finished, "api", "line \"quoted\"\nnext");
  done.outcome = Outcome::Failed;
  r.on_event(done);
  std::istringstream lines(out.text());
  std::string line;
  std::vector<rapidjson::Document> docs;
  while (std::getline(lines, line)) {
    docs.emplace_back();
    docs.back().Parse(line.c_str());
    REQUIRE_FALSE(docs.back().HasParseError());
  }
  REQUIRE(docs.size() == 2);
  CHECK(std::string(docs[0]["phase"].GetString()) == "building");
  CHECK(docs[0]["result"].IsNull());
  CHECK(std::string(docs[1]["result"].GetString()) == "failed");
  CHECK(std::string(docs[1]["message"].GetString()) == "line \"quoted\"\nnext");
  CHECK(std::string(docs[1]["time"].GetString()).size() == 24);  // 2026-12-04T15:36:48.123Z
}

TEST_CASE("plain output prefixes every line with its service") {
  Captured out;
  PlainReporter r(out.file);
  r.on_event(event(EventKind::Output, "web", "npm ci"));
  auto done = event(EventKind::Finished, "web");
  r.on_event(done);
  Summary s;
  s.services.push_back(
      {"web", Outcome::Ok, std::chrono::milliseconds(1500), {"web:v1"}, {}, {}, {}});
  r.finish(s);
  std::string text = out.text();
  CHECK(text.find("[web] npm ci\n") != std::string::npos);
  CHECK(text.find("[web] ok\n") != std::string::npos);
  CHECK(text.find("web      ok           1.5s  web:v1") != std::string::npos);
  CHECK(text.find("1 ok, 0 failed, 0 cancelled") != std::string::npos);
}

TEST_CASE("a service log keeps every line on disk and the last ones in memory") {
  fs::path file =
      fs::temp_directory_path() / ("steiger-log-" + std::to_string(::getpid())) / "api.log";
  {
    ServiceLog log(file, 3);
    for (int i = 0; i < 10; ++i) log.write("line " + std::to_string(i));
    CHECK(log.tail() == std::vector<std::string>{"line 7", "line 8", "line 9"});
  }
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  CHECK(s.str().find("line 0\n") == 0);
  CHECK(s.str().find("line 9\n") != std::string::npos);
  fs::remove_all(file.parent_path());
}
