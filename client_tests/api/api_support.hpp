// Helpers for the control API end-to-end tests: a fauxgres started with --api 127.0.0.1:0
// (plus flags), its API client, and checks libpq makes of what the API did.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fault_support.hpp"
#include "http_client.hpp"

namespace fauxgres_test::api {

using namespace fauxgres_test::faults;

struct api_server {
  std::unique_ptr<server_process> process;
  client api;
};

// fauxgres with --api 127.0.0.1:0 and `extra`; fails the test if it is not ready.
api_server start_api_server(std::vector<std::string> extra = {}, const std::string& token = {});

using faults::check_terminated;
using faults::connects;

// The `error` text of a JSON error reply.
std::string error_of(const reply& r);

}  // namespace fauxgres_test::api
