// See instance.hpp.
#include "app/instance.hpp"

#include <cstdio>
#include <fstream>
#include <random>

namespace fauxgres::app {

namespace {

// Rules from the config file first, then from --fault flags; a random seed unless given.
faults::engine build_fault_engine(const config::server_config& config) {
  std::uint64_t seed = config.seed ? *config.seed : std::random_device{}();
  return faults::engine(faults::rules_from_config(config), seed);
}

}  // namespace

instance::instance(config::server_config config) : config_(std::move(config)) {
  if (!config_.fixtures_file.empty())
    fixtures_ = responder::fixtures::load_file(config_.fixtures_file);
  rules_ = build_fault_engine(config_);
  log_ = std::make_unique<observe::logger>(config_.log_format, config_.log_level);
  server_ = std::make_unique<net::server>(config_, fixtures_, rules_, *log_);
  server_->start();
  if (config_.api.enabled) api_ = std::make_unique<control::api>(*server_, config_, *log_);
  log_->log(observe::level::info, "fault rules",
            {{"rules", static_cast<std::int64_t>(rules_.rules().size())},
             {"seed", static_cast<std::int64_t>(rules_.seed())}});
}

instance::~instance() = default;

std::string instance::ready_line() const {
  std::string line = server_->ready_line();
  if (!api_) return line;
  const std::string api = ", api " + api_->url();
  const auto url = line.rfind(" (url: ");
  return url == std::string::npos ? line + api : line.insert(url, api);
}

int instance::run() {
  return server_->run();
}

bool instance::write_stats_file() const {
  if (config_.stats_file.empty()) return true;
  std::ofstream out(config_.stats_file);
  out << server_->stats_json() << '\n';
  if (out) return true;
  std::fprintf(stderr, "fauxgres: cannot write --stats-file %s\n", config_.stats_file.c_str());
  return false;
}

}  // namespace fauxgres::app
