// Parses the non-SELECT statements the responder answers itself: transaction control,
// SET / RESET / SHOW, DISCARD, DEALLOCATE, CLOSE, LISTEN / UNLISTEN / NOTIFY, CHECKPOINT,
// and recognises writes (for the read-only check) by their command name.
#pragma once

#include <optional>
#include <string>

#include "responder/plan.hpp"
#include "responder/token_cursor.hpp"

namespace fauxgres::responder {

enum class command_parse_status : std::uint8_t {
  parsed,       // `detail` holds the plan
  failed,       // the cursor holds PG's error (syntax error, ...)
  unsupported,  // a statement fauxgres recognises but cannot answer (0A000)
  unknown,      // not a command this parser knows (the caller decides)
};

struct command_parse_result {
  command_parse_status status = command_parse_status::unknown;
  std::optional<plan_detail> detail;
};

// `cur` is at the statement's first token.
command_parse_result parse_command(token_cursor& cur);

// The command name PG uses in "cannot execute %s in a read-only transaction" for a write
// statement ("INSERT", "CREATE TABLE", "TRUNCATE TABLE", ...); empty if not a write.
std::string write_command_name(token_cursor& cur);

}  // namespace fauxgres::responder
