// startup_error: a FATAL right after the StartupMessage, before authentication, as a
// PostgreSQL that is starting, recovering or shutting down sends. `preset` gives PG15's
// exact 57P03 errors; otherwise `sqlstate` + `message` (+ `detail`, `hint`,
// `severity=FATAL|ERROR`) make any error.
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class startup_error final : public fault {
 public:
  explicit startup_error(protocol::error_fields error) : error_(std::move(error)) {}
  std::string_view type() const override { return "startup_error"; }
  bool listens_to(hook h) const override { return h == hook::startup; }
  verdict decide(hook h, const connection_facts&, milliseconds) const override {
    return h == hook::startup ? verdicts::fatal(error_) : verdict{};
  }

 private:
  protocol::error_fields error_;
};

protocol::error_fields preset_error(std::string_view preset) {
  namespace errors = protocol::errors;
  if (preset == "not_yet_accepting") return errors::not_yet_accepting();
  if (preset == "shutting_down") return errors::shutting_down();
  if (preset == "recovery") return errors::in_recovery();
  return errors::starting_up();
}

}  // namespace

std::unique_ptr<fault> make_startup_error(attributes& a) {
  const auto preset =
      a.choice("preset", {"starting_up", "not_yet_accepting", "shutting_down", "recovery"}, "");
  auto sqlstate = read_sqlstate(a);
  auto message = a.text("message");
  auto detail = a.text("detail");
  auto hint = a.text("hint");
  const auto severity = a.choice("severity", {"FATAL", "ERROR"}, "FATAL");
  if (!preset.empty()) {
    for (std::string_view key : {"sqlstate", "message", "detail", "hint", "severity"}) {
      if (a.has(key)) a.fail(key, *a.text(key), "cannot be combined with preset");
    }
    return std::make_unique<startup_error>(preset_error(preset));
  }
  if (!sqlstate) a.fail("sqlstate", "", "required by startup_error unless preset is given");
  if (!message || message->empty()) {
    a.fail("message", "", "required by startup_error unless preset is given");
  }
  protocol::error_fields e;
  e.severity = severity;
  e.sqlstate = std::move(*sqlstate);
  e.message = std::move(*message);
  e.detail = detail.value_or("");
  e.hint = hint.value_or("");
  return std::make_unique<startup_error>(std::move(e));
}

}  // namespace fauxgres::faults::catalogue
