// PostgreSQL 15 run-time parameters (the ones drivers, ORMs and people commonly touch),
// with the defaults a stock Debian PG 15 cluster (initdb --locale=C, TimeZone Etc/UTC)
// shows. session_authorization, is_superuser and server_version* are filled per session.
#include "responder/guc_table.hpp"

#include <algorithm>

#include "responder/lexer.hpp"

namespace fauxgres::responder {
namespace {

using enum guc_type;
using enum guc_context;
constexpr std::uint8_t report = guc_report;
constexpr double int_max = 2147483647;

constexpr std::string_view isolation_levels =
    "serializable, repeatable read, read committed, read uncommitted";
constexpr std::string_view message_levels =
    "debug5, debug4, debug3, debug2, debug1, log, notice, warning, error";
constexpr std::string_view server_message_levels =
    "debug5, debug4, debug3, debug2, debug1, info, notice, warning, error, log, fatal, panic";

// Sorted by lower-case name (checked by a unit test).
constexpr guc_definition table[] = {
    {"application_name", string, user, "", 0, 0, guc_unit::none, {}, report,
     "Sets the application name to be reported in statistics and logs."},
    {"array_nulls", boolean, user, "on", 0, 0, guc_unit::none, {}, 0,
     "Enable input of NULL elements in arrays."},
    {"backslash_quote", enumeration, user, "safe_encoding", 0, 0, guc_unit::none,
     "safe_encoding, on, off", 0, "Sets whether \"\\'\" is allowed in string literals."},
    {"block_size", integer, internal, "8192", 8192, 8192, guc_unit::none, {}, 0,
     "Shows the size of a disk block."},
    {"bytea_output", enumeration, user, "hex", 0, 0, guc_unit::none, "escape, hex", 0,
     "Sets the output format for bytea."},
    {"check_function_bodies", boolean, user, "on", 0, 0, guc_unit::none, {}, 0,
     "Check routine bodies during CREATE FUNCTION and CREATE PROCEDURE."},
    {"client_encoding", string, user, "UTF8", 0, 0, guc_unit::none, {}, report,
     "Sets the client's character set encoding."},
    {"client_min_messages", enumeration, user, "notice", 0, 0, guc_unit::none, message_levels, 0,
     "Sets the message levels that are sent to the client."},
    {"cpu_index_tuple_cost", real, user, "0.005", 0, 1.79769e+308, guc_unit::none, {}, 0,
     "Sets the planner's estimate of the cost of processing each index entry during an index "
     "scan."},
    {"cpu_operator_cost", real, user, "0.0025", 0, 1.79769e+308, guc_unit::none, {}, 0,
     "Sets the planner's estimate of the cost of processing each operator or function call."},
    {"cpu_tuple_cost", real, user, "0.01", 0, 1.79769e+308, guc_unit::none, {}, 0,
     "Sets the planner's estimate of the cost of processing each tuple (row)."},
    {"cursor_tuple_fraction", real, user, "0.1", 0, 1, guc_unit::none, {}, 0,
     "Sets the planner's estimate of the fraction of a cursor's rows that will be retrieved."},
    {"data_checksums", boolean, internal, "off", 0, 0, guc_unit::none, {}, 0,
     "Shows whether data checksums are turned on for this cluster."},
    {"DateStyle", string, user, "ISO, MDY", 0, 0, guc_unit::none, {}, report | guc_list,
     "Sets the display format for date and time values."},
    {"default_tablespace", string, user, "", 0, 0, guc_unit::none, {}, 0,
     "Sets the default tablespace to create tables and indexes in."},
    {"default_text_search_config", string, user, "pg_catalog.english", 0, 0, guc_unit::none, {},
     0, "Sets default text search configuration."},
    {"default_toast_compression", enumeration, user, "pglz", 0, 0, guc_unit::none, "pglz, lz4", 0,
     "Sets the default compression method for compressible values."},
    {"default_transaction_deferrable", boolean, user, "off", 0, 0, guc_unit::none, {}, 0,
     "Sets the default deferrable status of new transactions."},
    {"default_transaction_isolation", enumeration, user, "read committed", 0, 0, guc_unit::none,
     isolation_levels, 0, "Sets the transaction isolation level of each new transaction."},
    {"default_transaction_read_only", boolean, user, "off", 0, 0, guc_unit::none, {}, report,
     "Sets the default read-only status of new transactions."},
    {"effective_cache_size", integer, user, "4GB", 1, int_max, guc_unit::blocks, {}, 0,
     "Sets the planner's assumption about the total size of the data caches."},
    {"effective_io_concurrency", integer, user, "1", 0, 1000, guc_unit::none, {}, 0,
     "Number of simultaneous requests that can be handled efficiently by the disk subsystem."},
    {"enable_hashjoin", boolean, user, "on", 0, 0, guc_unit::none, {}, 0,
     "Enables the planner's use of hash join plans."},
    {"enable_indexscan", boolean, user, "on", 0, 0, guc_unit::none, {}, 0,
     "Enables the planner's use of index-scan plans."},
    {"enable_mergejoin", boolean, user, "on", 0, 0, guc_unit::none, {}, 0,
     "Enables the planner's use of merge join plans."},
    {"enable_nestloop", boolean, user, "on", 0, 0, guc_unit::none, {}, 0,
     "Enables the planner's use of nested-loop join plans."},
    {"enable_seqscan", boolean, user, "on", 0, 0, guc_unit::none, {}, 0,
     "Enables the planner's use of sequential-scan plans."},
    {"enable_sort", boolean, user, "on", 0, 0, guc_unit::none, {}, 0,
     "Enables the planner's use of explicit sort steps."},
    {"escape_string_warning", boolean, user, "on", 0, 0, guc_unit::none, {}, 0,
     "Warn about backslash escapes in ordinary string literals."},
    {"extra_float_digits", integer, user, "1", -15, 3, guc_unit::none, {}, 0,
     "Sets the number of digits displayed for floating-point values."},
    {"from_collapse_limit", integer, user, "8", 1, int_max, guc_unit::none, {}, 0,
     "Sets the FROM-list size beyond which subqueries are not collapsed."},
    {"geqo", boolean, user, "on", 0, 0, guc_unit::none, {}, 0,
     "Enables genetic query optimization."},
    {"idle_in_transaction_session_timeout", integer, user, "0", 0, int_max,
     guc_unit::milliseconds, {}, 0,
     "Sets the maximum allowed idle time between queries, when in a transaction."},
    {"idle_session_timeout", integer, user, "0", 0, int_max, guc_unit::milliseconds, {}, 0,
     "Sets the maximum allowed idle time between queries, when not in a transaction."},
    {"in_hot_standby", boolean, internal, "off", 0, 0, guc_unit::none, {}, report,
     "Shows whether hot standby is currently active."},
    {"integer_datetimes", boolean, internal, "on", 0, 0, guc_unit::none, {}, report,
     "Shows whether datetimes are integer based."},
    {"IntervalStyle", enumeration, user, "postgres", 0, 0, guc_unit::none,
     "postgres, postgres_verbose, sql_standard, iso_8601", report,
     "Sets the display format for interval values."},
    {"is_superuser", boolean, internal, "off", 0, 0, guc_unit::none, {}, report,
     "Shows whether the current user is a superuser."},
    {"jit", boolean, user, "on", 0, 0, guc_unit::none, {}, 0, "Allow JIT compilation."},
    {"join_collapse_limit", integer, user, "8", 1, int_max, guc_unit::none, {}, 0,
     "Sets the FROM-list size beyond which JOIN constructs are not flattened."},
    {"lc_collate", string, internal, "C", 0, 0, guc_unit::none, {}, 0,
     "Shows the collation order locale."},
    {"lc_ctype", string, internal, "C", 0, 0, guc_unit::none, {}, 0,
     "Shows the character classification and case conversion locale."},
    {"lc_messages", string, superuser, "C", 0, 0, guc_unit::none, {}, 0,
     "Sets the language in which messages are displayed."},
    {"lc_monetary", string, user, "C", 0, 0, guc_unit::none, {}, 0,
     "Sets the locale for formatting monetary amounts."},
    {"lc_numeric", string, user, "C", 0, 0, guc_unit::none, {}, 0,
     "Sets the locale for formatting numbers."},
    {"lc_time", string, user, "C", 0, 0, guc_unit::none, {}, 0,
     "Sets the locale for formatting date and time values."},
    {"listen_addresses", string, postmaster, "localhost", 0, 0, guc_unit::none, {}, guc_list,
     "Sets the host name or IP address(es) to listen to."},
    {"lock_timeout", integer, user, "0", 0, int_max, guc_unit::milliseconds, {}, 0,
     "Sets the maximum allowed duration of any wait for a lock."},
    {"log_min_duration_statement", integer, superuser, "-1", -1, int_max, guc_unit::milliseconds,
     {}, 0, "Sets the minimum execution time above which all statements will be logged."},
    {"log_min_messages", enumeration, superuser, "warning", 0, 0, guc_unit::none,
     server_message_levels, 0, "Sets the message levels that are logged."},
    {"log_statement", enumeration, superuser, "none", 0, 0, guc_unit::none,
     "none, ddl, mod, all", 0, "Sets the type of statements logged."},
    {"log_timezone", string, sighup, "Etc/UTC", 0, 0, guc_unit::none, {}, 0,
     "Sets the time zone to use in log messages."},
    {"maintenance_work_mem", integer, user, "64MB", 1024, int_max, guc_unit::kilobytes, {}, 0,
     "Sets the maximum memory to be used for maintenance operations."},
    {"max_connections", integer, postmaster, "100", 1, 262143, guc_unit::none, {}, 0,
     "Sets the maximum number of concurrent connections."},
    {"max_identifier_length", integer, internal, "63", 63, 63, guc_unit::none, {}, 0,
     "Shows the maximum identifier length."},
    {"max_index_keys", integer, internal, "32", 32, 32, guc_unit::none, {}, 0,
     "Shows the maximum number of index keys."},
    {"max_parallel_workers_per_gather", integer, user, "2", 0, 1024, guc_unit::none, {}, 0,
     "Sets the maximum number of parallel processes per executor node."},
    {"max_prepared_transactions", integer, postmaster, "0", 0, 262143, guc_unit::none, {}, 0,
     "Sets the maximum number of simultaneously prepared transactions."},
    {"password_encryption", enumeration, user, "scram-sha-256", 0, 0, guc_unit::none,
     "md5, scram-sha-256", 0, "Chooses the algorithm for encrypting passwords."},
    {"plan_cache_mode", enumeration, user, "auto", 0, 0, guc_unit::none,
     "auto, force_generic_plan, force_custom_plan", 0,
     "Controls the planner's selection of custom or generic plan."},
    {"port", integer, postmaster, "5432", 1, 65535, guc_unit::none, {}, 0,
     "Sets the TCP port the server listens on."},
    {"quote_all_identifiers", boolean, user, "off", 0, 0, guc_unit::none, {}, 0,
     "When generating SQL fragments, quote all identifiers."},
    {"random_page_cost", real, user, "4", 0, 1.79769e+308, guc_unit::none, {}, 0,
     "Sets the planner's estimate of the cost of a nonsequentially fetched disk page."},
    {"role", string, user, "none", 0, 0, guc_unit::none, {}, guc_no_reset_all | guc_no_show_all,
     "Sets the current role."},
    {"row_security", boolean, user, "on", 0, 0, guc_unit::none, {}, 0,
     "Enable row security."},
    {"search_path", string, user, "\"$user\", public", 0, 0, guc_unit::none, {},
     guc_list | guc_list_quote,
     "Sets the schema search order for names that are not schema-qualified."},
    {"seq_page_cost", real, user, "1", 0, 1.79769e+308, guc_unit::none, {}, 0,
     "Sets the planner's estimate of the cost of a sequentially fetched disk page."},
    {"server_encoding", string, internal, "UTF8", 0, 0, guc_unit::none, {}, report,
     "Shows the server (database) character set encoding."},
    {"server_version", string, internal, "15.20", 0, 0, guc_unit::none, {}, report,
     "Shows the server version."},
    {"server_version_num", integer, internal, "150020", 150020, 150020, guc_unit::none, {}, 0,
     "Shows the server version as an integer."},
    {"session_authorization", string, user, "", 0, 0, guc_unit::none, {},
     report | guc_no_reset_all | guc_no_show_all, "Sets the session user name."},
    {"session_replication_role", enumeration, superuser, "origin", 0, 0, guc_unit::none,
     "origin, replica, local", 0, "Sets the session's behavior for triggers and rewrite rules."},
    {"shared_buffers", integer, postmaster, "128MB", 16, 1073741823, guc_unit::blocks, {}, 0,
     "Sets the number of shared memory buffers used by the server."},
    {"ssl", boolean, sighup, "off", 0, 0, guc_unit::none, {}, 0, "Enables SSL connections."},
    {"standard_conforming_strings", boolean, user, "on", 0, 0, guc_unit::none, {}, report,
     "Causes '...' strings to treat backslashes literally."},
    {"statement_timeout", integer, user, "0", 0, int_max, guc_unit::milliseconds, {}, 0,
     "Sets the maximum allowed duration of any statement."},
    {"superuser_reserved_connections", integer, postmaster, "3", 0, 262143, guc_unit::none, {},
     0, "Sets the number of connection slots reserved for superusers."},
    {"synchronous_commit", enumeration, user, "on", 0, 0, guc_unit::none,
     "local, remote_write, remote_apply, on, off", 0,
     "Sets the current transaction's synchronization level."},
    {"tcp_keepalives_count", integer, user, "0", 0, int_max, guc_unit::none, {}, 0,
     "Maximum number of TCP keepalive retransmits."},
    {"tcp_keepalives_idle", integer, user, "0", 0, int_max, guc_unit::seconds, {}, 0,
     "Time between issuing TCP keepalives."},
    {"tcp_keepalives_interval", integer, user, "0", 0, int_max, guc_unit::seconds, {}, 0,
     "Time between TCP keepalive retransmits."},
    {"temp_buffers", integer, user, "8MB", 100, 1073741823, guc_unit::blocks, {}, 0,
     "Sets the maximum number of temporary buffers used by each session."},
    {"temp_tablespaces", string, user, "", 0, 0, guc_unit::none, {}, guc_list | guc_list_quote,
     "Sets the tablespace(s) to use for temporary tables and sort files."},
    {"TimeZone", string, user, "Etc/UTC", 0, 0, guc_unit::none, {}, report,
     "Sets the time zone for displaying and interpreting time stamps."},
    {"timezone_abbreviations", string, user, "Default", 0, 0, guc_unit::none, {}, 0,
     "Selects a file of time zone abbreviations."},
    {"track_activities", boolean, superuser, "on", 0, 0, guc_unit::none, {}, 0,
     "Collects information about executing commands."},
    {"transaction_deferrable", boolean, user, "off", 0, 0, guc_unit::none, {},
     guc_no_reset_all | guc_transaction,
     "Whether to defer a read-only serializable transaction until it can be executed with no "
     "possible serialization failures."},
    {"transaction_isolation", enumeration, user, "read committed", 0, 0, guc_unit::none,
     isolation_levels, guc_no_reset_all | guc_transaction,
     "Sets the current transaction's isolation level."},
    {"transaction_read_only", boolean, user, "off", 0, 0, guc_unit::none, {},
     guc_no_reset_all | guc_transaction, "Sets the current transaction's read-only status."},
    {"transform_null_equals", boolean, user, "off", 0, 0, guc_unit::none, {}, 0,
     "Treats \"expr=NULL\" as \"expr IS NULL\"."},
    {"work_mem", integer, user, "4MB", 64, int_max, guc_unit::kilobytes, {}, 0,
     "Sets the maximum memory to be used for query workspaces."},
    {"xmlbinary", enumeration, user, "base64", 0, 0, guc_unit::none, "base64, hex", 0,
     "Sets how binary values are to be encoded in XML."},
    {"xmloption", enumeration, user, "content", 0, 0, guc_unit::none, "content, document", 0,
     "Sets whether XML data in implicit parsing and serialization operations is to be "
     "considered as documents or content fragments."},
};

constexpr std::string_view reported[] = {
    "application_name",  "client_encoding",      "DateStyle",
    "default_transaction_read_only",           "in_hot_standby",
    "integer_datetimes", "IntervalStyle",        "is_superuser",
    "server_encoding",   "server_version",       "session_authorization",
    "standard_conforming_strings",             "TimeZone",
};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Compares a canonical name (any case) with a lookup key (any case), case-insensitively.
int compare_ci(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const char x = lower(a[i]), y = lower(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

}  // namespace

std::span<const guc_definition> all_gucs() { return table; }

const guc_definition* find_guc(std::string_view name) {
  const auto* it = std::lower_bound(
      std::begin(table), std::end(table), name,
      [](const guc_definition& d, std::string_view key) { return compare_ci(d.name, key) < 0; });
  if (it != std::end(table) && compare_ci(it->name, name) == 0) return it;
  return nullptr;
}

std::span<const std::string_view> reported_gucs() { return reported; }

}  // namespace fauxgres::responder
