// query_error: statements matching `pattern` are answered with an error: any `sqlstate`,
// with `message` (default: PostgreSQL's text for well-known codes), optional `detail` and
// `hint`, `severity=ERROR` (default; the session goes on) or `FATAL` (then FIN).
#include <cctype>

#include "faults/catalogue.hpp"
#include "faults/statement_pattern.hpp"

namespace fauxgres::faults::catalogue {
namespace {

// PostgreSQL's message for codes people inject, so a test can omit `message`.
std::string default_message(std::string_view sqlstate) {
  struct known {
    std::string_view code, text;
  };
  static constexpr known texts[] = {
      {"40001", "could not serialize access due to concurrent update"},
      {"40P01", "deadlock detected"},
      {"53300", "sorry, too many clients already"},
      {"08006", "connection failure"},
      {"57014", "canceling statement due to user request"},
      {"57P01", "terminating connection due to administrator command"},
      {"55P03", "canceling statement due to lock timeout"},
      {"53200", "out of memory"},
      {"53100", "could not extend file: No space left on device"},
      {"23505", "duplicate key value violates unique constraint"},
      {"25P02", "current transaction is aborted, commands ignored until end of transaction block"},
  };
  for (const auto& k : texts) {
    if (k.code == sqlstate) return std::string(k.text);
  }
  return "injected error (SQLSTATE " + std::string(sqlstate) + ")";
}

// 25006 names the command, as PG does: "cannot execute INSERT in a read-only transaction".
std::string read_only_command(std::string_view statement) {
  std::size_t i = 0;
  while (i < statement.size() && std::isspace(static_cast<unsigned char>(statement[i]))) ++i;
  std::string word;
  while (i < statement.size() && std::isalpha(static_cast<unsigned char>(statement[i]))) {
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(statement[i++])));
  }
  for (std::string_view command : {"INSERT", "UPDATE", "DELETE", "TRUNCATE", "MERGE"}) {
    if (word == command) return word;
  }
  return "UPDATE";
}

class query_error final : public fault {
 public:
  query_error(statement_pattern pattern, protocol::error_fields error, bool default_text)
      : pattern_(std::move(pattern)), error_(std::move(error)), default_text_(default_text) {}
  std::string_view type() const override { return "query_error"; }
  bool listens_to(hook h) const override { return h == hook::query; }
  verdict decide(hook h, const connection_facts& facts, milliseconds) const override {
    if (h != hook::query || !pattern_.matches(facts.statement)) return {};
    protocol::error_fields e = error_;
    if (default_text_ && e.sqlstate == "25006") {
      e.message =
          "cannot execute " + read_only_command(facts.statement) + " in a read-only transaction";
    }
    return e.is_fatal() ? verdicts::fatal(std::move(e)) : verdicts::error(std::move(e));
  }

 private:
  statement_pattern pattern_;
  protocol::error_fields error_;
  bool default_text_;
};

}  // namespace

std::unique_ptr<fault> make_query_error(attributes& a) {
  statement_pattern pattern(a);
  auto sqlstate = read_sqlstate(a);
  if (!sqlstate) a.fail("sqlstate", "", "required by query_error (e.g. 40001)");
  const auto message = a.text("message");
  if (message && message->empty()) a.fail("message", "", "must not be empty");
  protocol::error_fields e;
  e.severity = a.choice("severity", {"ERROR", "FATAL"}, "ERROR");
  e.sqlstate = *sqlstate;
  e.message = message.value_or(default_message(*sqlstate));
  e.detail = a.text("detail").value_or("");
  e.hint = a.text("hint").value_or("");
  return std::make_unique<query_error>(std::move(pattern), std::move(e), !message);
}

}  // namespace fauxgres::faults::catalogue
