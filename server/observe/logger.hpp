// Structured logging: one line per event, as text (`key=value`) or as a JSON object.
// The logger is an object passed to whoever logs; there is no global default logger.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace spdlog {
class logger;
}

namespace fauxgres::observe {

enum class level { trace, debug, info, warn, error, critical, off };

struct field {
  std::string_view key;
  std::variant<std::string_view, std::int64_t, double, bool> value;
};

class logger {
 public:
  // `format`: "text" or "json"; `min_level`: "trace" … "off". Writes to stderr.
  logger(std::string_view format, std::string_view min_level);
  ~logger();

  bool enabled(level l) const { return l >= min_level_; }
  void log(level l, std::string_view event, std::initializer_list<field> fields);

 private:
  bool json_;
  level min_level_;
  std::shared_ptr<spdlog::logger> sink_;
};

level level_from_string(std::string_view name);

}  // namespace fauxgres::observe
