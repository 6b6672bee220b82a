#include "cli/options.hpp"

#include "common/error.hpp"
#include "config/did_you_mean.hpp"

#include <algorithm>
#include <sstream>

namespace steiger::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

fs::path GlobalOptions::cli_path(const std::string& p) const {
  fs::path path(p);
  return (path.is_absolute() ? path : working_dir / path).lexically_normal();
}

const std::vector<std::string>& command_names() {
  static const std::vector<std::string> names = {"build", "push", "plugins", "help", "version"};
  return names;
}

po::options_description global_options() {
  po::options_description d("Global options");
  d.add_options()                                                                          //
      ("dir,d", po::value<std::string>(), "project directory (default: the current one)")  //
      ("config,c", po::value<std::string>(),
       "config file, relative to --dir (default: steiger.yml, then steiger.yaml)")  //
      ("plugin-path", po::value<std::vector<std::string>>()->composing(),
       "extra plugin folders, colon-separated, searched first")             //
      ("verbose,v", po::bool_switch(), "print the host's own diagnostics")  //
      ("help,h", po::bool_switch(), "show help");
  return d;
}

po::options_description command_options(const std::string& command) {
  po::options_description d("Options for `steiger " + command + "`");
  if (command == "build") {
    d.add_options()  //
        ("repo,r", po::value<std::string>(),
         "push to this repository (e.g. 127.0.0.1:5000/proj)")  //
        ("output,o", po::value<std::string>(),
         "write the build output file (Skaffold's format)")  //
        ("platform", po::value<std::vector<std::string>>()->composing(),
         "target platforms, comma-separated (default: the host's)")              //
        ("profile,p", po::value<std::string>(), "use this profile's variables")  //
        ("only", po::value<std::vector<std::string>>()->composing(),
         "build only these services, comma-separated")  //
        ("concurrency,j", po::value<size_t>(),
         "services built at once (default: max(4, cores))")                              //
        ("keep-going,k", po::bool_switch(), "let other services finish when one fails")  //
        ("dry-run", po::bool_switch(), "print the plan and run nothing")                 //
        ("out-dir", po::value<std::string>(),
         "where OCI layouts land without a repo (default: <dir>/.steiger/out)")  //
        ("progress", po::value<std::string>()->default_value("auto"), "auto, tty, plain or json");
  } else if (command == "push") {
    d.add_options()                                                                   //
        ("layout", po::value<std::string>(), "the OCI image layout folder to push")   //
        ("reference", po::value<std::string>(), "where to: registry/repository:tag")  //
        ("insecure-registry", po::value<std::vector<std::string>>()->composing(),
         "allow plain HTTP or an unverified certificate for this host[:port]")  //
        ("quiet,q", po::bool_switch(), "no progress lines");
  } else if (command == "plugins") {
    d.add_options()("json", po::bool_switch(), "machine-readable output");
  }
  return d;
}

namespace {

bool takes_value(const po::options_description& d, const std::string& token) {
  if (token.find('=') != std::string::npos) return false;
  const po::option_description* o = nullptr;
  if (token.rfind("--", 0) == 0)
    o = d.find_nothrow(token.substr(2), false);
  else if (token.size() == 2)
    o = d.find_nothrow(token, false);  // short names are matched with their dash
  return o && o->semantic()->max_tokens() > 0;
}

[[noreturn]] void unknown_command(const std::string& name) {
  std::string msg = "unknown command '" + name + "'";
  if (auto near = config::closest_name(name, command_names()))
    msg += "; did you mean '" + *near + "'?";
  throw UserError(msg + "\nrun `steiger --help` for the commands");
}

}  // namespace

ParsedCommand parse_command_line(const std::vector<std::string>& args) {
  ParsedCommand parsed;
  auto globals = global_options();
  // The command is the first word that is neither an option nor a global option's value.
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (parsed.name.empty() && !a.empty() && a[0] != '-') {
      parsed.name = a;
      continue;
    }
    rest.push_back(a);
    if (parsed.name.empty() && takes_value(globals, a) && i + 1 < args.size())
      rest.push_back(args[++i]);
  }
  if (!parsed.name.empty() && std::find(command_names().begin(), command_names().end(),
                                        parsed.name) == command_names().end())
    unknown_command(parsed.name);

  po::options_description all;
  all.add(globals);
  if (!parsed.name.empty()) all.add(command_options(parsed.name));
  try {
    po::positional_options_description positional;
    if (parsed.name == "push") positional.add("layout", 1).add("reference", 1);
    po::store(po::command_line_parser(rest).options(all).positional(positional).run(), parsed.vars);
    po::notify(parsed.vars);
  } catch (const po::unknown_option& e) {
    std::string opt = e.get_option_name();
    std::vector<std::string> names;
    for (const auto& o : all.options()) names.push_back("--" + o->long_name());
    std::string msg = "unknown option '" + opt + "'" +
                      (parsed.name.empty() ? "" : " for `steiger " + parsed.name + "`");
    if (auto near = config::closest_name(opt, names)) msg += "; did you mean '" + *near + "'?";
    throw UserError(msg + "\nrun `steiger " + parsed.name + " --help` for the options");
  } catch (const po::error& e) {
    throw UserError(std::string(e.what()) + "\nrun `steiger " + parsed.name +
                    " --help` for the options");
  }

  auto& v = parsed.vars;
  parsed.help = v["help"].as<bool>();
  parsed.global.verbose = v["verbose"].as<bool>();
  parsed.global.working_dir = fs::current_path();
  parsed.global.dir = v.count("dir") ? parsed.global.cli_path(v["dir"].as<std::string>())
                                     : parsed.global.working_dir;
  if (v.count("config")) parsed.global.config = fs::path(v["config"].as<std::string>());
  if (v.count("plugin-path"))
    parsed.global.plugin_paths = v["plugin-path"].as<std::vector<std::string>>();
  return parsed;
}

std::string usage_text(const std::string& command) {
  std::ostringstream out;
  if (command.empty() || command == "help") {
    out << "steiger: build every service of a repository in parallel, each with its own build "
           "system, and ship OCI images\n\n"
           "usage: steiger [-d DIR] [-c CONFIG] <command> [options]\n\n"
           "commands:\n"
           "  build     build the services of steiger.yml (and push them with --repo)\n"
           "  push      push one OCI image layout, all its platforms, to a registry\n"
           "  plugins   list the plugins found, the refused ones and why\n"
           "  version   print the version and the SDK version\n\n"
        << global_options() << "\nrun `steiger <command> --help` for a command's options\n";
  } else {
    out << "usage: steiger [global options] " << command << " [options]\n\n"
        << command_options(command) << "\n"
        << global_options();
  }
  return out.str();
}

}  // namespace steiger::cli
