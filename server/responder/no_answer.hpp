// The error for statements fauxgres cannot answer by itself (tables, DML, DDL, unknown
// functions): 0A000 naming the statement, with a hint on scripting it as a fixture.
#pragma once

#include <string_view>

#include "protocol/error_fields.hpp"

namespace fauxgres::responder {

// `position` (1-based characters, 0 for none) points at what needs a database.
protocol::error_fields no_answer(std::string_view statement, int position = 0);

}  // namespace fauxgres::responder
