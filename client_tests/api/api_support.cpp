// See api_support.hpp.
#include "api_support.hpp"

namespace fauxgres_test::api {

api_server start_api_server(std::vector<std::string> extra, const std::string& token) {
  std::vector<std::string> args{"--api", "127.0.0.1:0"};
  if (!token.empty()) args.insert(args.end(), {"--api-token", token});
  args.insert(args.end(), extra.begin(), extra.end());
  api_server s;
  s.process = std::make_unique<server_process>(std::move(args));
  if (!s.process->ready()) FAIL("fauxgres did not become ready:\n" << s.process->diagnostics());
  if (s.process->info().api_port == 0)
    FAIL("no api address in the ready line:\n" << s.process->diagnostics());
  s.api = client{s.process->info().api_host, s.process->info().api_port, token};
  return s;
}

std::string error_of(const reply& r) {
  const auto v = r.json();
  if (!v.is_object() || !v.as_object().contains("error")) return "(no error in " + r.body + ")";
  return boost::json::value_to<std::string>(v.at("error"));
}

}  // namespace fauxgres_test::api
