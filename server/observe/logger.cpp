// Text and JSON-lines rendering of log events on top of spdlog.
#include "observe/logger.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

namespace fauxgres::observe {

namespace {

spdlog::level::level_enum to_spdlog(level l) {
  return static_cast<spdlog::level::level_enum>(static_cast<int>(l));
}

std::string_view level_name(level l) {
  static constexpr std::string_view names[] = {"trace", "debug",    "info", "warn",
                                               "error", "critical", "off"};
  return names[static_cast<int>(l)];
}

// Text values are quoted only when they need it, so lines stay greppable.
void append_text_value(std::string& out, std::string_view v) {
  bool plain = !v.empty() && v.find_first_of(" \"=\t\n") == std::string_view::npos;
  if (plain) {
    out.append(v);
    return;
  }
  out.push_back('"');
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out.append("\\n");
      continue;
    }
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace

level level_from_string(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(level::off); ++i)
    if (level_name(static_cast<level>(i)) == name) return static_cast<level>(i);
  return level::info;
}

logger::logger(std::string_view format, std::string_view min_level)
    : json_(format == "json"), min_level_(level_from_string(min_level)) {
  sink_ = std::make_shared<spdlog::logger>("fauxgres",
                                           std::make_shared<spdlog::sinks::stderr_sink_mt>());
  sink_->set_level(to_spdlog(min_level_));
  sink_->set_pattern(json_ ? "%v" : "%Y-%m-%d %H:%M:%S.%e %l %v");
  sink_->flush_on(spdlog::level::trace);
}

logger::~logger() = default;

void logger::log(level l, std::string_view event, std::initializer_list<field> fields) {
  if (!enabled(l)) return;
  std::string line;
  if (json_) {
    boost::json::object o;
    auto now = std::chrono::system_clock::now();
    o["ts"] = std::chrono::duration<double>(now.time_since_epoch()).count();
    o["level"] = level_name(l);
    o["event"] = event;
    for (const auto& f : fields) std::visit([&](const auto& v) { o[f.key] = v; }, f.value);
    line = boost::json::serialize(o);
  } else {
    line.append(event);
    for (const auto& f : fields) {
      line.push_back(' ');
      line.append(f.key);
      line.push_back('=');
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string_view>)
              append_text_value(line, v);
            else if constexpr (std::is_same_v<T, bool>)
              line.append(v ? "true" : "false");
            else
              line.append(std::to_string(v));
          },
          f.value);
    }
  }
  sink_->log(to_spdlog(l), "{}", line);
}

}  // namespace fauxgres::observe
