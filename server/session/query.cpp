// After login: simple and extended query protocol, transaction status, pipelining,
// skip-to-Sync after errors, portals with row limits, and cancellable waits.
#include <limits>

#include "session/session_parts.hpp"
#include "types/catalog.hpp"
#include "types/values.hpp"

namespace fauxgres::session {

namespace {

// The RowDescription fields, valid until the next call: one reused buffer per thread
// saves allocations on every Describe.
std::span<const protocol::field_description> describe_columns(
    const std::vector<responder::column>& columns, const std::vector<std::int16_t>& formats) {
  thread_local std::vector<protocol::field_description> fields;
  fields.resize(columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto& c = columns[i];
    auto& f = fields[i];
    f.name.assign(c.name);
    f.table_oid = c.table_oid;
    f.column_attr = c.column_attr;
    f.type_oid = c.type_oid;
    f.type_len = c.type_len;
    f.type_mod = c.type_mod;
    f.format = i < formats.size() ? formats[i] : std::int16_t{0};
  }
  return fields;
}

std::string type_name(std::uint32_t oid) {
  const auto* t = types::find_type(oid);
  return t ? std::string(t->name) : std::to_string(oid);
}

protocol::error_fields no_binary_output(std::uint32_t oid) {
  protocol::error_fields e;
  e.severity = "ERROR";
  e.sqlstate = "42883";
  e.message = "no binary output function available for type " + type_name(oid);
  return e;
}

// A statement's columns; a FETCH's are its cursor's, which its plan could not know.
const std::vector<responder::column>* simple_columns(const responder::statement_plan& plan,
                                                     const responder::execution& result) {
  return plan.columns ? &*plan.columns : result.columns ? &*result.columns : nullptr;
}

// A DataRow in the given formats (empty: all text); the error when a column has no
// binary form here.
std::optional<protocol::error_fields> write_row(protocol::backend_writer& w,
                                                const std::vector<responder::column>& columns,
                                                const std::vector<std::int16_t>& formats,
                                                const responder::row& row) {
  bool any_binary = false;
  for (auto f : formats) any_binary |= f == 1;
  if (!any_binary) {
    w.data_row(row);
    return std::nullopt;
  }
  thread_local std::vector<std::optional<std::string>> encoded;
  encoded.clear();
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (!row[i] || i >= formats.size() || formats[i] == 0) {
      encoded.push_back(row[i]);
      continue;
    }
    auto binary = types::text_to_binary(columns[i].type_oid, *row[i]);
    if (!binary) return no_binary_output(columns[i].type_oid);
    encoded.push_back(std::move(binary));
  }
  w.data_row(encoded);
  return std::nullopt;
}

// CommandComplete: the tag, and the rows sent when the command counts them ("SELECT 3").
void command_complete(protocol::backend_writer& w, const responder::execution& result,
                      std::uint64_t rows) {
  if (result.counts_rows)
    w.command_complete(result.tag, rows);
  else
    w.command_complete(result.tag);
}

}  // namespace

responder::context session::make_context() {
  std::optional<std::chrono::system_clock::time_point> transaction_start;
  if (tx_status_ != 'I') transaction_start = transaction_start_;
  return responder::context{*settings_,       user_,
                            database_,        pid_,
                            tx_status_,       transaction_start,
                            &clock_,          server_.fixtures,
                            server_.read_only};
}

// An empty query has nothing to refuse at Parse or Execute (PG checks only parsed
// statements); Bind refuses it all the same.
bool session::refuses_in_failed_transaction(const responder::statement_plan& plan) const {
  using tc = responder::transaction_control;
  return !plan.empty && plan.control != tc::commit && plan.control != tc::rollback &&
         plan.control != tc::rollback_to_savepoint;
}

bool session::process_message() {
  if (answered_as_repeated_exchange()) return true;
  auto frame = protocol::frame_message(input(), protocol::message_limit);
  using status = protocol::message_frame::status;
  if (frame.state == status::need_more) return false;
  if (frame.state == status::bad_type) {
    auto e =
        protocol::errors::invalid_frontend_message_type(static_cast<unsigned char>(frame.type));
    close_with(&e, e.message);
    return true;
  }
  if (frame.state == status::bad_length) {
    close_with(nullptr, "invalid message length", close_like_pg());
    return true;
  }
  if (message_arrived()) return true;
  char type = frame.type;
  if (skip_until_sync_ && type != 'S' && type != 'X') {
    consume(frame.length);
    return true;
  }
  // Where an exchange remember_exchange may keep begins: a Query, a Parse of the unnamed
  // statement, or else a Bind.
  if (type == 'Q' || (tx_status_ == 'I' && ((type == 'P' && frame.body.starts_with('\0')) ||
                                            (type == 'B' && !exchange_input_)))) {
    exchange_input_ = input().data();
    exchange_output_ = out_.size();
  }
  const auto body = frame.body;  // valid until keep_unconsumed_input(), after this message
  consume(frame.length);
  // Each message is decoded into its own type in place, and handled unless malformed.
  protocol::decode_failure failure;
  auto decoded = [&](auto& message) { return !(failure = protocol::decode(body, message)); };
  switch (type) {
    case 'Q':
      if (protocol::query m; decoded(m)) handle_query(m.sql);
      break;
    case 'P':
      if (protocol::parse m; decoded(m)) handle_parse(m);
      break;
    case 'B':
      if (protocol::bind m; decoded(m)) handle_bind(m);
      break;
    case 'D':
      if (protocol::describe m; decoded(m)) handle_describe(m);
      break;
    case 'E':
      if (protocol::execute m; decoded(m)) handle_execute(m);
      break;
    case 'C':
      if (protocol::close m; decoded(m)) handle_close(m);
      break;
    case 'S':
      if (protocol::sync m; decoded(m)) handle_sync();
      break;
    case 'H':
      if (protocol::flush m; decoded(m)) make_sendable();
      break;
    case 'X':  // PG exits without looking at the body
      close_with(nullptr, "client terminated");
      break;
    case 'F': {
      protocol::error_fields e{"ERROR", "0A000", "fastpath function calls are not supported"};
      statement_error(e);
      send_ready_for_query();
      break;
    }
    default:  // d, c, f: ignored outside COPY, as PG does
      break;
  }
  if (failure) {
    if (type == 'Q') {
      statement_error(*failure);
      send_ready_for_query();
    } else {
      extended_error(*failure);
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// Simple query.

void session::handle_query(std::string_view sql) {
  auto pending = std::make_unique<pending_simple>();
  pending->sql = sql;
  pending->statements = responder::split_statements(pending->sql);
  if (pending->statements.empty()) {
    writer().empty_query_response();
    return send_ready_for_query();
  }
  pending_simple_ = std::move(pending);
  run_simple_statements();
}

// Whether nothing could make a repeated exchange's answer differ from the last, or must see
// each message: no fixtures, no query or message rules, no statement logging.
bool session::repeats_answerable() const {
  return !server_.log_statements && (!server_.fixtures || server_.fixtures->empty()) &&
         !rules_listen(faults::hook::query) && !rules_listen(faults::hook::message);
}

// ---------------------------------------------------------------------------------------
// Repeated exchanges: a pool's or pgbench's `SELECT 1`, as a simple query, as Bind/Execute/
// Sync of a prepared statement or as Parse/Bind/Execute/Sync of an unnamed one, answered
// from the last such exchange this thread saw, byte for byte, without a parse or an
// allocation. The answer depends on the statement's text alone (answer_is_fixed), so any
// session may use it.

namespace {

struct repeated_exchange {
  std::string input;   // Query; or [Parse,] Bind, [Describe of the portal,] Execute, Sync
  std::string output;  // the answer up to ReadyForQuery
  // An extended exchange's statement, whose answer is fixed: with a Parse, the unnamed
  // statement it defines (plans are immutable, and a fixed one has nothing of the session
  // in it); without, the one a session's `statement` must have the text of.
  std::shared_ptr<const responder::statement_plan> plan;
  std::string statement;
  std::uint32_t messages = 0;
};

repeated_exchange& last_fixed_exchange() {
  thread_local repeated_exchange last;
  return last;
}

// The messages of `in` if it is exactly: Parse of the unnamed statement without declared
// types (optional), Bind (unnamed portal, no parameters), Describe of that portal
// (optional), Execute of all its rows, Sync; else 0. `statement`: the one bound.
std::uint32_t repeatable_exchange(std::string_view in, std::string_view& statement) {
  std::uint32_t messages = 0;
  char expected = in.starts_with('P') ? 'P' : 'B';
  while (!in.empty()) {
    auto frame = protocol::frame_message(in, protocol::message_limit);
    if (frame.state != protocol::message_frame::status::complete) return 0;
    char type = frame.type;
    in.remove_prefix(frame.length);
    ++messages;
    if (type == 'D' && expected == 'E') {
      protocol::describe m;
      if (protocol::decode(frame.body, m) || m.kind != 'P' || !m.name.empty()) return 0;
      continue;
    }
    if (type != expected) return 0;
    if (type == 'P') {
      protocol::parse m;
      if (protocol::decode(frame.body, m) || !m.statement.empty() || !m.parameter_types.empty())
        return 0;
      expected = 'B';
    } else if (type == 'B') {
      protocol::bind m;
      if (protocol::decode(frame.body, m) || !m.portal.empty() || !m.parameters.empty()) return 0;
      if (messages == 2 && !m.statement.empty()) return 0;  // not the one just parsed
      statement = m.statement;
      expected = 'E';
    } else if (type == 'E') {
      protocol::execute m;
      if (protocol::decode(frame.body, m) || !m.portal.empty() || m.max_rows != 0) return 0;
      expected = 'S';
    } else {  // Sync, which ends the exchange
      return in.empty() ? messages : 0;
    }
  }
  return 0;
}

// Whether `out` holds only a successful statement's answer: ParseComplete, BindComplete,
// RowDescription or NoData, DataRows, CommandComplete (no error, notice, ParameterStatus or
// ReadyForQuery). Backend messages are framed as frontend ones are.
bool plain_answer(std::string_view out) {
  constexpr auto answer_part = [](char type) -> std::size_t {
    return std::string_view("12TnDC").find(type) == std::string_view::npos
               ? 0
               : std::numeric_limits<std::int32_t>::max();
  };
  while (!out.empty()) {
    auto frame = protocol::frame_message(out, answer_part);
    if (frame.state != protocol::message_frame::status::complete) return false;
    out.remove_prefix(frame.length);
  }
  return true;
}

}  // namespace

// The same bytes to the same statement get the same answer, as long as nothing listening
// could change it or must see each message (repeats_answerable). A simple query may come
// in a transaction block; an extended exchange comes outside one, where Sync closes its
// portal.
bool session::answered_as_repeated_exchange() {
  const auto& last = last_fixed_exchange();
  auto in = input();
  if (last.input.empty() || !in.starts_with(last.input) || skip_until_sync_ ||
      !repeats_answerable())
    return false;
  const bool simple = last.input.starts_with('Q');
  if (tx_status_ == 'E' || (!simple && tx_status_ != 'I')) return false;
  if (last.input.starts_with('P')) {
    statements_.insert_or_assign(std::string(), last.plan);
  } else if (!simple) {
    auto found = statements_.find(last.statement);
    if (found == statements_.end() || !found->second->answer_is_fixed ||
        found->second->text != last.plan->text)
      return false;
  }
  consume(last.input.size());
  exchange_input_ = nullptr;  // this exchange is the one kept
  messages_received_ += last.messages;
  ++statements_run_;
  writer().encoded(last.output);
  if (simple)
    finish_simple_query();
  else
    handle_sync();
  return true;
}

// At the end of an exchange that came in this read: keeps it if it is one
// answered_as_repeated_exchange can repeat. A simple query's caller has seen its answer is
// fixed; an extended exchange began at a Bind, or a Parse of the unnamed statement, and is
// checked here.
void session::remember_exchange() {
  const char* begin = std::exchange(exchange_input_, nullptr);
  if (tx_status_ == 'E' || skip_until_sync_ || !repeats_answerable()) return;
  std::string_view in(begin, static_cast<std::size_t>(input().data() - begin));
  auto& last = last_fixed_exchange();
  if (in == last.input) return;
  auto out = std::string_view(out_).substr(exchange_output_);
  if (in.starts_with('Q')) {  // anything past the Query has its ReadyForQuery in `out`
    if (plain_answer(out)) last = {std::string(in), std::string(out), nullptr, {}, 1};
    return;
  }
  if (tx_status_ != 'I') return;
  std::string_view statement;
  auto messages = repeatable_exchange(in, statement);
  if (messages == 0) return;
  auto found = statements_.find(statement);
  if (found == statements_.end() || !found->second->answer_is_fixed) return;
  if (!plain_answer(out)) return;
  last = {std::string(in), std::string(out), found->second, std::string(statement), messages};
}

void session::run_simple_statements() {
  auto& p = *pending_simple_;
  auto w = writer();
  for (; p.index < p.statements.size(); ++p.index) {
    auto text = p.statements[p.index];
    if (server_.log_statements) events_.push_back({event::kind::statement, std::string(text)});
    auto ctx = make_context();
    auto plan = responder::analyse(text, {}, ctx);
    if (tx_status_ == 'E' && refuses_in_failed_transaction(plan)) {
      statement_error(
          protocol::errors::transaction_aborted(protocol::errors::aborted_in::simple_query));
      return finish_simple_query();
    }
    std::optional<faults::verdict> asked;
    const auto& verdict = query_verdict(text, asked);
    ++statements_run_;
    if (act_on(verdict)) return;
    if (verdict.what == faults::verdict::kind::error) {
      statement_error(verdict.error);
      return finish_simple_query();
    }
    if (plan.error) {
      statement_error(*plan.error);
      return finish_simple_query();
    }
    auto result = run_statement(plan, {}, ctx);
    // An error comes after the statement's wait (scripted latency, a delay fault), as PG's
    // run-time errors come as the statement runs.
    if (!result.error) {
      if (const auto* columns = simple_columns(plan, result))
        w.row_description(describe_columns(*columns, simple_formats(plan, result)));
      if (verdict.what == faults::verdict::kind::reset_after_rows)
        return reset_after_rows(result.rows, verdict.rows);
    }
    if (auto wait = statement_wait(result, verdict); wait.count() > 0) {
      p.plan = std::move(plan);
      p.result = std::move(result);
      return begin_wait(wait, resume::statement);
    }
    if (!finish_simple_statement(plan, result)) return;
  }
  finish_simple_query();
}

// A FETCH's are its cursor's formats (binary for a BINARY cursor).
const std::vector<std::int16_t>& session::simple_formats(const responder::statement_plan& plan,
                                                         const responder::execution& result) {
  static const std::vector<std::int16_t> all_text;
  const portal* cursor = result.columns ? fetched_cursor(plan) : nullptr;
  return cursor ? cursor->formats : all_text;
}

// A simple query's statement, after its wait if it had one: its error, or its effects and
// rows. False when it failed, which ends the query.
bool session::finish_simple_statement(const responder::statement_plan& plan,
                                      const responder::execution& result) {
  auto& p = *pending_simple_;
  if (result.error) {
    statement_error(*result.error);
    finish_simple_query();
    return false;
  }
  auto w = writer();
  apply_execution(plan, result);
  const auto* columns = simple_columns(plan, result);
  const auto& formats = simple_formats(plan, result);
  for (const auto& row : result.rows) {
    if (!columns) {
      w.data_row(row);
    } else if (auto e = write_row(w, *columns, formats, row)) {
      statement_error(*e);
      finish_simple_query();
      return false;
    }
  }
  command_complete(w, result, result.rows.size());
  p.answer_is_fixed = plan.answer_is_fixed && p.statements.size() == 1;
  return true;
}

void session::finish_simple_query() {
  if (exchange_input_ && pending_simple_ && pending_simple_->answer_is_fixed) remember_exchange();
  pending_simple_.reset();
  end_implicit_transaction();
  report_parameter_changes();
  send_ready_for_query();
}

// ---------------------------------------------------------------------------------------
// Waits (pg_sleep, scripted latency) and their cancellation.

void session::wait_finished() {
  if (state_ != state::waiting) return;
  next_ = {};
  if (resume_ == resume::authentication) {
    transition(state::startup);
    begin_authentication();
    return process();
  }
  if (resume_ == resume::login) {
    transition(state::startup);
    send_authentication_ok();
    complete_login();
    return process();
  }
  transition(state::ready);
  if (wait_timed_out_) return abort_wait(protocol::errors::cancel_statement_timeout());
  if (pending_simple_) {
    auto& p = *pending_simple_;
    if (finish_simple_statement(p.plan, p.result)) {
      ++p.index;
      run_simple_statements();
    }
  } else if (auto* p = find_portal(waiting_portal_)) {
    finish_execute(*p, waiting_portal_, waiting_max_rows_);
  }
  waiting_portal_.clear();
  if (state_ == state::ready) process();
}

void session::cancel() {
  // A cancel for an idle session is dropped, as in PG; startup delays are not statements.
  if (state_ != state::waiting || resume_ != resume::statement) return;
  transition(state::ready);
  next_ = {};
  abort_wait(protocol::errors::cancel_user_request());
}

// A waiting statement ends with `error` (57014) instead of its rows.
void session::abort_wait(const protocol::error_fields& error) {
  wait_timed_out_ = false;
  if (pending_simple_) {
    statement_error(error);
    finish_simple_query();
  } else {
    extended_error(error);
    waiting_portal_.clear();
  }
  process();
}

// ---------------------------------------------------------------------------------------
// Extended query.

void session::handle_parse(const protocol::parse& message) {
  if (!message.statement.empty() && statements_.contains(message.statement))
    return extended_error(protocol::errors::statement_already_exists(message.statement));
  if (server_.log_statements) events_.push_back({event::kind::statement, std::string(message.sql)});
  auto ctx = make_context();
  auto plan = responder::analyse(message.sql, message.parameter_types, ctx);
  if (tx_status_ == 'E' && refuses_in_failed_transaction(plan))
    return extended_error(
        protocol::errors::transaction_aborted(protocol::errors::aborted_in::parse));
  if (plan.error) {
    if (!query_fault_instead_of_error(message.sql)) extended_error(*plan.error);
    return;
  }
  if (plan.answer_is_fixed) {  // once here instead of at every Bind
    plan.fixed_answer =
        std::make_shared<const responder::execution>(responder::execute(plan, {}, ctx));
  }
  if (plan.columns)  // once here instead of at every Describe
    protocol::backend_writer(plan.text_row_description)
        .row_description(describe_columns(*plan.columns, {}));
  statements_.insert_or_assign(std::string(message.statement),
                               std::make_shared<const responder::statement_plan>(std::move(plan)));
  writer().parse_complete();
}

// A statement that fails at Parse or Bind never reaches Execute, where query rules are
// asked: let them act here instead, as they would in the simple protocol. True if one did.
bool session::query_fault_instead_of_error(std::string_view sql) {
  auto verdict = ask_faults(faults::hook::query, sql);
  if (act_on(verdict)) return true;
  if (verdict.what != faults::verdict::kind::error) return false;
  extended_error(verdict.error);
  return true;
}

void session::handle_bind(const protocol::bind& message) {
  auto found = statements_.find(message.statement);
  if (found == statements_.end())
    return extended_error(protocol::errors::statement_does_not_exist(message.statement));
  auto plan = found->second;
  if (plan->cursor) plan = with_cursor_columns(std::move(plan));
  auto& types = plan->parameter_types;
  if (message.parameters.size() != types.size())
    return extended_error(protocol::errors::bind_parameter_count(message.parameters.size(),
                                                                 message.statement, types.size()));
  auto& formats = message.parameter_formats;
  if (formats.size() > 1 && formats.size() != message.parameters.size())
    return extended_error(
        protocol::errors::bind_format_count(formats.size(), message.parameters.size()));
  if (tx_status_ == 'E' && (plan->empty || refuses_in_failed_transaction(*plan)))
    return extended_error(
        protocol::errors::transaction_aborted(protocol::errors::aborted_in::bind));

  std::vector<responder::value> parameters;
  parameters.reserve(message.parameters.size());
  for (std::size_t i = 0; i < message.parameters.size(); ++i) {
    auto& raw = message.parameters[i];
    std::int16_t format = formats.empty() ? 0 : formats.size() == 1 ? formats[0] : formats[i];
    if (format != 0 && format != 1)
      return extended_error(protocol::errors::unsupported_parameter_format(
          format, static_cast<int>(i + 1), message.portal));
    if (!raw) {
      parameters.emplace_back(std::nullopt);
      continue;
    }
    // PG checks the encoding of text before any type sees it (pg_client_to_server).
    if (format == 0 || types::binary_is_text(types[i])) {
      if (auto e = protocol::errors::invalid_encoding(*raw)) {
        e->where = protocol::errors::bind_parameter_context(message.portal, static_cast<int>(i + 1),
                                                            false);
        return extended_error(*e);
      }
    }
    std::optional<std::string> text;
    if (format == 1) {
      text = types::binary_to_text(types[i], *raw);
      if (!text) {
        return extended_error(protocol::errors::invalid_binary_representation(
            static_cast<int>(i + 1), message.portal));
      }
    } else {
      if (!types::valid_text_input(types[i], *raw)) {
        auto e = protocol::errors::invalid_input_syntax(type_name(types[i]), *raw, 0);
        e.where =
            protocol::errors::bind_parameter_context(message.portal, static_cast<int>(i + 1), true);
        return extended_error(e);
      }
      text.emplace(*raw);
    }
    parameters.emplace_back(std::move(text));
  }

  std::size_t columns = plan->columns ? plan->columns->size() : 0;
  auto& result_formats = message.result_formats;
  if (result_formats.size() > 1 && result_formats.size() != columns) {
    protocol::error_fields e{"ERROR", "08P01",
                             "bind message has " + std::to_string(result_formats.size()) +
                                 " result formats but query has " + std::to_string(columns) +
                                 " columns"};
    return extended_error(e);
  }
  auto result_format = [&](std::size_t i) -> std::int16_t {
    return result_formats.empty()       ? 0
           : result_formats.size() == 1 ? result_formats[0]
                                        : result_formats[i];
  };
  bool any_binary = false;
  for (std::size_t i = 0; i < columns; ++i) {
    std::int16_t f = result_format(i);
    if (f != 0 && f != 1) return extended_error(protocol::errors::unsupported_format_code(f));
    any_binary |= f == 1;
  }
  portal p;
  p.plan = plan;
  if (any_binary) {
    p.formats.reserve(columns);
    for (std::size_t i = 0; i < columns; ++i) p.formats.push_back(result_format(i));
  }
  if (!message.portal.empty() && portals_.contains(message.portal)) {
    return extended_error(protocol::errors::portal_already_exists(message.portal));
  }
  // PG plans a query at Bind and folds constants there: errors such as 1/0 surface at Bind.
  // A statement that runs at Execute (utility, pg_cursors, fixture) waits for it there.
  if (plan->fixed_answer) {
    p.answer = plan->fixed_answer;
  } else if (!plan->empty && !plan->runs_at_execute) {
    auto ctx = make_context();
    auto result = run_statement(*plan, parameters, ctx);
    if (result.error) {
      if (!query_fault_instead_of_error(plan->text)) extended_error(*result.error);
      return;
    }
    p.answer = std::make_shared<const responder::execution>(std::move(result));
  }
  // DECLARE ... FOR SELECT $1, and statements run at Execute
  if (plan->cursor || plan->runs_at_execute) p.parameters = std::move(parameters);
  store_portal(message.portal, std::move(p));
  writer().bind_complete();
}

void session::handle_describe(const protocol::describe& message) {
  auto w = writer();
  if (message.kind == 'S') {
    auto found = statements_.find(message.name);
    if (found == statements_.end())
      return extended_error(protocol::errors::statement_does_not_exist(message.name, true));
    const auto& plan = *found->second;
    if (tx_status_ == 'E' && plan.columns)
      return extended_error(
          protocol::errors::transaction_aborted(protocol::errors::aborted_in::describe_statement));
    w.parameter_description(plan.parameter_types);
    if (plan.columns)
      w.encoded(plan.text_row_description);
    else if (const portal* cursor = fetched_cursor(plan); cursor && cursor->plan->columns)
      w.row_description(describe_columns(*cursor->plan->columns, {}));
    else
      w.no_data();
    return;
  }
  const auto* found = find_portal(message.name);
  if (!found) return extended_error(protocol::errors::portal_does_not_exist(message.name, true));
  const auto& p = *found;
  if (!p.plan->columns)
    w.no_data();
  else if (p.formats.empty() && !p.plan->text_row_description.empty())
    w.encoded(p.plan->text_row_description);
  else  // binary columns, or a cursor or FETCH whose plan no Parse described
    w.row_description(describe_columns(*p.plan->columns, p.formats));
}

void session::handle_execute(const protocol::execute& message) {
  auto* found = find_portal(message.portal);
  if (!found) return extended_error(protocol::errors::portal_does_not_exist(message.portal));
  auto& p = *found;
  if (p.plan->empty) {  // PG answers an empty query before any other check
    p.executed = p.completed = true;
    return writer().empty_query_response();
  }
  if (tx_status_ == 'E' && refuses_in_failed_transaction(*p.plan))
    return extended_error(
        protocol::errors::transaction_aborted(protocol::errors::aborted_in::execute));
  if (p.executed) {
    // A query's portal sends what is left (nothing once drained); a command's is done, and
    // so is a utility statement's that a rule failed before it ran.
    if (!p.answer || p.failed || (p.completed && !p.plan->columns))
      return extended_error(protocol::errors::portal_cannot_be_run(message.portal));
    if (p.answer->error) {  // a cursor whose query fails as it first runs
      p.failed = true;
      return extended_error(*p.answer->error);
    }
    return send_portal_rows(p, message.max_rows);
  }
  p.executed = true;
  std::optional<faults::verdict> asked;
  const auto& verdict = query_verdict(p.plan->text, asked);
  ++statements_run_;
  if (act_on(verdict)) return;
  if (verdict.what == faults::verdict::kind::error) {
    p.completed = true;
    return extended_error(verdict.error);
  }
  if (!p.answer) {  // a utility statement or a read of pg_cursors runs now
    auto ctx = make_context();
    p.answer =
        std::make_shared<const responder::execution>(run_statement(*p.plan, p.parameters, ctx, &p));
  }
  const auto& result = *p.answer;
  if (!result.error && verdict.what == faults::verdict::kind::reset_after_rows)
    return reset_after_rows(result.rows, verdict.rows);
  if (auto wait = statement_wait(result, verdict); wait.count() > 0) {
    waiting_portal_ = message.portal;
    waiting_max_rows_ = message.max_rows;
    return begin_wait(wait, resume::statement);
  }
  finish_execute(p, message.portal, message.max_rows);
}

// An Execute, after its wait if it had one: its error (a scripted one comes after the
// wait, as PG's run-time errors come as the statement runs), or its effects and rows.
void session::finish_execute(portal& p, std::string_view name, std::int32_t max_rows) {
  if (p.answer->error) {
    p.completed = true;
    return extended_error(*p.answer->error);
  }
  finish_portal_statement(p, name, max_rows);
}

// The statement's effects, then its rows. Its portal outlives the statement, as PG's active
// portal does (CLOSE ALL and DISCARD ALL close the others); a statement that ends the
// transaction takes the portal with it afterwards, so a second Execute finds none.
void session::finish_portal_statement(portal& p, std::string_view name, std::int32_t max_rows) {
  const bool transaction_ended = apply_execution(*p.plan, *p.answer, &p);
  send_portal_rows(p, max_rows);
  if (transaction_ended) close_portal(name);
}

void session::send_portal_rows(portal& p, std::int32_t max_rows) {
  auto w = writer();
  const auto& result = *p.answer;
  if (!p.plan->columns) {
    p.completed = true;
    w.command_complete(result.tag);
    return;
  }
  const std::int64_t limit = max_rows > 0 ? max_rows : responder::fetch_all;
  std::uint64_t sent = 0;
  if (!p.completed) {
    const auto fetched = responder::run_fetch(p.position, result.rows.size(),
                                              {responder::fetch_direction::forward, limit}, true);
    for (; sent < fetched.sent; ++sent) {
      if (auto e = write_row(w, *p.plan->columns, p.formats, result.rows[fetched.row(sent)])) {
        p.completed = true;
        return extended_error(*e);
      }
    }
  }
  if (max_rows > 0 && static_cast<std::int64_t>(sent) == limit) {
    w.portal_suspended();  // PG suspends as soon as n rows went out
    return;
  }
  p.completed = true;
  command_complete(w, result, sent);
}

void session::handle_close(const protocol::close& message) {
  if (message.kind == 'S') {
    if (auto found = statements_.find(message.name); found != statements_.end())
      statements_.erase(found);
  } else {
    close_portal(message.name);
  }
  writer().close_complete();
}

session::portal* session::find_portal(std::string_view name) {
  if (name.empty()) return unnamed_portal_.get();
  auto found = portals_.find(name);
  return found == portals_.end() ? nullptr : &found->second;
}

// The unnamed portal's storage, kept per thread between binds: no session holds one
// while idle, and a Bind does not allocate.
std::unique_ptr<session::portal>& session::spare_portal() {
  thread_local std::unique_ptr<portal> spare;
  return spare;
}

void session::store_portal(std::string_view name, portal&& p) {
  if (!name.empty()) {
    portals_.insert_or_assign(std::string(name), std::move(p));
    return;
  }
  if (!unnamed_portal_) {
    auto& spare = spare_portal();
    unnamed_portal_ = spare ? std::move(spare) : std::make_unique<portal>();
  }
  *unnamed_portal_ = std::move(p);
}

void session::close_portal(std::string_view name) {
  if (!name.empty()) {
    if (auto found = portals_.find(name); found != portals_.end()) portals_.erase(found);
    return;
  }
  if (!unnamed_portal_) return;
  *unnamed_portal_ = portal{};
  auto& spare = spare_portal();
  if (!spare) spare = std::move(unnamed_portal_);
  unnamed_portal_.reset();
}

// PG's PreCommit_Portals / AtAbort_Portals / PortalHashTableDeleteAll.
void session::close_all_portals(portal_sweep sweep, const portal* running) {
  for (auto it = portals_.begin(); it != portals_.end();) {
    portal& p = it->second;
    if (sweep == portal_sweep::commit && p.holdable) p.held = true;
    const bool keep = &p == running || (sweep != portal_sweep::all && p.held);
    it = keep ? std::next(it) : portals_.erase(it);
  }
  if (unnamed_portal_.get() != running) close_portal({});
}

void session::handle_sync() {
  if (exchange_input_) remember_exchange();
  skip_until_sync_ = false;
  end_implicit_transaction();
  report_parameter_changes();
  send_ready_for_query();
}

// ---------------------------------------------------------------------------------------
// Shared by both protocols.

void session::extended_error(const protocol::error_fields& error) {
  statement_error(error);
  skip_until_sync_ = true;
}

void session::statement_error(const protocol::error_fields& error) {
  writer().error_response(error);
  make_sendable();  // PG flushes every error and notice at once (send_message_to_frontend)
  events_.push_back({event::kind::error_sent, error.sqlstate});
  if (tx_status_ == 'T') tx_status_ = 'E';
  if (tx_status_ == 'I') implicit_transaction_failed_ = true;
}

// The responder's answer, and what only the session knows: PG's DEALLOCATE looks the
// statement up first (prepare.c), so one the session does not have is an error.
responder::execution session::run_statement(const responder::statement_plan& plan,
                                            std::span<const responder::value> parameters,
                                            responder::context& ctx, const portal* running) {
  if (plan.cursor) return run_cursor_statement(plan, parameters, ctx, running);
  auto result = responder::execute(plan, parameters, ctx);
  if (!result.error && result.command == responder::session_command::deallocate &&
      !statements_.contains(result.command_target))
    result.error = protocol::errors::statement_does_not_exist(result.command_target);
  return result;
}

// True when the statement ended the transaction (COMMIT, ROLLBACK, DISCARD ALL), which
// closes every portal but `running`, the one whose statement this is.
bool session::apply_execution(const responder::statement_plan& plan,
                              const responder::execution& result, const portal* running) {
  auto w = writer();
  for (const auto& notice : result.notices) {
    w.notice_response(notice);
    make_sendable();
  }
  using tc = responder::transaction_control;
  switch (plan.control) {
    case tc::begin:
      if (tx_status_ == 'I') {
        tx_status_ = 'T';
        transaction_start_ = clock_();
        settings_->transaction_begin();
      }
      break;
    case tc::commit:
      if (tx_status_ == 'T')
        settings_->transaction_commit();
      else if (tx_status_ == 'E')
        settings_->transaction_rollback();
      close_all_portals(tx_status_ == 'E' ? portal_sweep::abort : portal_sweep::commit, running);
      tx_status_ = 'I';
      return true;
    case tc::rollback:
      if (tx_status_ != 'I') settings_->transaction_rollback();
      tx_status_ = 'I';
      close_all_portals(portal_sweep::abort, running);
      return true;
    case tc::rollback_to_savepoint:
      if (tx_status_ == 'E') tx_status_ = 'T';
      break;
    case tc::savepoint:
    case tc::release:
    case tc::none:
      break;
  }
  using sc = responder::session_command;
  switch (result.command) {
    case sc::deallocate:
      statements_.erase(result.command_target);
      break;
    case sc::deallocate_all:
      statements_.clear();
      break;
    case sc::close_all_portals:
      close_all_portals(portal_sweep::all, running);
      break;
    case sc::discard_all:
      statements_.clear();
      close_all_portals(portal_sweep::all, running);
      return true;
    case sc::none:
      break;
  }
  return false;
}

void session::end_implicit_transaction() {
  // Outside a transaction block the implicit transaction ends here and takes its portals;
  // one that failed takes the WITH HOLD cursors it declared too.
  if (tx_status_ == 'I')
    close_all_portals(implicit_transaction_failed_ ? portal_sweep::abort : portal_sweep::commit);
  implicit_transaction_failed_ = false;
}

void session::report_parameter_changes() {
  auto w = writer();
  for (const auto& [name, value] : settings_->take_report_changes())
    w.parameter_status(name, value);
}

void session::send_ready_for_query() {
  writer().ready_for_query(tx_status_);
  make_sendable();
  if (server_.uptime) idle_since_ = server_.uptime();
  arm_fault_deadline();
}

// How long a statement waits before its rows: its own delay (pg_sleep, fixture latency)
// plus a fault's, cut short by statement_timeout or a statement_timeout fault.
std::chrono::milliseconds session::statement_wait(const responder::execution& result,
                                                  const faults::verdict& verdict) {
  using kind = faults::verdict::kind;
  auto wait = result.delay;
  if (verdict.what == kind::delay) wait += verdict.after;
  wait_timed_out_ = false;
  if (verdict.what == kind::timeout) {
    wait_timed_out_ = true;
    return std::max(verdict.after, std::chrono::milliseconds(1));
  }
  auto limit = statement_timeout();
  if (limit.count() > 0 && limit < wait) {
    wait_timed_out_ = true;
    return limit;
  }
  return wait;
}

// query_reset: the first rows go out, then the connection is reset mid-result.
void session::reset_after_rows(const std::vector<responder::row>& rows, std::uint64_t count) {
  auto w = writer();
  for (std::size_t i = 0; i < rows.size() && i < count; ++i) w.data_row(rows[i]);
  close_with(nullptr, "fault: reset after rows", action::kind::reset);
}

}  // namespace fauxgres::session
