// Helpers shared by the responder tests: a session-like harness that analyses and
// executes statements the way the session does, tracking the transaction status.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "responder/fixtures.hpp"
#include "responder/responder.hpp"
#include "responder/settings.hpp"

namespace fauxgres::responder::test {

struct outcome {
  statement_plan plan;
  execution result;

  // The first error, from analysis or execution.
  const protocol::error_fields* error() const {
    if (plan.error) return &*plan.error;
    if (result.error) return &*result.error;
    return nullptr;
  }
  std::string sqlstate() const { return error() ? error()->sqlstate : std::string(); }
  std::string message() const { return error() ? error()->message : std::string(); }
  // CommandComplete text as the session builds it.
  std::string tag() const {
    return result.counts_rows ? result.tag + " " + std::to_string(result.rows.size()) : result.tag;
  }
  const std::vector<column>& columns() const { return *plan.columns; }
  std::string cell(std::size_t r, std::size_t c) const {
    const auto& v = result.rows.at(r).at(c);
    return v ? *v : std::string("<NULL>");
  }
};

class harness {
 public:
  explicit harness(std::string user = "app", bool superuser = false)
      : user_(std::move(user)), settings_(user_, "15.20 (Debian 15.20-0+deb12u1)", superuser) {
    // 2024-05-01 12:34:56.789 UTC
    now_ = std::chrono::system_clock::time_point(std::chrono::milliseconds(1714566896789LL));
  }

  context make_context() {
    return context{settings_, user_,   database_, 4242,      status_,
                   now_,      &clock_, fixtures_, read_only_};
  }

  // Analyse + execute, applying transaction control as the session does.
  outcome run(std::string_view sql, std::vector<value> params = {},
              std::vector<std::uint32_t> declared = {}) {
    outcome o;
    auto ctx = make_context();
    o.plan = analyse(sql, declared, ctx);
    if (o.plan.error) {
      if (status_ == 'T') status_ = 'E';
      return o;
    }
    o.result = execute(o.plan, params, ctx);
    if (o.result.error) {
      if (status_ == 'T') status_ = 'E';
      return o;
    }
    apply(o.plan.control);
    return o;
  }

  char status() const { return status_; }
  settings& session_settings() { return settings_; }
  void set_fixtures(const fixtures* f) { fixtures_ = f; }
  void set_read_only(bool v) { read_only_ = v; }

 private:
  void apply(transaction_control control) {
    switch (control) {
      case transaction_control::begin:
        if (status_ == 'I') {
          status_ = 'T';
          settings_.transaction_begin();
        }
        break;
      case transaction_control::commit:
        if (status_ == 'T')
          settings_.transaction_commit();
        else if (status_ == 'E')
          settings_.transaction_rollback();
        status_ = 'I';
        break;
      case transaction_control::rollback:
        if (status_ != 'I') settings_.transaction_rollback();
        status_ = 'I';
        break;
      case transaction_control::rollback_to_savepoint:
        if (status_ == 'E') status_ = 'T';
        break;
      default:
        break;
    }
  }

  std::string user_;
  std::string database_ = "appdb";
  settings settings_;
  char status_ = 'I';
  std::chrono::system_clock::time_point now_;
  std::function<std::chrono::system_clock::time_point()> clock_ = [this] { return now_; };
  const fixtures* fixtures_ = nullptr;
  bool read_only_ = false;
};

}  // namespace fauxgres::responder::test
