// Builds ErrorResponse fields for PostgreSQL errors the shared catalogue
// (protocol/error_fields.hpp) does not list; the texts are PG 15's.
#pragma once

#include <string>

#include "protocol/error_fields.hpp"

namespace fauxgres::responder {

inline protocol::error_fields pg_error(std::string sqlstate, std::string message,
                                       std::string severity = "ERROR") {
  protocol::error_fields e;
  e.severity = std::move(severity);
  e.sqlstate = std::move(sqlstate);
  e.message = std::move(message);
  return e;
}

inline protocol::error_fields with_hint(protocol::error_fields e, std::string hint) {
  e.hint = std::move(hint);
  return e;
}

inline protocol::error_fields with_detail(protocol::error_fields e, std::string detail) {
  e.detail = std::move(detail);
  return e;
}

inline protocol::error_fields with_position(protocol::error_fields e, int position) {
  e.position = position;
  return e;
}

}  // namespace fauxgres::responder
