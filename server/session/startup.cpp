// Startup and authentication: SSL/GSS negotiation, StartupMessage, the four password
// methods, and the login sequence (R 0, ParameterStatus, BackendKeyData, ReadyForQuery).
#include <algorithm>

#include "auth/md5.hpp"
#include "auth/methods.hpp"
#include "session/session_parts.hpp"

namespace fauxgres::session {

bool session::process_startup_packet() {
  auto frame = protocol::frame_startup_packet(input());
  if (frame.state == protocol::startup_frame::status::need_more) return false;
  if (frame.state == protocol::startup_frame::status::bad_length) {
    close_with(nullptr, "invalid length of startup packet", close_like_pg());
    return true;
  }
  auto packet = protocol::decode_startup_packet(input().substr(0, frame.length));
  consume(frame.length);
  std::visit(overloaded{
                 [&](protocol::ssl_request) { handle_ssl_request(); },
                 [&](protocol::gssenc_request) { handle_gssenc_request(); },
                 [&](protocol::cancel_request& c) {
                   events_.push_back({event::kind::cancel_request, {}, c.process_id, c.secret_key});
                   close_with(nullptr, "cancel request");
                 },
                 [&](protocol::startup_rejection& r) { reject_startup(r); },
                 [&](protocol::startup_message& m) { handle_startup(m); },
             },
             packet);
  return true;
}

void session::handle_ssl_request() {
  if (ssl_done_) {  // PG reads a second request as protocol 1234.5679
    auto e = protocol::errors::unsupported_protocol(1234, 5679);
    return close_with(&e, "second SSLRequest");
  }
  ssl_done_ = true;
  auto verdict = ask_faults(faults::hook::ssl_request);
  if (act_on(verdict)) return;
  bool tls_here =
      !connection_.unix_socket && connection_.listener->ssl.value_or(server_.config->tls.enabled);
  char answer = tls_here ? 'S' : 'N';
  if (verdict.what == faults::verdict::kind::ssl_answer) {
    answer = verdict.byte;
    tls_certificate_ = verdict.certificate;
  }
  if (answer == 'S' && !server_.tls_ready) answer = 'N';  // no certificate to offer
  writer().encryption_response(answer);
  make_sendable();
  if (answer == 'S') {
    // Plaintext already queued behind the request: PG reports it once TLS is up.
    unencrypted_data_after_ssl_ = !input().empty();
    consume(input().size());
    transition(state::tls_handshake);
    next_ = {action::kind::start_tls, {}};
  } else if (!input().empty()) {
    auto e = protocol::errors::unencrypted_data_after_ssl_request();
    close_with(&e, "unencrypted data after SSL request");
  }
}

void session::handle_gssenc_request() {
  if (gss_done_) {
    auto e = protocol::errors::unsupported_protocol(1234, 5680);
    return close_with(&e, "second GSSENCRequest");
  }
  gss_done_ = true;  // like a PG build without GSSAPI
  writer().encryption_response('N');
  make_sendable();
}

void session::reject_startup(const protocol::startup_rejection& rejection) {
  using what = protocol::startup_rejection::action;
  if (rejection.what == what::fatal) return close_with(&rejection.error, rejection.error.message);
  if (rejection.what == what::v2_fatal) {
    writer().v2_error(rejection.error.message);
    events_.push_back({event::kind::error_sent, rejection.error.sqlstate});
    return close_with(nullptr, "protocol 2.0 startup");
  }
  close_with(nullptr, "invalid startup packet");
}

void session::tls_established(std::optional<std::vector<std::uint8_t>> server_end_point) {
  if (state_ != state::tls_handshake) return;
  tls_active_ = true;
  tls_end_point_ = std::move(server_end_point);
  transition(state::startup);
  next_ = {};
  if (unencrypted_data_after_ssl_) {
    auto e = protocol::errors::unencrypted_data_after_ssl_request();
    return close_with(&e, "unencrypted data after SSL request");
  }
  process();
}

void session::handle_startup(protocol::startup_message& message) {
  std::vector<std::string> unrecognized;
  for (auto& [name, value] : message.parameters) {
    if (name == "user") {
      user_ = value;
    } else if (name == "database") {
      database_ = value;
    } else if (name.starts_with("_pq_.")) {
      unrecognized.push_back(name);
    } else if (name != "replication") {
      startup_options_.emplace_back(name, value);
    }
  }
  if (database_.empty()) database_ = user_;
  if (message_arrived()) return;
  if ((message.protocol_version & 0xffff) != 0 || !unrecognized.empty())
    writer().negotiate_protocol_version(protocol::protocol_3_0, unrecognized);
  events_.push_back({event::kind::startup, {}});
  if (server_.shutting_down) {
    auto e = protocol::errors::shutting_down();
    return close_with(&e, e.message);
  }
  auto verdict = ask_faults(faults::hook::startup);
  if (act_on(verdict)) return;
  if (verdict.what == faults::verdict::kind::delay)
    return begin_wait(verdict.after, resume::authentication);
  begin_authentication();
}

void session::begin_authentication() {
  const auto& config = *server_.config;
  auto found = std::find_if(config.users.begin(), config.users.end(),
                            [&](const config::user_config& u) { return u.name == user_; });
  user_config_ = found == config.users.end() ? nullptr : &*found;
  auth_method_ = config.effective_auth(user_config_, *connection_.listener);
  auto w = writer();

  if (config.users.empty() || auth_method_ == auth::method::trust) {
    if (!config.users.empty() && !user_config_) {
      w.authentication_ok();
      auto e = protocol::errors::role_does_not_exist(user_);
      return authentication_failed(e, "role does not exist");
    }
    return authentication_succeeded({});
  }

  // A known md5 user gets the md5 challenge; an unknown one the SCRAM exchange PG mocks.
  if (auth_method_ == auth::method::password) {
    w.authentication_cleartext_password();
    auth_step_ = auth_step::password;
  } else if (auth_method_ == auth::method::md5 && user_config_) {
    random_(md5_salt_);
    w.authentication_md5_password(md5_salt_);
    auth_step_ = auth_step::md5;
  } else {
    std::vector<std::uint8_t> nonce(18);
    random_(nonce);
    bool doomed = user_config_ == nullptr;
    auto known = doomed ? server_.scram_secrets.end() : server_.scram_secrets.find(user_);
    doomed = known == server_.scram_secrets.end();
    auto secret =
        doomed ? auth::make_mock_scram_secret(user_, server_.server_secret) : known->second;
    scram_ = std::make_unique<auth::scram_exchange>(std::move(secret), doomed, std::move(nonce),
                                                    tls_active_ ? tls_end_point_ : std::nullopt);
    auto mechanisms = auth::scram_exchange::mechanisms(tls_active_ && tls_end_point_);
    std::vector<std::string_view> views(mechanisms.begin(), mechanisms.end());
    w.authentication_sasl(views);
    auth_step_ = auth_step::sasl_initial;
  }
  make_sendable();
  transition(state::authenticating);
}

bool session::process_auth_message() {
  auto frame = protocol::frame_message(input(), protocol::auth_message_limit_for);
  using status = protocol::message_frame::status;
  if (frame.state == status::need_more) return false;
  if (frame.state == status::bad_type) {
    auto e = protocol::errors::expected_password_response(frame.type);
    close_with(&e, "expected password response");
    return true;
  }
  if (frame.state == status::bad_length) {
    close_with(nullptr, "invalid message length during authentication");
    return true;
  }
  if (message_arrived()) return true;
  std::string body(frame.body);
  consume(frame.length);
  if (auth_step_ == auth_step::password || auth_step_ == auth_step::md5)
    handle_password(body);
  else
    handle_sasl(body);
  return true;
}

void session::handle_password(std::string_view body) {
  auto password = protocol::decode_password(body);
  if (!password) {
    auto e = protocol::errors::invalid_message_format();
    e.severity = "FATAL";
    return close_with(&e, "invalid password packet");
  }
  if (password->empty()) {
    auto e = protocol::errors::empty_password();
    return authentication_failed(e, "empty password");
  }
  bool ok = false;
  if (user_config_) {
    ok = auth_step_ == auth_step::password
             ? auth::cleartext_matches(*password, user_config_->password)
             : auth::md5_response_matches(*password, user_, user_config_->password, md5_salt_);
  }
  // credential_expiry: the role's passwords are short-lived tokens its rule decides, and a
  // new one is not a mistake. Only the cleartext method shows the server a new password.
  if (!ok && user_config_ && auth_step_ == auth_step::password && passwords_decided_by_rules())
    ok = true;
  if (!ok) return authentication_failed(protocol::errors::password_failed(user_), "wrong password");
  login_password_ = auth_step_ == auth_step::password ? std::string_view(*password)
                                                      : std::string_view(user_config_->password);
  authentication_succeeded({});
  login_password_ = {};
}

void session::handle_sasl(std::string_view body) {
  using outcome = auth::scram_exchange::step::outcome;
  auth::scram_exchange::step step;
  if (auth_step_ == auth_step::sasl_initial) {
    auto initial = protocol::decode_sasl_initial_response(body);
    if (!initial) {
      auto e = protocol::errors::malformed_scram_message("");
      return close_with(&e, "malformed SASLInitialResponse");
    }
    step = scram_->client_first(initial->mechanism, initial->data);
  } else {
    step = scram_->client_final(body);
  }
  auto w = writer();
  switch (step.result) {
    case outcome::continue_exchange:
      w.authentication_sasl_continue(step.server_message);
      auth_step_ = auth_step::sasl_final;
      make_sendable();
      return;
    case outcome::success:
      if (user_config_) login_password_ = user_config_->password;  // what the proof proved
      authentication_succeeded(std::move(step.server_message));
      login_password_ = {};
      return;
    case outcome::failure:
      return authentication_failed(protocol::errors::password_failed(user_), "wrong password");
    case outcome::protocol_error:
      return close_with(&step.error, step.error.message);
  }
}

void session::authentication_failed(const protocol::error_fields& error, std::string_view reason) {
  events_.push_back({event::kind::auth_failed, std::string(reason)});
  close_with(&error, reason);
}

// The password checked out. Fault rules may still refuse: errors of class 28 replace
// AuthenticationOk (a failed login); others follow it, as PG's reserved-slots FATAL does.
void session::authentication_succeeded(std::string sasl_final) {
  auto verdict = ask_faults(faults::hook::auth);
  using kind = faults::verdict::kind;
  if (verdict.what == kind::fatal && verdict.error.sqlstate.starts_with("28"))
    return authentication_failed(verdict.error, "fault: " + verdict.error.message);
  pending_sasl_final_ = std::move(sasl_final);
  if (verdict.what == kind::delay) return begin_wait(verdict.after, resume::login);
  send_authentication_ok();
  if (act_on(verdict)) return;
  complete_login();
}

void session::send_authentication_ok() {
  auto w = writer();
  if (!pending_sasl_final_.empty()) w.authentication_sasl_final(pending_sasl_final_);
  std::string().swap(pending_sasl_final_);
  w.authentication_ok();
}

void session::complete_login() {
  scram_.reset();
  auth_step_ = auth_step::none;
  const auto& config = *server_.config;
  if (!config.databases.empty() && std::find(config.databases.begin(), config.databases.end(),
                                             database_) == config.databases.end()) {
    auto e = protocol::errors::database_does_not_exist(database_);
    return close_with(&e, "database does not exist");
  }
  settings_ = std::make_unique<responder::settings>(user_, config.server_version,
                                                    user_config_ && user_config_->superuser);
  for (const auto& [name, value] : startup_options_) {
    if (auto e = settings_->apply_startup(name, value)) return close_with(&*e, e->message);
  }
  startup_options_.clear();
  startup_options_.shrink_to_fit();
  settings_->take_report_changes();
  auto w = writer();
  for (const auto& [name, value] : settings_->reported()) w.parameter_status(name, value);
  w.backend_key_data(pid_, secret_);
  transition(state::ready);
  events_.push_back({event::kind::auth_ok, {}});
  send_ready_for_query();
}

}  // namespace fauxgres::session
