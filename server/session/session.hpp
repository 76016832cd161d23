// One client connection's protocol state machine: startup → (TLS) → auth → ready ⇄ query.
// Pure: it consumes received bytes and timer/cancel notifications and produces bytes to
// send plus one action for the network layer (read on, start TLS, wait, close, reset).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/scram.hpp"
#include "config/server_config.hpp"
#include "faults/rules.hpp"
#include "observe/stats.hpp"
#include "protocol/backend.hpp"
#include "protocol/frontend.hpp"
#include "responder/fixtures.hpp"
#include "responder/responder.hpp"

namespace fauxgres::session {

// Read-only inputs shared by every session of a server.
struct server_context {
  const config::server_config* config = nullptr;
  const responder::fixtures* fixtures = nullptr;
  std::string server_secret;  // seeds mock SCRAM salts
  // SCRAM verifiers of configured users, derived once at startup (PBKDF2 is costly).
  std::map<std::string, auth::scram_secret, std::less<>> scram_secrets;
  bool tls_ready = false;  // a TLS context exists
  bool log_statements = false;
  faults::engine* faults = nullptr;                   // the rules; null when there are none
  const observe::stats* stats = nullptr;              // open connection counts for rules
  std::function<std::chrono::milliseconds()> uptime;  // time since server start
  // Server-wide modes the actions set (the network layer owns them; sessions read them).
  bool shutting_down = false;  // smart shutdown: new connections get 57P03 at startup
  bool read_only = false;      // a standby after failover: writes get 25006
};

struct connection_info {
  const config::listener_config* listener = nullptr;
  std::string peer;  // "127.0.0.1:53422" or "[local]"
  bool unix_socket = false;
  std::string client_address;              // "127.0.0.1" or "[local]"
  std::uint64_t id = 0;                    // the server's connection number, from 1
  std::chrono::milliseconds opened_at{0};  // uptime at accept
};

enum class state {
  startup,         // waiting for SSLRequest / StartupMessage
  tls_handshake,   // 'S' sent; the network layer runs the handshake
  authenticating,  // waiting for the client's password / SASL message
  ready,           // logged in, processing messages
  waiting,         // a statement or a fault delay is running; input is held
  hung,            // a fault black-holed the connection: nothing is read or sent
  closed,          // nothing more will be sent or read
};
std::string_view to_string(state s);

// What the network layer must do once it has sent `output()`.
struct action {
  enum class kind { read, start_tls, wait, close, reset, hang };
  kind what = kind::read;
  std::chrono::milliseconds wait_for{0};  // for wait
};

// Things worth logging or counting, drained by the network layer.
struct event {
  enum class kind {
    startup,
    auth_ok,
    auth_failed,
    statement,
    cancel_request,
    closing,
    error_sent,  // an ErrorResponse went out (FATAL included); text is its SQLSTATE
  };
  kind what;
  std::string text;  // statement text, failure reason, close reason, SQLSTATE
  std::int32_t cancel_pid = 0;
  std::int32_t cancel_key = 0;
};

// Random bytes come from outside so the session stays deterministic under test.
using random_source = std::function<void(std::span<std::uint8_t>)>;
using clock_source = std::function<std::chrono::system_clock::time_point()>;

class session {
 public:
  session(const server_context& server, connection_info connection, std::int32_t backend_pid,
          std::int32_t secret_key, random_source random, clock_source clock);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  // Inputs.
  void accepted();  // asks the accept-time fault rules
  void receive(std::string_view bytes);
  void tls_established(std::optional<std::vector<std::uint8_t>> server_end_point);
  void wait_finished();
  void cancel();                  // a matching CancelRequest arrived
  void authentication_timeout();  // startup/auth took too long: silent close
  void deadline_reached();        // the deadline() the network layer armed expired
  void terminate(const protocol::error_fields& why);  // unsolicited FATAL/WARNING, then close
  void drop();                                        // close now without a byte (FIN)
  // A rule's moment came (terminate at=): its verdict for this session, now. Changes
  // nothing here: the network layer carries a connection-ending verdict out at once.
  faults::verdict moment_verdict(std::string_view rule) const;

  // Outputs. Bytes go out in the pieces PG flushes separately (an error or notice after
  // login, ReadyForQuery, Flush, a full 8 KB buffer); output() is the next one, empty when
  // nothing is due. The network layer writes each piece with its own send.
  std::string_view output() const {
    if (flushes_ == 0) return {};
    return std::string_view(out_).substr(piece_sent_, flush_ends_[0] - piece_sent_);
  }
  void output_sent();                   // the network layer wrote output()
  void output_sent(std::size_t bytes);  // ... or only its first `bytes` (a full socket)
  action next_action() const { return next_; }
  std::vector<event> take_events() { return std::exchange(events_, {}); }

  // Introspection.
  state current_state() const { return state_; }
  char transaction_status() const { return tx_status_; }
  std::int32_t backend_pid() const { return pid_; }
  std::int32_t secret_key() const { return secret_; }
  // Which test certificate to present when a fault rule asked for one ("" = the server's).
  const std::string& tls_certificate() const { return tls_certificate_; }
  const std::string& user() const { return user_; }
  const std::string& database() const { return database_; }
  std::string application_name() const;
  bool logged_in() const { return state_ == state::ready || state_ == state::waiting; }
  std::uint64_t bytes_received() const { return bytes_received_; }
  std::uint64_t bytes_sent() const { return bytes_sent_; }
  // Uptime of the ReadyForQuery the session is waiting after, none while it works.
  std::optional<std::chrono::milliseconds> idle_since() const { return idle_since_; }
  // How long the session may stay idle from now: the earliest of idle_session_timeout /
  // idle_in_transaction_session_timeout and a fault rule's deadline; 0 for none.
  std::chrono::milliseconds deadline() const;

 private:
  struct portal;
  struct pending_simple;

  void process();
  void keep_unconsumed_input();  // after processing: what was not consumed stays, owned
  void transition(state to);
  void close_with(const protocol::error_fields* error, std::string_view reason,
                  action::kind how = action::kind::close);
  void make_sendable();  // PG's pq_flush: what is written so far goes out as one piece
  std::size_t unflushed() const {
    return out_.size() - (flushes_ > 0 ? flush_ends_[flushes_ - 1] : 0);
  }
  action::kind close_like_pg() const;
  std::chrono::milliseconds idle_limit() const;
  void idle_timeout();

  // Fault rules (faults.cpp).
  faults::connection_facts facts(std::string& application, std::chrono::milliseconds now) const;
  faults::verdict ask_faults(faults::hook h, std::string_view statement = {});
  bool rules_listen(faults::hook h) const;  // cheap: checked before building facts
  // The query rules' verdict, kept in `storage`; a shared empty one when none listens.
  const faults::verdict& query_verdict(std::string_view statement,
                                       std::optional<faults::verdict>& storage);
  bool message_arrived();  // counts a frontend message; true if a rule ended the connection
  bool passwords_decided_by_rules() const;
  bool superuser() const;
  bool act_on(const faults::verdict& v);  // close / reset / hang / fatal: true if ended
  void arm_fault_deadline();
  enum class resume { statement, authentication, login };
  void begin_wait(std::chrono::milliseconds duration, resume then);
  std::string_view input() const {
    return (borrowed_.data() ? borrowed_ : std::string_view(in_)).substr(in_pos_);
  }
  void consume(std::size_t n) { in_pos_ += n; }
  // Answers are written into a buffer the session holds only until they are sent, so
  // idle sessions hold none (see session.cpp).
  protocol::backend_writer writer() {
    if (out_.capacity() < typical_answer_bytes) borrow_output_buffer();
    return protocol::backend_writer(out_);
  }
  void borrow_output_buffer();
  static constexpr std::size_t typical_answer_bytes = 256;

  // Startup and authentication (startup.cpp).
  bool process_startup_packet();
  void handle_ssl_request();
  void handle_gssenc_request();
  void reject_startup(const protocol::startup_rejection& rejection);
  void handle_startup(protocol::startup_message& message);
  void begin_authentication();
  bool process_auth_message();
  void handle_password(std::string_view body);
  void handle_sasl(std::string_view body);
  void authentication_failed(const protocol::error_fields& error, std::string_view reason);
  void authentication_succeeded(std::string sasl_final);
  void send_authentication_ok();
  void complete_login();

  // Queries (query.cpp).
  bool process_message();
  void handle_query(std::string_view sql);
  bool repeats_answerable() const;
  bool answered_as_repeated_exchange();
  void remember_exchange();
  void run_simple_statements();
  void finish_simple_query();
  bool finish_simple_statement(const responder::statement_plan& plan,
                               const responder::execution& result);
  const std::vector<std::int16_t>& simple_formats(const responder::statement_plan& plan,
                                                  const responder::execution& result);
  void handle_parse(const protocol::parse& message);
  void handle_bind(const protocol::bind& message);
  void handle_describe(const protocol::describe& message);
  void handle_execute(const protocol::execute& message);
  void handle_close(const protocol::close& message);
  void handle_sync();
  void finish_execute(portal& p, std::string_view name, std::int32_t max_rows);
  void finish_portal_statement(portal& p, std::string_view name, std::int32_t max_rows);
  void send_portal_rows(portal& p, std::int32_t max_rows);
  portal* find_portal(std::string_view name);
  void store_portal(std::string_view name, portal&& p);
  void close_portal(std::string_view name);
  // Which portals a transaction's end or CLOSE ALL / DISCARD ALL takes: never `running`,
  // the one whose statement this is; at a commit not the WITH HOLD cursors, which it
  // holds; at an abort not those an earlier commit held.
  enum class portal_sweep { commit, abort, all };
  void close_all_portals(portal_sweep sweep, const portal* running = nullptr);
  // DECLARE, FETCH / MOVE and CLOSE name (cursors.cpp).
  responder::execution run_cursor_statement(const responder::statement_plan& plan,
                                            std::span<const responder::value> parameters,
                                            responder::context& ctx, const portal* running);
  responder::execution declare_cursor(const responder::statement_plan& plan,
                                      std::span<const responder::value> parameters,
                                      responder::context& ctx);
  portal* fetched_cursor(const responder::statement_plan& plan);
  std::shared_ptr<const responder::statement_plan> with_cursor_columns(
      std::shared_ptr<const responder::statement_plan> plan);
  static std::unique_ptr<portal>& spare_portal();
  void extended_error(const protocol::error_fields& error);
  void statement_error(const protocol::error_fields& error);
  void abort_wait(const protocol::error_fields& error);
  bool query_fault_instead_of_error(std::string_view sql);
  bool refuses_in_failed_transaction(const responder::statement_plan& plan) const;
  bool apply_execution(const responder::statement_plan& plan, const responder::execution& result,
                       const portal* running = nullptr);
  // `running`: the portal whose Execute runs the statement, which CLOSE and FETCH may not
  // take or move.
  responder::execution run_statement(const responder::statement_plan& plan,
                                     std::span<const responder::value> parameters,
                                     responder::context& ctx, const portal* running = nullptr);
  void report_parameter_changes();
  std::chrono::milliseconds statement_wait(const responder::execution& result,
                                           const faults::verdict& verdict);
  void reset_after_rows(const std::vector<responder::row>& rows, std::uint64_t count);
  void send_ready_for_query();
  void end_implicit_transaction();
  responder::context make_context();
  std::chrono::milliseconds statement_timeout() const;
  // The timeout settings in milliseconds, re-read only after the settings changed: the
  // session consults them at every statement and every ReadyForQuery.
  struct timeout_settings {
    std::uint32_t settings_version = ~std::uint32_t(0);
    std::int32_t statement = 0;
    std::int32_t idle_session = 0;
    std::int32_t idle_in_transaction = 0;
  };
  const timeout_settings& timeouts() const;

  const server_context& server_;
  connection_info connection_;
  std::int32_t pid_;
  std::int32_t secret_;
  random_source random_;
  clock_source clock_;

  state state_ = state::startup;
  action next_;
  std::string in_;
  std::size_t in_pos_ = 0;     // bytes of the input already consumed
  std::string_view borrowed_;  // during receive(): the caller's bytes, parsed in place
  std::string out_;
  // Where each piece due for sending ends in out_, oldest first. Beyond four, the last
  // piece grows: so many flushes only happen in a pipeline the client reads as a whole.
  std::array<std::size_t, 4> flush_ends_{};
  std::size_t flushes_ = 0;
  std::size_t piece_sent_ = 0;  // of the first piece, when the socket took only part of it
  std::vector<event> events_;
  std::uint64_t bytes_received_ = 0;
  std::uint64_t bytes_sent_ = 0;
  std::optional<std::chrono::milliseconds> idle_since_;
  std::uint64_t messages_received_ = 0;  // from the StartupMessage on
  std::string_view login_password_;      // while the auth rules are asked

  // Startup.
  bool ssl_done_ = false;
  bool gss_done_ = false;
  bool tls_active_ = false;
  std::string tls_certificate_;  // a fault's choice of test certificate, or empty
  bool unencrypted_data_after_ssl_ = false;
  std::optional<std::vector<std::uint8_t>> tls_end_point_;
  std::string user_;
  std::string database_;
  std::vector<std::pair<std::string, std::string>> startup_options_;
  const config::user_config* user_config_ = nullptr;

  // Authentication.
  enum class auth_step { none, password, md5, sasl_initial, sasl_final };
  auth_step auth_step_ = auth_step::none;
  auth::method auth_method_ = auth::method::trust;
  std::array<std::uint8_t, 4> md5_salt_{};
  std::unique_ptr<auth::scram_exchange> scram_;

  // Logged-in state.
  std::unique_ptr<responder::settings> settings_;
  mutable timeout_settings timeouts_;
  char tx_status_ = 'I';
  bool implicit_transaction_failed_ = false;  // an error outside a block, until Sync or the
                                              // simple query's end
  bool skip_until_sync_ = false;
  std::chrono::system_clock::time_point transaction_start_;
  std::map<std::string, std::shared_ptr<const responder::statement_plan>, std::less<>> statements_;
  std::map<std::string, portal, std::less<>> portals_;  // named ones
  // The unnamed portal, rebound by nearly every Bind, is kept apart from the named ones.
  std::unique_ptr<portal> unnamed_portal_;
  // Where an exchange that remember_exchange may keep starts, in this process() call's
  // input and in out_; null once it cannot be kept.
  const char* exchange_input_ = nullptr;
  std::size_t exchange_output_ = 0;
  std::unique_ptr<pending_simple> pending_simple_;  // a simple query in progress
  std::string waiting_portal_;                      // an Execute sleeping
  std::int32_t waiting_max_rows_ = 0;
  bool wait_timed_out_ = false;  // the wait is a statement_timeout
  resume resume_ = resume::statement;
  std::string pending_sasl_final_;  // held back while an auth_delay runs
  std::uint64_t statements_run_ = 0;
  std::shared_ptr<const faults::verdict> fault_deadline_;  // armed at ReadyForQuery
};

}  // namespace fauxgres::session
