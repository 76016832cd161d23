// Helpers for the config tests: run the command line from a list of strings, capture the
// config::error it throws, and make throwaway files.
#pragma once

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/server_config.hpp"

namespace fauxgres::config::testing {

inline command_line parse(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"fauxgres"};
  for (const auto& a : args) argv.push_back(a.c_str());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

inline server_config parse_config(const std::vector<std::string>& args) {
  return parse(args).config;
}

inline error parse_error(const std::vector<std::string>& args) {
  try {
    parse(args);
  } catch (const error& e) {
    return e;
  }
  FAIL("expected a config::error");
  throw std::logic_error("unreachable");
}

inline error yaml_error(const std::string& yaml, std::string_view origin = "test.yaml") {
  server_config c;
  try {
    load_yaml_config(yaml, origin, c);
  } catch (const error& e) {
    return e;
  }
  FAIL("expected a config::error for:\n" << yaml);
  throw std::logic_error("unreachable");
}

inline server_config from_yaml(const std::string& yaml, std::string_view origin = "test.yaml") {
  server_config c;
  load_yaml_config(yaml, origin, c);
  return c;
}

// A fresh directory, removed with everything in it at the end of the test.
class temp_dir {
 public:
  temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "fauxgres-cfg-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  std::string file(const std::string& name, const std::string& content = "x") const {
    const auto p = path_ / name;
    std::ofstream(p) << content;
    return p.string();
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace fauxgres::config::testing
