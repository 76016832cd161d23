// Rules: matching, the --fault syntax, and errors naming the field.
#include <algorithm>
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("rule_match: unset matches everything", "[faults][rules][match]") {
  CHECK(rule_match{}.matches(accepted()));
  CHECK(rule_match{}.matches(connection_facts{}));
}

TEST_CASE("rule_match: listener by name, tcp or unix", "[faults][rules][match]") {
  connection_facts unix_socket = accepted();
  unix_socket.listener = "unix0";
  unix_socket.unix_socket = true;
  rule_match m;
  m.listener = "tcp";
  CHECK(m.matches(accepted()));
  CHECK_FALSE(m.matches(unix_socket));
  m.listener = "unix";
  CHECK(m.matches(unix_socket));
  m.listener = "tcp0";
  CHECK(m.matches(accepted()));
  CHECK_FALSE(m.matches(unix_socket));
}

TEST_CASE("rule_match: startup facts must be known", "[faults][rules][match]") {
  rule_match m;
  m.user = "app";
  CHECK_FALSE(m.matches(accepted()));
  CHECK(m.matches(started()));
  m.user = "other";
  CHECK_FALSE(m.matches(started()));
  rule_match d;
  d.database = "appdb";
  CHECK_FALSE(d.matches(accepted()));
  CHECK(d.matches(started()));
  rule_match a;
  a.application_name = "*";
  CHECK_FALSE(a.matches(accepted()));
  connection_facts no_name = started();
  no_name.application_name = "";
  CHECK(a.matches(no_name));  // known to be empty
  a.application_name = "ps?l";
  CHECK(a.matches(started()));
  a.application_name = "worker-*";
  CHECK_FALSE(a.matches(started()));
}

TEST_CASE("rule_match: client address exact or glob", "[faults][rules][match]") {
  rule_match m;
  m.client_address = "127.0.0.1";
  CHECK(m.matches(accepted()));
  m.client_address = "10.*";
  CHECK_FALSE(m.matches(accepted()));
  m.client_address = "127.*";
  CHECK(m.matches(accepted()));
  connection_facts unknown = accepted();
  unknown.client_address = "";
  CHECK_FALSE(m.matches(unknown));
}

TEST_CASE("rule_match: nth and every", "[faults][rules][match]") {
  rule_match nth;
  nth.nth = 2;
  CHECK_FALSE(nth.matches(accepted(1)));
  CHECK(nth.matches(accepted(2)));
  CHECK_FALSE(nth.matches(accepted(3)));
  rule_match every;
  every.every = 2;
  CHECK_FALSE(every.matches(accepted(1)));
  CHECK(every.matches(accepted(2)));
  CHECK(every.matches(accepted(4)));
  CHECK_FALSE(every.matches(accepted(0)));
}

TEST_CASE("parse_rule: type, attributes, match and rule keys in one list",
          "[faults][rules][parse]") {
  const rule r = parse_rule(
      "idle_drop:after=5s,mode=reset,user=app,probability=0.5,times=3,from=1s,until=1m,"
      "name=nat,listener=tcp,database=db,application_name=web-*,client_address=10.*,nth=4,"
      "every=2");
  CHECK(r.type == "idle_drop");
  CHECK(r.name == "nat");
  CHECK(r.field == "--fault idle_drop");
  CHECK(r.attributes == attribute_map{{"after", "5s"}, {"mode", "reset"}});
  CHECK(r.probability == 0.5);
  CHECK(r.times == 3u);
  CHECK(r.from == 1s);
  CHECK(r.until == 1min);
  CHECK(r.match.user == "app");
  CHECK(r.match.listener == "tcp");
  CHECK(r.match.database == "db");
  CHECK(r.match.application_name == "web-*");
  CHECK(r.match.client_address == "10.*");
  CHECK(r.match.nth == 4u);
  CHECK(r.match.every == 2u);
  REQUIRE(r.impl);
  CHECK(r.impl->type() == "idle_drop");
}

TEST_CASE("parse_rule: bare type, quotes, spaces", "[faults][rules][parse]") {
  CHECK(parse_rule("accept_hang").attributes.empty());
  CHECK(parse_rule("auth_fail").name.empty());  // named by the engine
  const rule q = parse_rule(
      R"(query_error: sqlstate = 40001 , message="a, \"b\" \\ c", pattern="insert|update")");
  CHECK(q.attributes.at("sqlstate") == "40001");
  CHECK(q.attributes.at("message") == R"(a, "b" \ c)");
  CHECK(q.attributes.at("pattern") == "insert|update");
  CHECK(parse_rule("query_delay:delay=1s,pattern=\"\"").attributes.at("pattern").empty());
  CHECK(parse_rule("refuse", "faults[0]").field == "faults[0] refuse");
}

TEST_CASE("parse_rule: syntax errors name the field", "[faults][rules][parse]") {
  struct row {
    const char* text;
    const char* field;
    const char* value;
  };
  for (const row& r : {
           row{"", "--fault", ""},
           row{":after=5s", "--fault", ":after=5s"},
           row{"idle_drop:", "--fault idle_drop", ""},
           row{"idle_drop:after", "--fault idle_drop", "after"},
           row{"idle_drop:after=5s,", "--fault idle_drop", "after=5s,"},
           row{"idle_drop:after=5s,,mode=fin", "--fault idle_drop", ""},
           row{"idle_drop:=5s", "--fault idle_drop", ""},
           row{"idle_drop:after=5s,after=6s", "--fault idle_drop.after", "6s"},
           row{"idle_drop:after=\"5s", "--fault idle_drop.after", ""},
           row{"idle_drop:after=\"5s\"x", "--fault idle_drop.after", "\"5s\"x"},
           row{"idle_drop:after=5s,type=x", "--fault idle_drop.type", "x"},
           row{"bogus:after=5s", "--fault bogus.type", "bogus"},
       }) {
    INFO(r.text);
    const auto e = rule_error(r.text);
    CHECK(e.field() == r.field);
    CHECK(e.value() == r.value);
  }
}

TEST_CASE("make_rule: rule and match key errors", "[faults][rules][make]") {
  struct row {
    const char* text;
    const char* field;
    const char* value;
  };
  for (const row& r : {
           row{"auth_fail:probability=1.5", "--fault auth_fail.probability", "1.5"},
           row{"auth_fail:probability=half", "--fault auth_fail.probability", "half"},
           row{"auth_fail:probability=-0.1", "--fault auth_fail.probability", "-0.1"},
           row{"auth_fail:times=-1", "--fault auth_fail.times", "-1"},
           row{"auth_fail:from=soon", "--fault auth_fail.from", "soon"},
           row{"auth_fail:until=1s,from=2s", "--fault auth_fail.until", ""},
           row{"auth_fail:until=1s,from=1s", "--fault auth_fail.until", ""},
           row{"auth_fail:nth=0", "--fault auth_fail.nth", "0"},
           row{"auth_fail:every=0", "--fault auth_fail.every", "0"},
           row{"auth_fail:user=", "--fault auth_fail.user", ""},
           row{"auth_fail:name=", "--fault auth_fail.name", ""},
           row{"auth_fail:colour=red", "--fault auth_fail.colour", ""},
           row{"accept_hang:database=x", "--fault accept_hang.database", ""},
       }) {
    INFO(r.text);
    const auto e = rule_error(r.text);
    CHECK(e.field() == r.field);
    CHECK(e.value() == r.value);
  }
  const auto unknown = rule_error("idle_drop:after=5s,colour=red");
  CHECK(unknown.why().find("its attributes: after, mode") != std::string::npos);
}

TEST_CASE("make_rule from a YAML-style map", "[faults][rules][make]") {
  const rule r =
      make_rule("query_delay", {{"delay", "2s"}, {"user", "app"}, {"times", "1"}}, "faults[2]");
  CHECK(r.field == "faults[2]");
  CHECK(r.attributes == attribute_map{{"delay", "2s"}});
  CHECK(r.match.user == "app");
  CHECK(r.times == 1u);
  try {
    make_rule("query_delay", {{"delay", "2x"}}, "faults[2]");
    FAIL("expected an error");
  } catch (const fauxgres::config::error& e) {
    CHECK(e.field() == "faults[2].delay");
    CHECK(e.value() == "2x");
  }
}

TEST_CASE("the catalogue", "[faults][rules][catalogue]") {
  const auto types = fault_types();
  for (std::string_view wanted : {"refuse", "max_connections", "idle_drop", "query_error",
                                  "kill_all", "restart", "shutdown", "failover"})
    CHECK(std::find(types.begin(), types.end(), wanted) != types.end());
  for (std::string_view type : types) {
    INFO(type);
    CHECK(fauxgres::faults::is_rule_key(type) == false);
  }
  CHECK(is_rule_key("probability"));
  CHECK(is_match_key("client_address"));
  CHECK_FALSE(is_match_key("after"));
  auto e = rule_error("idle");
  CHECK(e.why().find("known: refuse, accept_hang") != std::string::npos);
  CHECK(parse_duration("250ms", "x") == 250ms);
  CHECK(parse_duration("5m", "x") == 5min);
}

TEST_CASE("rules_from_config: file entries first, then flags", "[faults][rules][config]") {
  fauxgres::config::server_config c;
  c.fault_flags = {"accept_hang", "query_hang:name=last"};
  c.fault_entries.push_back({"refuse", {{"until", "5s"}}, "faults[0]", "f.yaml"});
  const auto rules = rules_from_config(c);
  REQUIRE(rules.size() == 3);
  CHECK(rules[0].type == "refuse");
  CHECK(rules[0].until == 5s);
  CHECK(rules[1].type == "accept_hang");
  CHECK(rules[2].name == "last");

  c.fault_entries.push_back({"idle_drop", {{"after", "5x"}}, "faults[1]", "f.yaml"});
  try {
    rules_from_config(c);
    FAIL("expected a config::error");
  } catch (const fauxgres::config::error& e) {
    CHECK(e.field() == "faults[1].after");
    CHECK(e.value() == "5x");
    CHECK(e.origin() == "f.yaml");
    CHECK(std::string(e.what()).rfind("f.yaml: faults[1].after: ", 0) == 0);
  }
  c.fault_entries.pop_back();
  c.fault_flags.push_back("idle_drop:after=5x");
  CHECK_THROWS_AS(rules_from_config(c), fauxgres::config::error);
}
