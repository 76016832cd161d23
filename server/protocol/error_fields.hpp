// The fields of an ErrorResponse / NoticeResponse, and the PostgreSQL 15 errors fauxgres
// sends, each with the source location (F/L/R) a real PG 15.20 reports, so bytes match.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fauxgres::protocol {

struct error_fields {
  std::string severity;  // S and V: "ERROR", "FATAL", "WARNING", "NOTICE"
  std::string sqlstate;  // C
  std::string message;   // M
  std::string detail;    // D, omitted when empty
  std::string hint;      // H, omitted when empty
  int position = 0;      // P, omitted when 0
  std::string where;     // W, omitted when empty
  std::string file;      // F, omitted when empty
  int line = 0;          // L, omitted when file is empty
  std::string routine;   // R, omitted when file is empty

  bool is_fatal() const { return severity == "FATAL" || severity == "PANIC"; }
};

// The catalogue: every error and notice whose text comes from PostgreSQL 15. F/L/R and any
// text not in the references were observed on a real 15.20 (Debian 15.20-0+deb12u1).
namespace errors {
// Startup and admission.
error_fields unsupported_protocol(int major, int minor);         // 0A000 FATAL
error_fields unencrypted_data_after_ssl_request();               // 08P01 FATAL + D
error_fields unencrypted_data_after_gss_request();               // 08P01 FATAL + D
error_fields invalid_startup_packet_layout();                    // 08P01 FATAL
error_fields no_user_name();                                     // 28000 FATAL
error_fields invalid_replication_value(std::string_view value);  // 22023 FATAL + H
error_fields too_many_clients();                                 // 53300 FATAL proc.c
error_fields too_many_clients_postmaster();  // 53300 FATAL postmaster.c (child limit)
error_fields reserved_slots();               // 53300 FATAL postinit.c
error_fields starting_up();                  // 57P03 FATAL
error_fields not_yet_accepting();            // 57P03 FATAL + D
error_fields in_recovery();                  // 57P03 FATAL
error_fields shutting_down();                // 57P03 FATAL
error_fields no_hba_entry(std::string_view host, std::string_view user, std::string_view database,
                          bool ssl);  // 28000 FATAL
error_fields hba_rejects(std::string_view host, std::string_view user, std::string_view database,
                         bool ssl);                                      // 28000 FATAL
error_fields unrecognized_parameter(std::string_view name, bool fatal);  // 42704
// Where guc.c rejects a value: parse_and_validate_value, by the parameter's type, or a
// string parameter's check hook.
enum class guc_rejection : std::uint8_t {
  check_hook,
  boolean,
  integer,
  integer_range,
  real,
  real_range,
  enumeration,
};
error_fields invalid_parameter_value(
    std::string_view name, std::string_view value, std::string_view detail, bool fatal,
    guc_rejection where = guc_rejection::check_hook);  // 22023 "invalid value for parameter"
// 22023 with guc.c's own message: "requires a Boolean value", "... outside the valid range".
error_fields parameter_value_rejected(std::string message, bool fatal, guc_rejection where);
error_fields permission_denied_to_set(std::string_view name, bool fatal);  // 42501
error_fields identifier_truncated(std::string_view identifier,
                                  std::string_view truncated);  // 42622 NOTICE
error_fields database_not_accepting(std::string_view db);       // 55000 FATAL (template0)
error_fields role_cannot_login(std::string_view user);          // 28000 FATAL (NOLOGIN)

// Authentication.
error_fields password_failed(std::string_view user);        // 28P01 FATAL
error_fields empty_password();                              // 28P01 FATAL
error_fields role_does_not_exist(std::string_view user);    // 28000 FATAL
error_fields database_does_not_exist(std::string_view db);  // 3D000 FATAL
error_fields expected_password_response(char got);          // 08P01 FATAL
error_fields invalid_password_packet_size();                // 08P01 FATAL
error_fields invalid_sasl_mechanism();                      // 08P01 FATAL
// 08P01 FATAL + D. The line depends on the check that failed; the default is the
// channel-binding flag check (auth-scram.c:1025 read_client_first_message). Others seen:
// 712 read_attr_value ("Expected attribute ..."), 963/993 read_client_first_message.
error_fields malformed_scram_message(std::string_view detail);
error_fields malformed_scram_message(std::string_view detail, int line, std::string_view routine);
error_fields scram_authzid_unsupported();    // 0A000 FATAL
error_fields scram_extension_unsupported();  // 0A000 FATAL

// Session end.
error_fields admin_terminate();              // 57P01 FATAL
error_fields immediate_shutdown_warning();   // 57P01 WARNING (NoticeResponse)
error_fields crash_of_another_process();     // 57P02 WARNING + D + H (NoticeResponse)
error_fields idle_session_timeout();         // 57P05 FATAL
error_fields idle_in_transaction_timeout();  // 25P03 FATAL

// Queries.
error_fields cancel_user_request();       // 57014 ERROR
error_fields cancel_statement_timeout();  // 57014 ERROR
error_fields lock_timeout(int position);  // 55P03 ERROR
// Where the 25P02 check fired: each site reports its own line and routine.
enum class aborted_in { simple_query, parse, bind, execute, describe_statement };
error_fields transaction_aborted(aborted_in where);  // 25P02 ERROR
error_fields transaction_aborted(
    bool in_parse);  // 25P02 ERROR (exec_simple_query / exec_parse_message)
error_fields no_transaction_in_progress(bool rollback);  // 25P01 WARNING
error_fields set_local_outside_transaction();            // 25P01 WARNING
// "<what> can only be used in transaction blocks": an ERROR for SAVEPOINT, RELEASE and
// ROLLBACK TO, a WARNING for SET LOCAL, SET TRANSACTION and SET CONSTRAINTS.
error_fields outside_transaction_block(std::string_view what, bool warning);  // 25P01
error_fields multiple_commands_in_prepared_statement();                       // 42601
error_fields savepoint_does_not_exist(std::string_view name, bool release);   // 3B001
// 34000, from CLOSE (PerformPortalClose) or FETCH / MOVE (PerformPortalFetch).
error_fields cursor_does_not_exist(std::string_view name, bool fetch = false);
error_fields division_by_zero();  // 22012 ERROR
// `type` is PG's display name ("integer", "boolean", "timestamp with time zone") or a
// typname ("int4"); date/time types use 22007 as PG does.
error_fields invalid_input_syntax(std::string_view type, std::string_view value,
                                  int position);  // 22P02
error_fields value_out_of_range(std::string_view type, std::string_view value,
                                int position);                              // 22003
error_fields syntax_error_at(std::string_view token, int position);         // 42601 ERROR
error_fields syntax_error_at_end(int position);                             // 42601 ERROR
error_fields relation_does_not_exist(std::string_view name, int position);  // 42P01
error_fields column_does_not_exist(std::string_view name, int position);    // 42703
error_fields read_only_transaction(std::string_view command);               // 25006 ERROR

// Extended protocol.
// 26000. An empty name is PG's "unnamed prepared statement does not exist", whose site
// differs between Bind and Describe.
error_fields statement_does_not_exist(std::string_view name, bool in_describe = false);
error_fields statement_already_exists(std::string_view name);                         // 42P05 ERROR
error_fields portal_does_not_exist(std::string_view name, bool in_describe = false);  // 34000
error_fields portal_already_exists(std::string_view name);            // 42P03 ERROR (Bind)
error_fields active_portal_cannot_be_dropped(std::string_view name);  // 24000, CLOSE of itself
error_fields portal_cannot_be_run(std::string_view name);  // 55000: a finished command's portal
error_fields bind_parameter_count(size_t supplied, std::string_view statement,
                                  size_t required);             // 08P01
error_fields bind_format_count(size_t formats, size_t params);  // 08P01
error_fields invalid_string_in_message();                       // 08P01 ERROR (pq_getmsgstring)
error_fields invalid_raw_string_in_message();  // 08P01 ERROR (pq_getmsgrawstring: SASL)
error_fields insufficient_data_in_message();   // 08P01 ERROR (an integer ran short)
error_fields insufficient_data_for_value();    // 08P01 ERROR (a counted value ran short)
error_fields no_data_left_in_message();        // 08P01 ERROR (a missing byte)
error_fields invalid_message_format();         // 08P01 ERROR (trailing bytes)
// 22021 ERROR for a string that is not UTF-8; `from` starts at the offending character.
error_fields invalid_byte_sequence(std::string_view from);
// PG's check of client text against UTF8 (pg_verify_mbstr, where a NUL byte is invalid too):
// the 22021 naming the first bad character, or nothing when `text` is valid.
std::optional<error_fields> invalid_encoding(std::string_view text);
error_fields invalid_frontend_message_type(int type);  // 08P01 FATAL
error_fields invalid_describe_subtype(int kind);       // 08P01 ERROR
error_fields invalid_close_subtype(int kind);          // 08P01 ERROR
// 22P03: a binary parameter whose receive function left bytes unread. PG names the
// parameter (1-based) and puts the portal in W.
error_fields invalid_binary_representation(int parameter, std::string_view portal);
// 22023 for a result-column format (printtup.c, at Describe/Execute).
error_fields unsupported_format_code(int code);
// 22023 for a parameter format (exec_bind_message, with W).
error_fields unsupported_parameter_format(int code, int parameter, std::string_view portal);

// W of errors raised while Bind reads or converts parameter `parameter` (1-based):
// "unnamed portal parameter $1", or `portal "p" parameter $1`; text-format values add
// " = '...'" (PG 15 with log_parameter_max_length_on_error = 0).
std::string bind_parameter_context(std::string_view portal, int parameter, bool text_value);

// During authentication PG turns every ERROR into FATAL.
error_fields as_fatal(error_fields e);

}  // namespace errors
}  // namespace fauxgres::protocol
