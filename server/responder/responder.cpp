// analyse() and execute(): the statement dispatcher. Order: the SELECT <integer> fast path,
// the scanner, user fixtures, driver catalog queries, then the statement families.
#include "responder/responder.hpp"

#include <cctype>
#include <cstdlib>
#include <iterator>

#include "responder/catalog_queries.hpp"
#include "responder/command_parser.hpp"
#include "responder/commands.hpp"
#include "responder/cursor_view.hpp"
#include "responder/datetime.hpp"
#include "responder/evaluator.hpp"
#include "responder/expr_parser.hpp"
#include "responder/fixtures.hpp"
#include "responder/lexer.hpp"
#include "responder/no_answer.hpp"
#include "responder/pg_error.hpp"
#include "responder/plan.hpp"
#include "responder/time_zones.hpp"
#include "responder/typer.hpp"
#include "types/catalog.hpp"
#include "types/timestamps.hpp"

namespace fauxgres::responder {
namespace {

namespace oid = types::oid;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// "SELECT <1-9 digits>[;]" in any case and spacing, without comments: the digits.
std::optional<std::string_view> fast_select_literal(std::string_view sql) {
  std::size_t p = 0;
  while (p < sql.size() && is_space(sql[p])) ++p;
  if (sql.size() - p < 8 || !iequals(sql.substr(p, 6), "select")) return std::nullopt;
  p += 6;
  if (!is_space(sql[p])) return std::nullopt;
  while (p < sql.size() && is_space(sql[p])) ++p;
  const std::size_t start = p;
  while (p < sql.size() && sql[p] >= '0' && sql[p] <= '9') ++p;
  const std::size_t digits = p - start;
  if (digits == 0 || digits > 9) return std::nullopt;
  while (p < sql.size() && is_space(sql[p])) ++p;
  if (p < sql.size() && sql[p] == ';') ++p;
  while (p < sql.size() && is_space(sql[p])) ++p;
  if (p != sql.size()) return std::nullopt;
  std::string_view number = sql.substr(start, digits);
  while (number.size() > 1 && number.front() == '0') number.remove_prefix(1);
  return number;
}

// BEGIN / COMMIT / ROLLBACK / END / ABORT / START TRANSACTION alone (any case, optional
// ';'): sent around every transaction, answered with shared constant plans.
const std::shared_ptr<const void>* fast_transaction(std::string_view sql,
                                                    transaction_control* control) {
  std::size_t b = 0, e = sql.size();
  while (b < e && is_space(sql[b])) ++b;
  while (e > b && (is_space(sql[e - 1]) || sql[e - 1] == ';')) --e;
  if (std::string_view(sql).substr(b, e - b).find(';') != std::string_view::npos) return nullptr;
  const std::string_view word = sql.substr(b, e - b);
  struct entry {
    std::string_view word;
    transaction_verb verb;
    const char* tag;
  };
  static constexpr entry words[] = {
      {"begin", transaction_verb::begin, "BEGIN"},
      {"commit", transaction_verb::commit, "COMMIT"},
      {"rollback", transaction_verb::rollback, "ROLLBACK"},
      {"end", transaction_verb::commit, "COMMIT"},
      {"abort", transaction_verb::rollback, "ROLLBACK"},
      {"start transaction", transaction_verb::start, "START TRANSACTION"},
  };
  static const plan_detail details[] = {
      transaction_plan{words[0].verb, words[0].tag}, transaction_plan{words[1].verb, words[1].tag},
      transaction_plan{words[2].verb, words[2].tag}, transaction_plan{words[3].verb, words[3].tag},
      transaction_plan{words[4].verb, words[4].tag}, transaction_plan{words[5].verb, words[5].tag},
  };
  // Aliasing pointers without a control block, as literal_detail().
  static const std::shared_ptr<const void> plans[] = {
      {std::shared_ptr<const void>(), &details[0]}, {std::shared_ptr<const void>(), &details[1]},
      {std::shared_ptr<const void>(), &details[2]}, {std::shared_ptr<const void>(), &details[3]},
      {std::shared_ptr<const void>(), &details[4]}, {std::shared_ptr<const void>(), &details[5]},
  };
  for (std::size_t i = 0; i < std::size(words); ++i) {
    if (iequals(word, words[i].word)) {
      *control = control_of(std::get<transaction_plan>(details[i]));
      return &plans[i];
    }
  }
  return nullptr;
}

column result_column(std::string name, sql_type type) {
  column c;
  c.name = std::move(name);
  c.type_oid = type.oid;
  c.type_len = type_length(type.oid);
  c.type_mod = type.typmod;
  return c;
}

std::shared_ptr<const void> hold(plan_detail detail) {
  return std::make_shared<const plan_detail>(std::move(detail));
}

// Every SELECT <integer> plan shares one immutable detail (execute reads the digits from
// the statement text), so the hot path allocates nothing for it. The aliasing pointer has
// no control block: copies cost no atomic operations.
const std::shared_ptr<const void>& literal_detail() {
  static const plan_detail detail{literal_plan{}};
  static const std::shared_ptr<const void> pointer(std::shared_ptr<const void>(), &detail);
  return pointer;
}

// Keeps the tokens of the one statement in the text (PG's parser drops empty statements
// between semicolons); more than one is an error for a prepared statement.
enum class statement_tokens { one, none, several };

statement_tokens single_statement(std::vector<token>& tokens) {
  // Common case: no semicolon, or one at the end.
  std::size_t semicolons = 0;
  for (const token& t : tokens) semicolons += t.kind == token_kind::semicolon;
  if (semicolons == 0 || (semicolons == 1 && tokens.size() >= 3 &&
                          tokens[tokens.size() - 2].kind == token_kind::semicolon)) {
    return tokens.size() > 1 + semicolons ? statement_tokens::one : statement_tokens::none;
  }
  std::vector<token> kept;
  kept.reserve(tokens.size());
  int statements = 0;
  bool in_statement = false;
  for (const token& t : tokens) {
    if (t.kind == token_kind::end) break;
    if (t.kind == token_kind::semicolon) {
      in_statement = false;
      continue;
    }
    if (!in_statement) {
      ++statements;
      in_statement = true;
    }
    if (statements == 1) kept.push_back(t);
  }
  if (statements > 1) return statement_tokens::several;
  if (statements == 0) return statement_tokens::none;
  kept.push_back(tokens.back());
  tokens.swap(kept);
  return statement_tokens::one;
}

// Parameter types for a statement answered without type inference (fixtures): declared
// types win, then the fixture's, then text for every other $n the text mentions.
std::vector<std::uint32_t> fixed_parameter_types(const std::vector<token>& tokens,
                                                 std::span<const std::uint32_t> declared,
                                                 const std::vector<std::uint32_t>& preset) {
  std::size_t count = std::max(declared.size(), preset.size());
  for (const token& t : tokens) {
    if (t.kind == token_kind::parameter) {
      count = std::max<std::size_t>(
          count, std::strtoul(std::string(t.raw.substr(1)).c_str(), nullptr, 10));
    }
  }
  std::vector<std::uint32_t> out(count, oid::text);
  for (std::size_t i = 0; i < count; ++i) {
    if (i < declared.size() && declared[i] != 0 && declared[i] != oid::unknown) {
      out[i] = declared[i];
    } else if (i < preset.size()) {
      out[i] = preset[i];
    }
  }
  return out;
}

// Parameter types of a statement fauxgres cannot answer itself (INSERT, UPDATE, DELETE,
// DDL): one per $n up to the highest, so Bind accepts the parameters and query rules can
// act on the statement. Declared types win, then a cast written on the parameter
// (`$1::int4`, the first one), else text: what PG resolves an untyped parameter to when
// nothing says otherwise (`SELECT $1`), and what drivers that Describe first (pgx,
// pgjdbc) can always send.
std::vector<std::uint32_t> unanswered_parameter_types(const std::vector<token>& tokens,
                                                      std::span<const std::uint32_t> declared) {
  auto types = fixed_parameter_types(tokens, declared, {});
  std::vector<bool> cast(types.size(), false);
  for (std::size_t i = 0; i + 2 < tokens.size(); ++i) {
    if (tokens[i].kind != token_kind::parameter || tokens[i + 1].kind != token_kind::typecast ||
        tokens[i + 2].kind != token_kind::identifier) {
      continue;
    }
    if (i + 3 < tokens.size() && tokens[i + 3].kind == token_kind::left_bracket) continue;
    const auto n = std::strtoul(std::string(tokens[i].raw.substr(1)).c_str(), nullptr, 10);
    if (n == 0 || n > types.size() || cast[n - 1]) continue;
    cast[n - 1] = true;
    if (n <= declared.size() && declared[n - 1] != 0 && declared[n - 1] != oid::unknown) continue;
    type_name name;
    name.words.push_back(identifier_value(tokens[i + 2]));
    std::string column, error;
    if (auto t = resolve_type_name(name, &column, &error)) types[n - 1] = t->oid;
  }
  return types;
}

void analyse_select(statement_plan& plan, token_cursor& cur, std::string_view sql,
                    std::span<const std::uint32_t> declared) {
  parsed_select parsed = parse_select_list(cur);
  if (cur.failed()) {
    plan.error = cur.take_error();
    return;
  }
  if (parsed.unsupported) {
    plan.error = no_answer(sql, parsed.query.has_from ? cur.char_pos(parsed.query.from_offset) : 0);
    return;
  }
  typing_result typed = resolve_select_types(parsed.query, sql, declared);
  if (typed.unsupported) {
    plan.error = no_answer(sql, cur.char_pos(typed.unsupported_offset));
    return;
  }
  if (typed.error) {
    plan.error = std::move(typed.error);
    return;
  }
  std::vector<column> columns;
  columns.reserve(parsed.query.targets.size());
  for (std::size_t i = 0; i < parsed.query.targets.size(); ++i) {
    const int node = parsed.query.targets[i].node;
    columns.push_back(result_column(typed.column_names[i],
                                    parsed.query.nodes[static_cast<std::size_t>(node)].type));
  }
  plan.columns = std::move(columns);
  plan.parameter_types = std::move(typed.parameter_types);
  plan.detail = hold(select_plan{std::move(parsed.query)});
  plan.scans_backward = false;
}

void analyse_command(statement_plan& plan, token_cursor& cur, std::string_view sql,
                     std::span<const std::uint32_t> declared, const context& ctx) {
  command_parse_result parsed = parse_command(cur);
  switch (parsed.status) {
    case command_parse_status::failed:
      plan.error = cur.take_error();
      return;
    case command_parse_status::unsupported:
      plan.error = no_answer(sql);
      return;
    case command_parse_status::parsed:
      break;
    case command_parse_status::unknown: {
      cur.rewind(0);
      std::string write = write_command_name(cur);
      if (!write.empty()) {
        plan.detail = hold(write_plan{std::move(write)});
        return;
      }
      static constexpr std::string_view known[] = {
          "with",    "values",  "table",    "explain", "copy",    "do",      "call",
          "lock",    "prepare", "execute",  "vacuum",  "analyze", "analyse", "reindex",
          "cluster", "refresh", "security", "import",  "load",    "reassign"};
      for (auto word : known) {
        if (cur.is(word)) {
          plan.error = no_answer(sql);
          return;
        }
      }
      cur.fail_here();  // not a statement PostgreSQL knows either
      plan.error = cur.take_error();
      return;
    }
  }
  plan_detail& detail = *parsed.detail;
  plan.runs_at_execute = true;  // every statement parse_command knows is a utility one
  if (auto* t = std::get_if<transaction_plan>(&detail)) plan.control = control_of(*t);
  if (auto* c = std::get_if<cursor_statement>(&detail)) {
    plan.cursor = *c;
    if (c->what == cursor_statement::kind::declare) {
      // PG analyses the query with the DECLARE: its errors come first, its $n are the
      // DECLARE's (psycopg 3 sends a ServerCursor's parameters with it).
      statement_plan query = analyse(c->query, declared, ctx);
      if (query.error) {
        if (query.error->position > 0) query.error->position += c->query_chars_in;
        plan.error = std::move(query.error);
        return;
      }
      plan.parameter_types = query.parameter_types;
      plan.cursor->query_plan = std::make_shared<const statement_plan>(std::move(query));
    }
  }
  if (auto* show = std::get_if<show_plan>(&detail)) {
    std::optional<protocol::error_fields> error;
    auto columns = show_columns(*show, ctx, error);
    if (error) {
      plan.error = std::move(error);
      return;
    }
    plan.columns = std::move(columns);
  }
  plan.detail = hold(std::move(detail));
}

execution run_select(const select_plan& p, const statement_plan& plan,
                     std::span<const value> parameters, context& ctx) {
  eval_env env{ctx};
  auto result = evaluate_select(p.query, plan.text, plan.parameter_types, parameters, env);
  execution ex;
  if (env.error) {
    ex.error = std::move(env.error);
    return ex;
  }
  if (result) ex.rows.push_back(std::move(*result));
  ex.tag = "SELECT";
  ex.counts_rows = true;
  ex.delay = env.delay;
  ex.notices = std::move(env.notices);
  return ex;
}

// The tag of a fixture without `tag`: PG's tag for the statement's command, counting the
// fixture's rows where PG counts them.
void fixture_default_tag(fixture_plan& p, const token& first) {
  const std::string& write = p.command;
  if (write == "INSERT") {
    p.default_tag = "INSERT 0";
    p.counts_rows = true;
  } else if (write == "UPDATE" || write == "DELETE" || write == "MERGE") {
    p.default_tag = write;
    p.counts_rows = true;
  } else if (!write.empty()) {
    p.default_tag = write;
  } else if (!p.entry->columns.empty() || first.kind != token_kind::identifier) {
    p.default_tag = "SELECT";
    p.counts_rows = true;
  } else {
    std::string word = identifier_value(first);
    for (char& c : word) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    p.counts_rows = word == "SELECT" || word == "WITH" || word == "VALUES" || word == "TABLE";
    p.default_tag = p.counts_rows ? "SELECT" : word;
  }
}

// Scripted timestamptz cells are kept in UTC; PG shows a stored instant in the session's
// zone, so a session with TimeZone Asia/Seoul sees "+09" as it would there.
void show_in_session_zone(std::vector<row>& rows, const std::vector<column>& columns,
                          const context& ctx) {
  std::shared_ptr<const types::time_zone> zone;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].type_oid != types::oid::timestamptz) continue;
    if (!zone) zone = session_time_zone(ctx.session_settings);
    for (row& r : rows) {
      if (c >= r.size() || !r[c]) continue;
      if (auto t = types::timestamptz_in(*r[c], types::utc_zone())) {
        r[c] = types::timestamptz_out(*t, *zone);
      }
    }
  }
}

// A cursor statement answered without a session, which alone has portals: no cursor exists.
execution without_portals(const cursor_statement& c, std::string_view sql) {
  execution ex;
  if (c.what == cursor_statement::kind::declare) {
    ex.error = no_answer(sql);
  } else if (c.what == cursor_statement::kind::view) {
    ex.tag = "SELECT";
    ex.counts_rows = true;
  } else {
    ex.error =
        protocol::errors::cursor_does_not_exist(c.name, c.what == cursor_statement::kind::fetch);
  }
  return ex;
}

execution run_fixture(const fixture_plan& p, context& ctx) {
  execution ex;
  ex.delay = p.entry->latency;
  if (!p.command.empty()) {
    if (auto e = refuse_write(p.command, ctx)) {
      ex.error = std::move(e);
      return ex;
    }
  }
  if (p.entry->error) {
    ex.error = p.entry->error;
    return ex;
  }
  ex.rows = p.entry->rows;
  show_in_session_zone(ex.rows, p.entry->columns, ctx);
  if (p.entry->tag) {
    ex.tag = *p.entry->tag;
  } else {
    ex.tag = p.default_tag;
    ex.counts_rows = p.counts_rows;
  }
  return ex;
}

// client_min_messages: drop notices below the level the client asked for.
int message_rank(std::string_view level) {
  static constexpr std::string_view levels[] = {"debug5", "debug4", "debug3",  "debug2", "debug1",
                                                "log",    "notice", "warning", "error"};
  for (std::size_t i = 0; i < std::size(levels); ++i) {
    if (iequals(level, levels[i])) return static_cast<int>(i);
  }
  return 6;  // notice
}

void filter_notices(execution& ex, const context& ctx) {
  if (ex.notices.empty()) return;
  const int minimum = message_rank(ctx.session_settings.get("client_min_messages").value_or(""));
  std::erase_if(ex.notices, [&](const protocol::error_fields& n) {
    std::string level = n.severity;
    for (char& c : level) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return message_rank(level) < minimum;
  });
}

execution execute_statement(const statement_plan& plan, std::span<const value> parameters,
                            context& ctx) {
  execution ex;
  if (plan.error) {
    ex.error = plan.error;
    return ex;
  }
  if (plan.empty) return ex;
  const auto* detail = static_cast<const plan_detail*>(plan.detail.get());
  if (detail == nullptr) {
    ex.error = no_answer(plan.text);
    return ex;
  }
  return std::visit(
      [&](const auto& p) -> execution {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, literal_plan>) {
          execution out;
          out.rows.push_back(row{value(fast_select_literal(plan.text).value_or("0"))});
          out.tag = "SELECT";
          out.counts_rows = true;
          return out;
        } else if constexpr (std::is_same_v<T, select_plan>) {
          return run_select(p, plan, parameters, ctx);
        } else if constexpr (std::is_same_v<T, transaction_plan>) {
          return execute_transaction(p, ctx);
        } else if constexpr (std::is_same_v<T, set_plan>) {
          return execute_set(p, ctx);
        } else if constexpr (std::is_same_v<T, show_plan>) {
          return execute_show(p, ctx);
        } else if constexpr (std::is_same_v<T, utility_plan>) {
          return execute_utility(p, ctx);
        } else if constexpr (std::is_same_v<T, write_plan>) {
          execution out;
          out.error = refuse_write(p.command, ctx);
          if (!out.error) out.error = no_answer(plan.text);
          return out;
        } else if constexpr (std::is_same_v<T, fixture_plan>) {
          return run_fixture(p, ctx);
        } else if constexpr (std::is_same_v<T, cursor_statement>) {
          return without_portals(p, plan.text);
        } else {
          execution out;
          out.rows = run_catalog_query(p.match, parameters, out.error);
          out.tag = "SELECT";
          out.counts_rows = true;
          return out;
        }
      },
      *detail);
}

}  // namespace

statement_plan analyse(std::string_view sql, std::span<const std::uint32_t> declared,
                       const context& ctx) {
  statement_plan plan;
  plan.text = std::string(sql);
  if (declared.empty() && (ctx.user_fixtures == nullptr || ctx.user_fixtures->empty())) {
    if (fast_select_literal(sql)) {
      plan.columns.emplace(1, column{"?column?", oid::int4, 4, -1, 0, 0});
      plan.detail = literal_detail();
      plan.answer_is_fixed = true;
      plan.scans_backward = false;
      return plan;
    }
    if (const auto* detail = fast_transaction(sql, &plan.control)) {
      plan.detail = *detail;
      plan.runs_at_execute = true;
      return plan;
    }
  }
  lex_result lexed = tokenize(sql);
  if (lexed.error) {
    plan.error = with_position(pg_error("42601", lexed.error->message),
                               char_position(sql, lexed.error->offset));
    return plan;
  }
  switch (single_statement(lexed.tokens)) {
    case statement_tokens::none:
      plan.empty = true;
      return plan;
    case statement_tokens::several:
      plan.error = protocol::errors::multiple_commands_in_prepared_statement();
      return plan;
    case statement_tokens::one:
      break;
  }
  token_cursor cur(sql, lexed.tokens);
  if (ctx.user_fixtures != nullptr && !ctx.user_fixtures->empty()) {
    if (const fixture* f = ctx.user_fixtures->match(sql)) {
      if (!f->columns.empty()) plan.columns = f->columns;
      plan.parameter_types = fixed_parameter_types(lexed.tokens, declared, f->params);
      fixture_plan fp{f, write_command_name(cur)};
      fixture_default_tag(fp, lexed.tokens.front());
      plan.detail = hold(std::move(fp));
      // Its latency and error are the running statement's: after BindComplete, at Execute.
      plan.runs_at_execute = true;
      return plan;
    }
  }
  if (cur.is("select") || cur.is("with")) {
    if (auto match = match_catalog_query(sql)) {
      plan.columns = match->columns;
      plan.parameter_types = fixed_parameter_types(lexed.tokens, declared, match->parameter_types);
      plan.detail = hold(catalog_plan{std::move(*match)});
      return plan;
    }
  }
  if (cur.is("select")) {
    if (auto view = match_cursor_view(cur)) {
      plan.columns = cursor_view_columns(*view);
      plan.parameter_types.assign(declared.begin(), declared.end());
      plan.runs_at_execute = true;
      cursor_statement read;
      read.what = cursor_statement::kind::view;
      read.view = std::make_shared<const cursor_view>(std::move(*view));
      plan.cursor = read;
      plan.detail = hold(std::move(read));
      return plan;
    }
    cur.next();
    analyse_select(plan, cur, sql, declared);
    return plan;
  }
  analyse_command(plan, cur, sql, declared, ctx);
  if (!plan.error && std::get_if<write_plan>(static_cast<const plan_detail*>(plan.detail.get()))) {
    plan.parameter_types = unanswered_parameter_types(lexed.tokens, declared);
  } else if (!plan.error && declared.size() > plan.parameter_types.size()) {
    plan.parameter_types.assign(declared.begin(), declared.end());
  }
  return plan;
}

execution execute(const statement_plan& plan, std::span<const value> parameters, context& ctx) {
  execution ex = execute_statement(plan, parameters, ctx);
  filter_notices(ex, ctx);
  return ex;
}

}  // namespace fauxgres::responder
