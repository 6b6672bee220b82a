#include <catch2/catch.hpp>

#include <cstdlib>

#include "config/loader.hpp"
#include "config_test_support.hpp"

using namespace steiger::config;
using steiger::config::test::popen_runner;
using steiger::config::test::sh;
using steiger::config::test::TempDir;
namespace fs = std::filesystem;

namespace {

// Git as a repository tagged v1.2.0 with local changes would answer.
std::optional<std::string> fake_git(const std::vector<std::string>& argv,
                                    const std::string& tag = "v1.2.0") {
  const std::string& cmd = argv.at(3);
  if (cmd == "rev-parse") return argv.at(4) == "--short" ? "abc1234\n" : "abc1234ffff\n";
  if (cmd == "tag") return tag + "\n";
  if (cmd == "status") return " M src/main.cpp\n";
  return std::nullopt;
}

LoadOptions options_for(const TempDir& dir) {
  LoadOptions options;
  options.dir = dir.path();
  options.use_environment = false;
  return options;
}

Config load(const std::string& yaml, std::optional<std::string> profile = std::nullopt) {
  TempDir dir;
  dir.write("steiger.yml", yaml);
  LoadOptions options = options_for(dir);
  options.profile = std::move(profile);
  return load_config(options);
}

// The error load() throws, with the temp file's name cut to "steiger.yml".
std::string load_error(const std::string& yaml, std::optional<std::string> profile = std::nullopt) {
  TempDir dir;
  dir.write("steiger.yml", yaml);
  LoadOptions options = options_for(dir);
  options.profile = std::move(profile);
  try {
    load_config(options);
  } catch (const steiger::UserError& e) {
    std::string what = e.what();
    const std::string prefix = (dir.path() / "steiger.yml").string();
    if (what.rfind(prefix, 0) == 0) what = "steiger.yml" + what.substr(prefix.size());
    return what;
  }
  return "(no error)";
}

const std::string kData = STEIGER_TEST_DATA_DIR "/config";

}  // namespace

TEST_CASE("find_config_file: steiger.yml, then steiger.yaml, or -c", "[loader]") {
  TempDir dir;
  dir.write("steiger.yaml", "build: {}\n");
  CHECK(find_config_file(dir.path(), std::nullopt) == dir.path() / "steiger.yaml");
  dir.write("steiger.yml", "build: {}\n");
  CHECK(find_config_file(dir.path(), std::nullopt) == dir.path() / "steiger.yml");
  dir.write("conf/other.yml", "build: {}\n");
  CHECK(find_config_file(dir.path(), fs::path("conf/other.yml")) == dir.path() / "conf/other.yml");
  CHECK(find_config_file("/elsewhere", dir.path() / "conf/other.yml") ==
        dir.path() / "conf/other.yml");
  CHECK_THROWS_WITH(
      find_config_file(dir.path(), fs::path("nope.yml")),
      "config file " + (dir.path() / "nope.yml").string() + " (given with -c) does not exist");
  CHECK_THROWS_WITH(find_config_file(dir.path(), fs::path("conf")),
                    Catch::Contains("is a directory"));
}

TEST_CASE("find_config_file says where it looked and what to do", "[loader]") {
  TempDir dir;
  CHECK_THROWS_AS(find_config_file(dir.path(), std::nullopt), steiger::UserError);
  CHECK_THROWS_WITH(find_config_file(dir.path(), std::nullopt),
                    "no steiger.yml or steiger.yaml in " + dir.path().string() +
                        ": run steiger in the project directory, point to it with -d DIR, or "
                        "name the config file with -c FILE");
  LoadOptions options = options_for(dir);
  CHECK_THROWS_WITH(load_config(options), Catch::StartsWith("no steiger.yml or steiger.yaml"));
  options.dir = dir.path() / "missing";
  CHECK_THROWS_WITH(load_config(options), Catch::Contains("does not exist"));
}

TEST_CASE("the README's example config loads", "[loader]") {
  LoadOptions options;
  options.dir = kData + "/readme";
  options.profile = "prod";
  options.use_environment = false;
  const Config config = load_config(options);
  CHECK(config.file == fs::path(kData + "/readme/steiger.yml"));
  CHECK(config.dir == fs::path(kData + "/readme"));
  std::vector<std::string> names, types;
  for (const Block& b : config.builds) {
    names.push_back(b.name);
    types.push_back(b.type);
  }
  CHECK(names == std::vector<std::string>{"frontend", "backend", "go-service", "auto-detect",
                                          "flake", "multi-arch", "services"});
  CHECK(types ==
        std::vector<std::string>{"docker", "bazel", "ko", "railpack", "nix", "bazel", "nix"});
  const Block& frontend = config.builds[0];
  CHECK(frontend.body.find("type") == nullptr);
  CHECK(frontend.body.find("buildArgs")->find("ENV")->string == "prod");
  CHECK(frontend.mark.line == 3);
  CHECK(frontend.mark.column == 3);
  CHECK(frontend.type_mark.line == 4);
  CHECK(frontend.type_mark.column == 11);
  CHECK(config.builds[3].body.find("nonroot")->boolean);
  REQUIRE(config.deploys.size() == 1);
  CHECK(config.deploys[0].name == "brainpod");
  CHECK(config.deploys[0].type == "helm");
  CHECK(config.insecure_registries == std::vector<std::string>{"my-registry.localhost:5000"});
  CHECK(config.profile == "prod");
  CHECK(config.profiles.at("prod").at("env") == "prod");
  CHECK(config.tag_format == kDefaultTagFormat);
  CHECK(config.tag == "unknown");  // no git runner
  CHECK_FALSE(config.default_repo);
}

TEST_CASE("an unset variable names itself and its place", "[loader]") {
  LoadOptions options;
  options.dir = kData + "/readme";
  options.use_environment = false;
  CHECK_THROWS_WITH(load_config(options),
                    Catch::EndsWith("steiger.yml:9:12: variable 'env' is not set: define it in a "
                                    "profile (-p PROFILE) or the environment, or give a default "
                                    "with ${env:value}"));
  setenv("env", "from-environment", 1);
  options.use_environment = true;
  const Config config = load_config(options);
  CHECK(config.builds[0].body.find("buildArgs")->find("ENV")->string == "from-environment");
  unsetenv("env");
}

TEST_CASE("the upstream configs load unchanged", "[loader]") {
  size_t loaded = 0;
  for (const auto& entry : fs::directory_iterator(kData + "/upstream")) {
    INFO(entry.path());
    LoadOptions options;
    options.dir = kData + "/upstream";
    options.config_file = entry.path().filename();
    options.use_environment = false;
    const Config config = load_config(options);
    REQUIRE(config.builds.size() == 1);
    CHECK_FALSE(config.builds[0].type.empty());
    ++loaded;
  }
  CHECK(loaded == 6);
  LoadOptions options;
  options.dir = kData + "/upstream";
  options.config_file = "tests_bazel_steiger.yml";
  const Config bazel = load_config(options);
  const Node* platforms = bazel.builds[0].body.find("platforms");
  REQUIRE(platforms);
  CHECK(platforms->find("linux/amd64")->string == ":linux-amd64");
  CHECK(bazel.builds[0].body.find("targets")->find("hello")->string == ":hello_image");
}

TEST_CASE("top-level keys are checked", "[loader]") {
  CHECK(load_error("biuld:\n  api: {type: docker}\n") ==
        "steiger.yml:1:1: unknown top-level key 'biuld'; did you mean 'build'?");
  CHECK(load_error("build: {}\nregistry: x\n") ==
        "steiger.yml:2:1: unknown top-level key 'registry'; allowed keys: build, deploy, "
        "insecureRegistries, defaultRepo, tagFormat, profiles");
  CHECK(load_error("- a\n- b\n") ==
        "steiger.yml:1:1: the top level must be a map (build:, deploy:, ...), got a list");
  CHECK(load("").builds.empty());
  CHECK(load("build:\n").builds.empty());
}

TEST_CASE("blocks need a type and a map", "[loader]") {
  CHECK(load_error("build:\n  api:\n    context: .\n") ==
        "steiger.yml:2:3: build.api: missing 'type' (the builder to use, as in type: docker)");
  CHECK(load_error("deploy:\n  web:\n    path: helm\n") ==
        "steiger.yml:2:3: deploy.web: missing 'type' (the deployer to use, as in type: helm)");
  CHECK(load_error("build:\n  api:\n    type: [docker]\n") ==
        "steiger.yml:3:11: build.api.type: expected the name of a builder (type: docker), got "
        "a list");
  CHECK(load_error("build:\n  api: docker\n") ==
        "steiger.yml:2:8: build.api: expected a map with a 'type' (type: docker) and its "
        "settings, got a string");
  CHECK(load_error("build:\n  api:\n") ==
        "steiger.yml:2:3: build.api: expected a map with a 'type' (type: docker) and its "
        "settings, got null");
  CHECK(load_error("build: [api]\n") ==
        "steiger.yml:1:8: build: expected a map of service name -> block, got a list");
}

TEST_CASE("service names must work as image and file names", "[loader]") {
  for (const char* ok :
       {"api", "go-service", "auto-detect", "multi-arch", "frontend", "a.b_c-1", "9lives"}) {
    CHECK(is_valid_block_name(ok));
  }
  for (const char* bad : {"", "Api", "a--b", "-a", "a-", "a b", "a/b", "a..b", "é"}) {
    CHECK_FALSE(is_valid_block_name(bad));
  }
  CHECK(load_error("build:\n  MyApi:\n    type: docker\n") ==
        "steiger.yml:2:3: service name 'MyApi' must be lowercase: write 'myapi' (names become "
        "image and file names)");
  CHECK_THAT(load_error("build:\n  my api:\n    type: docker\n"),
             Catch::StartsWith("steiger.yml:2:3: service name 'my api' is not valid"));
  CHECK_THAT(load_error("deploy:\n  Web:\n    type: helm\n"),
             Catch::StartsWith("steiger.yml:2:3: release name 'Web' must be lowercase"));
}

TEST_CASE("profiles: selection, literal values, errors", "[loader]") {
  const std::string yaml =
      "build:\n"
      "  ${prefix}api:\n"
      "    type: docker\n"
      "    target: ${target}\n"
      "    version: ${version}\n"
      "profiles:\n"
      "  dev:\n"
      "    prefix: dev-\n"
      "    target: $notsubstituted\n"
      "    version: 1.10\n"
      "  prod:\n"
      "    prefix: ''\n"
      "    target: release\n"
      "    version: 2\n";
  const Config dev = load(yaml, "dev");
  REQUIRE(dev.builds.size() == 1);
  CHECK(dev.builds[0].name == "dev-api");  // keys are substituted too
  CHECK(dev.builds[0].body.find("target")->string == "$notsubstituted");
  CHECK(dev.builds[0].body.find("version")->kind == Node::Kind::Double);
  CHECK(dev.builds[0].body.find("version")->string == "1.10");
  CHECK(dev.profiles.at("dev").at("version") == "1.10");
  const Config prod = load(yaml, "prod");
  CHECK(prod.builds[0].name == "api");
  CHECK(prod.builds[0].body.find("target")->string == "release");
  CHECK(prod.builds[0].body.find("version")->integer == 2);

  CHECK(load_error(yaml, "prdo") ==
        "steiger.yml:6:1: unknown profile 'prdo' (selected with -p); did you mean 'prod'? "
        "(defined: dev, prod)");
  CHECK(load_error(yaml, "staging") ==
        "steiger.yml:6:1: unknown profile 'staging' (selected with -p); defined profiles: dev, "
        "prod");
  CHECK(load_error("build: {}\n", "prod") ==
        "steiger.yml: profile 'prod' was selected with -p, but the config defines no profiles: "
        "add it under profiles: or leave out -p");
  CHECK(load_error("profiles:\n  dev:\n    env: {a: b}\n") ==
        "steiger.yml:3:10: profiles.dev.env: profile variables are plain values (strings, "
        "numbers, booleans), not a map");
  CHECK(load_error("profiles: [dev]\n") ==
        "steiger.yml:1:11: profiles: expected a map of profile name -> variables, got a list");
  // A profile without variables is allowed (and selectable).
  CHECK(load("profiles:\n  dev:\n", "dev").profiles.at("dev").empty());
}

TEST_CASE("the tag: default format, git variables, custom formats", "[loader]") {
  TempDir dir;
  dir.write("steiger.yml", "build: {}\n");
  LoadOptions options = options_for(dir);
  options.run_command = [](const std::vector<std::string>& argv) { return fake_git(argv); };
  Config config = load_config(options);
  CHECK(config.tag_format == "${gitTag:${gitShortCommit:unknown}}${gitDirty:}");
  CHECK(config.tag == "v1.2.0-dirty");
  CHECK(config.git.at("gitCommit") == "abc1234ffff");

  dir.write("steiger.yml", "tagFormat: ${gitShortCommit}-${BUILD:local}\n");
  config = load_config(options);
  CHECK(config.tag_format == "${gitShortCommit}-${BUILD:local}");
  CHECK(config.tag == "abc1234-local");

  dir.write("steiger.yml", "tagFormat: 42\n");
  CHECK(load_config(options).tag == "42");
}

TEST_CASE("a tag that is not a valid OCI tag is an error", "[loader]") {
  const std::string longest(128, 'a'), too_long(129, 'a');
  for (const std::string& ok : {std::string("v1.2.0"), std::string("abc1234-dirty"),
                                std::string("_x"), std::string("A"), longest}) {
    CHECK(is_valid_tag(ok));
  }
  for (const std::string& bad :
       {std::string(""), std::string(".x"), std::string("-x"), std::string("a/b"),
        std::string("a:b"), std::string("a b"), too_long}) {
    CHECK_FALSE(is_valid_tag(bad));
  }
  CHECK(load_error("tagFormat: ${A:release}/${B:1}\n") ==
        "steiger.yml:1:12: tagFormat: the tag came out as 'release/1', which is not a valid "
        "image tag: a tag is letters, digits, '_', '.' and '-', does not start with '.' or '-', "
        "and is at most 128 characters");
  CHECK_THAT(load_error("tagFormat: ''\n"), Catch::Contains("the tag came out as ''"));
  CHECK_THAT(load_error("tagFormat: [a]\n"),
             Catch::StartsWith("steiger.yml:1:12: tagFormat: expected a string, got a list"));

  TempDir dir;
  dir.write("steiger.yml", "build: {}\n");
  LoadOptions options = options_for(dir);
  options.run_command = [](const std::vector<std::string>& argv) {
    return fake_git(argv, "release/1.0");
  };
  CHECK_THROWS_WITH(load_config(options),
                    Catch::Contains("steiger.yml: the default tagFormat "
                                    "(${gitTag:${gitShortCommit:unknown}}${gitDirty:}) gave the "
                                    "tag 'release/1.0-dirty', which is not a valid image tag") &&
                        Catch::EndsWith("set tagFormat in the config"));
}

TEST_CASE("the tag from a real git repository", "[loader]") {
  TempDir dir;
  dir.write("steiger.yml", "build: {}\n");
  sh(dir.path(), "git init -q && git add steiger.yml && git commit -q -m init && git tag v3");
  LoadOptions options = options_for(dir);
  options.run_command = popen_runner;
  CHECK(load_config(options).tag == "v3");
  dir.write(".steiger/out.json", "{}");  // untracked output does not dirty the tree
  CHECK(load_config(options).tag == "v3");
  dir.write("steiger.yml", "build: {}\n# edited\n");
  CHECK(load_config(options).tag == "v3-dirty");
}

TEST_CASE("insecureRegistries and defaultRepo", "[loader]") {
  const Config config = load(
      "insecureRegistries:\n  - localhost:5000\n  - ${REG:127.0.0.1:5001}\n"
      "defaultRepo: ${REPO:registry.example.com/team}\n");
  CHECK(config.insecure_registries == std::vector<std::string>{"localhost:5000", "127.0.0.1:5001"});
  CHECK(config.default_repo == "registry.example.com/team");
  CHECK(load_error("insecureRegistries: localhost:5000\n") ==
        "steiger.yml:1:21: insecureRegistries: expected a list of registry hosts, got a string");
  CHECK(load_error("insecureRegistries: [5000]\n") ==
        "steiger.yml:1:22: insecureRegistries[0]: expected a registry host (a string), got an "
        "integer");
  CHECK(load_error("defaultRepo: [a]\n") ==
        "steiger.yml:1:14: defaultRepo: expected a repository (a string), got a list");
}

TEST_CASE("config and project paths are absolute", "[loader]") {
  TempDir dir;
  dir.write("sub/steiger.yml", "build: {}\n");
  LoadOptions options = options_for(dir);
  options.dir = dir.path() / "sub" / "";
  const Config config = load_config(options);
  CHECK(config.dir == dir.path() / "sub");
  CHECK(config.file == dir.path() / "sub" / "steiger.yml");
  CHECK(config.file.is_absolute());
}
