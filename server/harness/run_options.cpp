// See run_options.hpp.
#include "harness/run_options.hpp"

#include <algorithm>
#include <string_view>

#include "config/values.hpp"

namespace fauxgres::harness {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// `--flag` or `--flag=...`.
bool names_flag(std::string_view arg, std::string_view flag) {
  return arg == flag || (arg.size() > flag.size() && arg.substr(0, flag.size()) == flag &&
                         arg[flag.size()] == '=');
}

bool given(const std::vector<std::string>& args, std::initializer_list<std::string_view> flags) {
  return std::any_of(args.begin(), args.end(), [&](const std::string& a) {
    return std::any_of(flags.begin(), flags.end(),
                       [&](std::string_view f) { return names_flag(a, f); });
  });
}

}  // namespace

report_format format_of(const std::string& report_file) {
  if (report_file.empty()) return report_format::none;
  if (ends_with(report_file, ".json")) return report_format::json;
  if (ends_with(report_file, ".html") || ends_with(report_file, ".htm")) return report_format::html;
  return report_format::none;
}

run_options parse_run_options(const std::vector<std::string>& args) {
  run_options out;
  std::size_t i = 0;
  // A harness flag's value: `--flag VALUE` or `--flag=VALUE`.
  auto value_of = [&](std::string_view flag) {
    const std::string& arg = args[i];
    if (arg.size() > flag.size()) return arg.substr(flag.size() + 1);
    if (i + 1 >= args.size() || args[i + 1] == "--")
      throw config::error(std::string(flag), "", "needs a value");
    return args[++i];
  };
  bool dashes = false;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      dashes = true;
      ++i;
      break;
    }
    if (names_flag(arg, "--scenario")) {
      if (!out.scenario_file.empty()) throw config::error("--scenario", "", "given more than once");
      out.scenario_file = config::parse_name(value_of("--scenario"), "--scenario");
    } else if (names_flag(arg, "--report")) {
      if (!out.report_file.empty()) throw config::error("--report", "", "given more than once");
      out.report_file = config::parse_name(value_of("--report"), "--report");
      if (format_of(out.report_file) == report_format::none)
        throw config::error("--report", out.report_file,
                            "expected a file name ending in .json or .html");
    } else if (names_flag(arg, "--timeout")) {
      if (out.timeout) throw config::error("--timeout", "", "given more than once");
      out.timeout = config::parse_timeout(value_of("--timeout"), "--timeout");
    } else if (arg == "-h" || arg == "--help") {
      out.help = true;
    } else {
      out.server_args.push_back(arg);
    }
  }
  if (out.help) return out;
  out.command.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  if (!dashes || out.command.empty())
    throw config::error("command line", "",
                        "missing the command to run: fauxgres run [options] -- COMMAND ARGS...");
  if (!given(out.server_args, {"--listen", "--unix-socket-dir", "--config"})) {
    out.server_args.insert(out.server_args.begin(), {"--listen", "127.0.0.1:0"});
  }
  if (!given(out.server_args, {"--log-level", "--config"})) {
    out.server_args.insert(out.server_args.begin(), {"--log-level", "warn"});
  }
  return out;
}

std::string run_usage() {
  return R"(Usage: fauxgres run [server options] [--scenario FILE] [--report FILE]
                    [--timeout DURATION] -- COMMAND ARGS...

Starts fauxgres, runs COMMAND with PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and
DATABASE_URL pointing at it, plays the scenario's timeline, and checks its expectations
once COMMAND has exited.

  --scenario FILE     YAML with faults:, timeline: and expect: (docs/scenarios.md)
  --report FILE       write a report: FILE.json (data) or FILE.html (a page with a timeline)
  --timeout DURATION  kill COMMAND after DURATION (e.g. 30s) and fail

Server options are those of `fauxgres --help`. Without --listen, --unix-socket-dir or
--config, fauxgres listens on 127.0.0.1 with a free port; without --log-level, it logs
warnings only.

Exit status: 0 all good; 1 an expectation failed; 2 bad options or scenario; 3 COMMAND
failed; 4 COMMAND timed out; 5 fauxgres could not start or write the report;
127 COMMAND could not be started.
)";
}

}  // namespace fauxgres::harness
