// The PostgreSQL 15 error catalogue: texts, SQLSTATEs and the file/line/routine a real
// 15.20 reports for each, so that fauxgres' ErrorResponses match byte for byte.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "protocol/error_fields.hpp"
#include "protocol/utf8_check.hpp"

namespace fauxgres::protocol::errors {
namespace {

error_fields make(std::string_view severity, std::string_view sqlstate, std::string message,
                  std::string_view file, int line, std::string_view routine) {
  error_fields e;
  e.severity = severity;
  e.sqlstate = sqlstate;
  e.message = std::move(message);
  e.file = file;
  e.line = line;
  e.routine = routine;
  return e;
}

error_fields fatal(std::string_view sqlstate, std::string message, std::string_view file, int line,
                   std::string_view routine) {
  return make("FATAL", sqlstate, std::move(message), file, line, routine);
}

error_fields error(std::string_view sqlstate, std::string message, std::string_view file, int line,
                   std::string_view routine) {
  return make("ERROR", sqlstate, std::move(message), file, line, routine);
}

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

constexpr std::string_view postmaster = "postmaster.c";
constexpr std::string_view startup_routine = "ProcessStartupPacket";
constexpr std::string_view interrupts = "ProcessInterrupts";
constexpr std::string_view mitm_detail =
    "This could be either a client-software bug or evidence of an attempted man-in-the-middle "
    "attack.";

}  // namespace

// ---------------------------------------------------------------------------------------
// Startup and admission.

error_fields unsupported_protocol(int major, int minor) {
  return fatal("0A000",
               "unsupported frontend protocol " + std::to_string(major) + "." +
                   std::to_string(minor) + ": server supports 3.0 to 3.0",
               postmaster, 2220, startup_routine);
}

error_fields unencrypted_data_after_ssl_request() {
  auto e = fatal("08P01", "received unencrypted data after SSL request", postmaster, 2134,
                 startup_routine);
  e.detail = mitm_detail;
  return e;
}

error_fields unencrypted_data_after_gss_request() {
  auto e = fatal("08P01", "received unencrypted data after GSSAPI encryption request", postmaster,
                 2187, startup_routine);
  e.detail = mitm_detail;
  return e;
}

error_fields invalid_startup_packet_layout() {
  return fatal("08P01", "invalid startup packet layout: expected terminator as last byte",
               postmaster, 2332, startup_routine);
}

error_fields no_user_name() {
  return fatal("28000", "no PostgreSQL user name specified in startup packet", postmaster, 2349,
               startup_routine);
}

error_fields invalid_replication_value(std::string_view value) {
  auto e = fatal("22023", "invalid value for parameter \"replication\": " + quoted(value),
                 postmaster, 2284, startup_routine);
  e.hint = "Valid values are: \"false\", 0, \"true\", 1, \"database\".";
  return e;
}

error_fields too_many_clients() {
  return fatal("53300", "sorry, too many clients already", "proc.c", 357, "InitProcess");
}

error_fields too_many_clients_postmaster() {
  return fatal("53300", "sorry, too many clients already", postmaster, 2440, startup_routine);
}

error_fields reserved_slots() {
  return fatal("53300",
               "remaining connection slots are reserved for non-replication superuser "
               "connections",
               "postinit.c", 886, "InitPostgres");
}

error_fields starting_up() {
  return fatal("57P03", "the database system is starting up", postmaster, 2413, startup_routine);
}

error_fields not_yet_accepting() {
  auto e = fatal("57P03", "the database system is not yet accepting connections", postmaster, 2419,
                 startup_routine);
  e.detail = "Consistent recovery state has not been yet reached.";
  return e;
}

error_fields in_recovery() {
  return fatal("57P03", "the database system is in recovery mode", postmaster, 2435,
               startup_routine);
}

error_fields shutting_down() {
  return fatal("57P03", "the database system is shutting down", postmaster, 2430, startup_routine);
}

namespace {
std::string hba_target(std::string_view host, std::string_view user, std::string_view database,
                       bool ssl) {
  return "host " + quoted(host) + ", user " + quoted(user) + ", database " + quoted(database) +
         (ssl ? ", SSL encryption" : ", no encryption");
}
}  // namespace

error_fields no_hba_entry(std::string_view host, std::string_view user, std::string_view database,
                          bool ssl) {
  return fatal("28000", "no pg_hba.conf entry for " + hba_target(host, user, database, ssl),
               "auth.c", 544, "ClientAuthentication");
}

error_fields hba_rejects(std::string_view host, std::string_view user, std::string_view database,
                         bool ssl) {
  return fatal("28000",
               "pg_hba.conf rejects connection for " + hba_target(host, user, database, ssl),
               "auth.c", 476, "ClientAuthentication");
}

error_fields unrecognized_parameter(std::string_view name, bool is_fatal) {
  return make(is_fatal ? "FATAL" : "ERROR", "42704",
              "unrecognized configuration parameter " + quoted(name), "guc.c", 5766, "find_option");
}

// guc.c's lines in PG 15.20: 32 past 15.18's, as find_option's and call_string_check_hook's.
error_fields parameter_value_rejected(std::string message, bool is_fatal, guc_rejection where) {
  struct site {
    int line;
    const char* routine;
  };
  static constexpr std::array<site, 7> sites{{{12085, "call_string_check_hook"},
                                              {7434, "parse_and_validate_value"},
                                              {7454, "parse_and_validate_value"},
                                              {7466, "parse_and_validate_value"},
                                              {7490, "parse_and_validate_value"},
                                              {7502, "parse_and_validate_value"},
                                              {7560, "parse_and_validate_value"}}};
  const site& s = sites[static_cast<std::size_t>(where)];
  return make(is_fatal ? "FATAL" : "ERROR", "22023", std::move(message), "guc.c", s.line,
              s.routine);
}

error_fields invalid_parameter_value(std::string_view name, std::string_view value,
                                     std::string_view detail, bool is_fatal, guc_rejection where) {
  auto e = parameter_value_rejected(
      "invalid value for parameter " + quoted(name) + ": " + quoted(value), is_fatal, where);
  e.detail = detail;
  return e;
}

error_fields permission_denied_to_set(std::string_view name, bool is_fatal) {
  return make(is_fatal ? "FATAL" : "ERROR", "42501",
              "permission denied to set parameter " + quoted(name), "guc.c", 7850,
              "set_config_option_ext");
}

error_fields identifier_truncated(std::string_view identifier, std::string_view truncated) {
  return make("NOTICE", "42622",
              "identifier " + quoted(identifier) + " will be truncated to " + quoted(truncated),
              "scansup.c", 99, "truncate_identifier");
}

error_fields database_not_accepting(std::string_view db) {
  return fatal("55000", "database " + quoted(db) + " is not currently accepting connections",
               "postinit.c", 350, "CheckMyDatabase");
}

error_fields role_cannot_login(std::string_view user) {
  return fatal("28000", "role " + quoted(user) + " is not permitted to log in", "miscinit.c", 821,
               "InitializeSessionUserId");
}

// ---------------------------------------------------------------------------------------
// Authentication.

error_fields password_failed(std::string_view user) {
  return fatal("28P01", "password authentication failed for user " + quoted(user), "auth.c", 334,
               "auth_failed");
}

error_fields empty_password() {
  return fatal("28P01", "empty password returned by client", "auth.c", 757, "recv_password_packet");
}

error_fields role_does_not_exist(std::string_view user) {
  return fatal("28000", "role " + quoted(user) + " does not exist", "miscinit.c", 768,
               "InitializeSessionUserId");
}

error_fields database_does_not_exist(std::string_view db) {
  return fatal("3D000", "database " + quoted(db) + " does not exist", "postinit.c", 948,
               "InitPostgres");
}

error_fields expected_password_response(char got) {
  return fatal("08P01",
               "expected password response, got message type " +
                   std::to_string(static_cast<unsigned char>(got)),
               "auth.c", 718, "recv_password_packet");
}

error_fields invalid_password_packet_size() {
  return fatal("08P01", "invalid password packet size", "auth.c", 739, "recv_password_packet");
}

error_fields invalid_sasl_mechanism() {
  return fatal("08P01", "client selected an invalid SASL authentication mechanism", "auth-scram.c",
               256, "scram_init");
}

error_fields malformed_scram_message(std::string_view detail) {
  return malformed_scram_message(detail, 1025, "read_client_first_message");
}

error_fields malformed_scram_message(std::string_view detail, int line, std::string_view routine) {
  auto e = fatal("08P01", "malformed SCRAM message", "auth-scram.c", line, routine);
  e.detail = detail;
  return e;
}

error_fields scram_authzid_unsupported() {
  return fatal("0A000", "client uses authorization identity, but it is not supported",
               "auth-scram.c", 1036, "read_client_first_message");
}

error_fields scram_extension_unsupported() {
  return fatal("0A000", "client requires an unsupported SCRAM extension", "auth-scram.c", 1057,
               "read_client_first_message");
}

// ---------------------------------------------------------------------------------------
// Session end.

error_fields admin_terminate() {
  return fatal("57P01", "terminating connection due to administrator command", "postgres.c", 3211,
               interrupts);
}

error_fields immediate_shutdown_warning() {
  return make("WARNING", "57P01", "terminating connection due to immediate shutdown command",
              "postgres.c", 2907, "quickdie");
}

error_fields crash_of_another_process() {
  auto e =
      make("WARNING", "57P02", "terminating connection because of crash of another server process",
           "postgres.c", 2895, "quickdie");
  e.detail =
      "The postmaster has commanded this server process to roll back the current transaction "
      "and exit, because another server process exited abnormally and possibly corrupted shared "
      "memory.";
  e.hint = "In a moment you should be able to reconnect to the database and repeat your command.";
  return e;
}

error_fields idle_session_timeout() {
  return fatal("57P05", "terminating connection due to idle-session timeout", "postgres.c", 3374,
               interrupts);
}

error_fields idle_in_transaction_timeout() {
  return fatal("25P03", "terminating connection due to idle-in-transaction timeout", "postgres.c",
               3363, interrupts);
}

// ---------------------------------------------------------------------------------------
// Queries.

error_fields cancel_user_request() {
  return error("57014", "canceling statement due to user request", "postgres.c", 3349, interrupts);
}

error_fields cancel_statement_timeout() {
  return error("57014", "canceling statement due to statement timeout", "postgres.c", 3319,
               interrupts);
}

error_fields lock_timeout(int position) {
  auto e =
      error("55P03", "canceling statement due to lock timeout", "postgres.c", 3312, interrupts);
  e.position = position;
  return e;
}

error_fields transaction_aborted(aborted_in where) {
  struct site {
    int line;
    std::string_view routine;
  };
  static constexpr std::array<site, 5> sites{{{1081, "exec_simple_query"},
                                              {1439, "exec_parse_message"},
                                              {1691, "exec_bind_message"},
                                              {2172, "exec_execute_message"},
                                              {2605, "exec_describe_statement_message"}}};
  const site& s = sites[static_cast<std::size_t>(where)];
  return error("25P02",
               "current transaction is aborted, commands ignored until end of transaction block",
               "postgres.c", s.line, s.routine);
}

error_fields transaction_aborted(bool in_parse) {
  return transaction_aborted(in_parse ? aborted_in::parse : aborted_in::simple_query);
}

error_fields no_transaction_in_progress(bool rollback) {
  return make("WARNING", "25P01", "there is no transaction in progress", "xact.c",
              rollback ? 4113 : 3990,
              rollback ? "UserAbortTransactionBlock" : "EndTransactionBlock");
}

error_fields set_local_outside_transaction() {
  return outside_transaction_block("SET LOCAL", true);
}

error_fields outside_transaction_block(std::string_view what, bool warning) {
  return make(warning ? "WARNING" : "ERROR", "25P01",
              std::string(what) + " can only be used in transaction blocks", "xact.c", 3590,
              "CheckTransactionBlock");
}

// xact.c's lines are PG 15.20's, 3 past 15.18's (see outside_transaction_block).
error_fields savepoint_does_not_exist(std::string_view name, bool release) {
  return error("3B001", "savepoint " + quoted(name) + " does not exist", "xact.c",
               release ? 4320 : 4431, release ? "ReleaseSavepoint" : "RollbackToSavepoint");
}

error_fields cursor_does_not_exist(std::string_view name, bool fetch) {
  return error("34000", "cursor " + quoted(name) + " does not exist", "portalcmds.c",
               fetch ? 187 : 240, fetch ? "PerformPortalFetch" : "PerformPortalClose");
}

error_fields multiple_commands_in_prepared_statement() {
  return error("42601", "cannot insert multiple commands into a prepared statement", "postgres.c",
               1419, "exec_parse_message");
}

error_fields division_by_zero() {
  return error("22012", "division by zero", "int.c", 869, "int4div");
}

error_fields syntax_error_at(std::string_view token, int position) {
  auto e =
      error("42601", "syntax error at or near " + quoted(token), "scan.l", 1188, "scanner_yyerror");
  e.position = position;
  return e;
}

error_fields syntax_error_at_end(int position) {
  auto e = error("42601", "syntax error at end of input", "scan.l", 1180, "scanner_yyerror");
  e.position = position;
  return e;
}

error_fields relation_does_not_exist(std::string_view name, int position) {
  auto e = error("42P01", "relation " + quoted(name) + " does not exist", "parse_relation.c", 1392,
                 "parserOpenTable");
  e.position = position;
  return e;
}

error_fields column_does_not_exist(std::string_view name, int position) {
  auto e = error("42703", "column " + quoted(name) + " does not exist", "parse_relation.c", 3665,
                 "errorMissingColumn");
  e.position = position;
  return e;
}

error_fields read_only_transaction(std::string_view command) {
  return error("25006", "cannot execute " + std::string(command) + " in a read-only transaction",
               "utility.c", 414, "PreventCommandIfReadOnly");
}

// ---------------------------------------------------------------------------------------
// Extended protocol and message decoding.

error_fields statement_does_not_exist(std::string_view name, bool in_describe) {
  if (!name.empty()) {
    return error("26000", "prepared statement " + quoted(name) + " does not exist", "prepare.c",
                 451, "FetchPreparedStatement");
  }
  return error("26000", "unnamed prepared statement does not exist", "postgres.c",
               in_describe ? 2586 : 1616,
               in_describe ? "exec_describe_statement_message" : "exec_bind_message");
}

error_fields statement_already_exists(std::string_view name) {
  return error("42P05", "prepared statement " + quoted(name) + " already exists", "prepare.c", 412,
               "StorePreparedStatement");
}

error_fields portal_does_not_exist(std::string_view name, bool in_describe) {
  return error("34000", "portal " + quoted(name) + " does not exist", "postgres.c",
               in_describe ? 2669 : 2071,
               in_describe ? "exec_describe_portal_message" : "exec_execute_message");
}

error_fields active_portal_cannot_be_dropped(std::string_view name) {
  return error("24000", "cannot drop active portal " + quoted(name), "portalmem.c", 486,
               "PortalDrop");
}

error_fields portal_cannot_be_run(std::string_view name) {
  return error("55000", "portal " + quoted(name) + " cannot be run", "portalmem.c", 400,
               "MarkPortalActive");
}

error_fields portal_already_exists(std::string_view name) {
  return error("42P03", "cursor " + quoted(name) + " already exists", "portalmem.c", 186,
               "CreatePortal");
}

error_fields bind_parameter_count(size_t supplied, std::string_view statement, size_t required) {
  return error("08P01",
               "bind message supplies " + std::to_string(supplied) +
                   " parameters, but prepared statement " + quoted(statement) + " requires " +
                   std::to_string(required),
               "postgres.c", 1674, "exec_bind_message");
}

error_fields bind_format_count(size_t formats, size_t params) {
  return error("08P01",
               "bind message has " + std::to_string(formats) + " parameter formats but " +
                   std::to_string(params) + " parameters",
               "postgres.c", 1668, "exec_bind_message");
}

error_fields invalid_string_in_message() {
  return error("08P01", "invalid string in message", "pqformat.c", 595, "pq_getmsgstring");
}

error_fields invalid_raw_string_in_message() {
  return error("08P01", "invalid string in message", "pqformat.c", 624, "pq_getmsgrawstring");
}

error_fields insufficient_data_in_message() {
  return error("08P01", "insufficient data left in message", "pqformat.c", 533, "pq_copymsgbytes");
}

error_fields insufficient_data_for_value() {
  return error("08P01", "insufficient data left in message", "pqformat.c", 515, "pq_getmsgbytes");
}

error_fields no_data_left_in_message() {
  return error("08P01", "no data left in message", "pqformat.c", 404, "pq_getmsgbyte");
}

error_fields invalid_message_format() {
  return error("08P01", "invalid message format", "pqformat.c", 640, "pq_getmsgend");
}

error_fields invalid_byte_sequence(std::string_view from) {
  // PG names the bytes of the one character it could not read: as many as the lead byte
  // announces, or as are left.
  static constexpr char hex[] = "0123456789abcdef";
  const std::size_t n =
      from.empty()
          ? 0
          : std::min(detail::utf8_length(static_cast<unsigned char>(from[0])), from.size());
  std::string bytes;
  for (std::size_t i = 0; i < n; ++i) {
    const auto b = static_cast<unsigned char>(from[i]);
    if (i > 0) bytes += ' ';
    bytes += "0x";
    bytes += hex[b >> 4];
    bytes += hex[b & 0xf];
  }
  return error("22021", "invalid byte sequence for encoding \"UTF8\": " + bytes, "mbutils.c", 1798,
               "report_invalid_encoding_int");
}

std::optional<error_fields> invalid_encoding(std::string_view text) {
  const auto bad = detail::first_invalid_utf8(text);
  if (!bad) return std::nullopt;
  return invalid_byte_sequence(text.substr(*bad));
}

error_fields invalid_frontend_message_type(int type) {
  return fatal("08P01", "invalid frontend message type " + std::to_string(type), "postgres.c", 446,
               "SocketBackend");
}

error_fields invalid_describe_subtype(int kind) {
  return error("08P01", "invalid DESCRIBE message subtype " + std::to_string(kind), "postgres.c",
               4837, "PostgresMain");
}

error_fields invalid_close_subtype(int kind) {
  return error("08P01", "invalid CLOSE message subtype " + std::to_string(kind), "postgres.c", 4802,
               "PostgresMain");
}

error_fields invalid_binary_representation(int parameter, std::string_view portal) {
  auto e =
      error("22P03", "incorrect binary data format in bind parameter " + std::to_string(parameter),
            "postgres.c", 1893, "exec_bind_message");
  e.where = bind_parameter_context(portal, parameter, false);
  return e;
}

error_fields unsupported_format_code(int code) {
  return error("22023", "unsupported format code: " + std::to_string(code), "printtup.c", 290,
               "printtup_prepare_info");
}

error_fields unsupported_parameter_format(int code, int parameter, std::string_view portal) {
  auto e = error("22023", "unsupported format code: " + std::to_string(code), "postgres.c", 1900,
                 "exec_bind_message");
  e.where = bind_parameter_context(portal, parameter, false);
  return e;
}

std::string bind_parameter_context(std::string_view portal, int parameter, bool text_value) {
  std::string w = portal.empty() ? std::string("unnamed portal") : "portal " + quoted(portal);
  w += " parameter $" + std::to_string(parameter);
  if (text_value) w += " = '...'";
  return w;
}

error_fields as_fatal(error_fields e) {
  e.severity = "FATAL";
  return e;
}

}  // namespace fauxgres::protocol::errors
