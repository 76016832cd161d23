// docs/faults.md stays true: its YAML example and every `--fault '…'` in it build, and every
// type in the catalogue has a row.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/server_config.hpp"
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

namespace {

std::string faults_doc() {
  const auto doc = std::filesystem::path(__FILE__).parent_path() / ".." / "docs" / "faults.md";
  std::ifstream in(doc);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("docs/faults.md: the YAML example builds into rules", "[faults][docs]") {
  const std::string doc = faults_doc();
  const auto start = doc.find("```yaml\n");
  REQUIRE(start != std::string::npos);
  const auto end = doc.find("```", start + 8);
  fauxgres::config::server_config c;
  fauxgres::config::load_yaml_config(doc.substr(start + 8, end - start - 8), "faults.md", c);
  REQUIRE(c.fault_entries.size() == 4);
  const engine e(rules_from_config(c), *c.seed);
  CHECK(e.rules()[3].name == "serialization");
  CHECK(e.rules()[2].name == "idle_drop#1");
}

TEST_CASE("docs/faults.md: every --fault example parses", "[faults][docs]") {
  const std::string doc = faults_doc();
  std::size_t count = 0;
  for (auto at = doc.find("--fault '"); at != std::string::npos;
       at = doc.find("--fault '", at + 1)) {
    const auto open = at + 9;
    const auto close = doc.find('\'', open);
    const std::string text = doc.substr(open, close - open);
    if (text.rfind("TYPE", 0) == 0) continue;  // the syntax line
    INFO(text);
    CHECK_NOTHROW(parse_rule(text));
    ++count;
  }
  CHECK(count >= 15);
}

TEST_CASE("docs/faults.md: a row per fault type", "[faults][docs]") {
  const std::string doc = faults_doc();
  for (std::string_view type : fault_types()) {
    INFO(type);
    CHECK(doc.find("| `" + std::string(type) + "` |") != std::string::npos);
  }
}
