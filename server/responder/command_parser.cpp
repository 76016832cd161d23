// Command parsing; see command_parser.hpp. Grammar from gram.y (TransactionStmt,
// VariableSetStmt, VariableShowStmt, DiscardStmt, DeallocateStmt, ClosePortalStmt, ...).
#include "responder/command_parser.hpp"

#include <cstdlib>

#include "responder/guc_table.hpp"
#include "responder/guc_values.hpp"
#include "responder/pg_error.hpp"

namespace fauxgres::responder {
namespace {

using status = command_parse_status;

command_parse_result parsed(plan_detail detail) {
  return {status::parsed, std::move(detail)};
}
command_parse_result failed() {
  return {status::failed, std::nullopt};
}
command_parse_result unsupported() {
  return {status::unsupported, std::nullopt};
}

std::string upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// quote_identifier: quotes unless the name is a plain lower-case identifier and not a
// keyword PG would misread.
std::string quote_identifier(const std::string& s) {
  bool safe = !s.empty() && ((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_');
  for (char c : s) {
    safe = safe && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (safe && !is_reserved_keyword(s)) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// [WORK | TRANSACTION]
void optional_transaction_word(token_cursor& cur) {
  if (!cur.accept("work")) cur.accept("transaction");
}

// transaction_mode_list: ISOLATION LEVEL ..., READ ONLY/WRITE, [NOT] DEFERRABLE, separated
// by commas or spaces. `prefix` is "" or "default_" (SET SESSION CHARACTERISTICS).
bool transaction_mode_list(token_cursor& cur, transaction_modes& modes, const std::string& prefix) {
  bool first = true;
  while (!cur.at_statement_end()) {
    if (!first) cur.accept(token_kind::comma);
    first = false;
    if (cur.accept("isolation")) {
      if (!cur.accept("level")) {
        cur.fail_here();
        return false;
      }
      std::string level;
      if (cur.accept("serializable")) {
        level = "serializable";
      } else if (cur.accept("repeatable")) {
        if (!cur.accept("read")) {
          cur.fail_here();
          return false;
        }
        level = "repeatable read";
      } else if (cur.accept("read")) {
        if (cur.accept("committed"))
          level = "read committed";
        else if (cur.accept("uncommitted"))
          level = "read uncommitted";
        else {
          cur.fail_here();
          return false;
        }
      } else {
        cur.fail_here();
        return false;
      }
      modes.emplace_back(prefix + "transaction_isolation", level);
    } else if (cur.accept("read")) {
      if (cur.accept("only"))
        modes.emplace_back(prefix + "transaction_read_only", "on");
      else if (cur.accept("write"))
        modes.emplace_back(prefix + "transaction_read_only", "off");
      else {
        cur.fail_here();
        return false;
      }
    } else if (cur.accept("deferrable")) {
      modes.emplace_back(prefix + "transaction_deferrable", "on");
    } else if (cur.is("not") && cur.is("deferrable", 1)) {
      cur.next();
      cur.next();
      modes.emplace_back(prefix + "transaction_deferrable", "off");
    } else {
      cur.fail_here();
      return false;
    }
  }
  return true;
}

// [AND [NO] CHAIN]
bool optional_chain(token_cursor& cur, bool& chain) {
  if (!cur.accept("and")) return true;
  const bool no = cur.accept("no");
  if (!cur.accept("chain")) {
    cur.fail_here();
    return false;
  }
  chain = !no;
  return true;
}

command_parse_result begin_statement(token_cursor& cur, bool start) {
  transaction_plan plan;
  if (start) {
    if (!cur.accept("transaction")) {
      cur.fail_here();
      return failed();
    }
    plan.verb = transaction_verb::start;
    plan.tag = "START TRANSACTION";
  } else {
    optional_transaction_word(cur);
    plan.verb = transaction_verb::begin;
    plan.tag = "BEGIN";
  }
  if (!transaction_mode_list(cur, plan.modes, "") || !cur.expect_end()) return failed();
  return parsed(std::move(plan));
}

// A value written as a string literal or a (possibly quoted) name: SET ROLE 'x' / SET ROLE x.
std::optional<std::string> string_or_name(token_cursor& cur) {
  const token& t = cur.peek();
  if (t.kind != token_kind::string) return cur.name();
  cur.next();
  return string_value(t);
}

// COMMIT PREPARED 'gid' / ROLLBACK PREPARED 'gid', after the word PREPARED.
command_parse_result prepared_transaction(token_cursor& cur, transaction_verb verb,
                                          const char* tag) {
  const token& t = cur.peek();
  if (t.kind != token_kind::string) {
    cur.fail_here();
    return failed();
  }
  cur.next();
  transaction_plan plan;
  plan.verb = verb;
  plan.tag = tag;
  plan.name = string_value(t);
  if (!cur.expect_end()) return failed();
  return parsed(std::move(plan));
}

command_parse_result commit_statement(token_cursor& cur, bool is_end) {
  transaction_plan plan;
  plan.verb = transaction_verb::commit;
  plan.tag = "COMMIT";
  if (!is_end && cur.accept("prepared"))
    return prepared_transaction(cur, transaction_verb::commit_prepared, "COMMIT PREPARED");
  optional_transaction_word(cur);
  if (!optional_chain(cur, plan.chain) || !cur.expect_end()) return failed();
  return parsed(std::move(plan));
}

command_parse_result rollback_statement(token_cursor& cur, bool is_abort) {
  transaction_plan plan;
  plan.verb = transaction_verb::rollback;
  plan.tag = "ROLLBACK";
  if (!is_abort && cur.accept("prepared"))
    return prepared_transaction(cur, transaction_verb::rollback_prepared, "ROLLBACK PREPARED");
  optional_transaction_word(cur);
  if (!is_abort && cur.accept("to")) {
    cur.accept("savepoint");
    auto name = cur.name();
    if (!name || !cur.expect_end()) return failed();
    plan.verb = transaction_verb::rollback_to;
    plan.name = *name;
    return parsed(std::move(plan));
  }
  if (!optional_chain(cur, plan.chain) || !cur.expect_end()) return failed();
  return parsed(std::move(plan));
}

command_parse_result savepoint_statement(token_cursor& cur, bool release) {
  if (release) cur.accept("savepoint");
  auto name = cur.name();
  if (!name || !cur.expect_end()) return failed();
  transaction_plan plan;
  plan.verb = release ? transaction_verb::release : transaction_verb::savepoint;
  plan.tag = release ? "RELEASE" : "SAVEPOINT";
  plan.name = *name;
  return parsed(std::move(plan));
}

struct set_item {
  std::string text;
  bool numeric = false;
};

// var_list: comma-separated values (strings, names, numbers, ON/TRUE/FALSE).
bool var_list(token_cursor& cur, std::vector<set_item>& items) {
  do {
    bool negative = false;
    if (cur.is_op("-") || cur.is_op("+")) negative = cur.next().raw == "-";
    const token& t = cur.peek();
    set_item item;
    switch (t.kind) {
      case token_kind::integer: {
        cur.next();
        item.numeric = true;
        const long long v = std::atoll(std::string(t.raw).c_str());
        item.text = std::to_string(negative ? -v : v);
        if (t.raw.size() > 18) item.text = (negative ? "-" : "") + std::string(t.raw);
        break;
      }
      case token_kind::decimal:
        cur.next();
        item.numeric = true;
        item.text = (negative ? "-" : "") + std::string(t.raw);
        break;
      case token_kind::string:
        if (negative) {
          cur.fail_here();
          return false;
        }
        cur.next();
        item.text = string_value(t);
        break;
      case token_kind::identifier:
      case token_kind::quoted_identifier:
        if (negative) {
          cur.fail_here();
          return false;
        }
        cur.next();
        item.text = identifier_value(t);
        break;
      default:
        cur.fail_here();
        return false;
    }
    items.push_back(std::move(item));
  } while (cur.accept(token_kind::comma));
  return true;
}

// flatten_set_variable_args.
std::optional<std::string> flatten(token_cursor& cur, const std::string& name,
                                   const std::vector<set_item>& items) {
  const guc_definition* def = find_guc(name);
  const std::uint8_t flags = def != nullptr ? def->flags : 0;
  if ((flags & guc_list) == 0 && items.size() != 1) {
    cur.fail(pg_error("22023", "SET " + name + " takes only one argument"));
    return std::nullopt;
  }
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out +=
        (!item.numeric && (flags & guc_list_quote) != 0) ? quote_identifier(item.text) : item.text;
  }
  return out;
}

// INTERVAL 'x' [HOUR TO MINUTE] for SET TIME ZONE: hours east of UTC.
std::optional<std::string> time_zone_interval(token_cursor& cur) {
  if (cur.peek().kind == token_kind::left_paren) {  // INTERVAL(p) 'x'
    cur.next();
    if (cur.peek().kind == token_kind::integer) cur.next();
    if (!cur.accept(token_kind::right_paren)) {
      cur.fail_here();
      return std::nullopt;
    }
  }
  const token& t = cur.peek();
  if (t.kind != token_kind::string) {
    cur.fail_here();
    return std::nullopt;
  }
  cur.next();
  const std::string text = string_value(t);
  if (cur.accept("hour")) {
    if (cur.accept("to") && !cur.accept("minute")) {
      cur.fail_here();
      return std::nullopt;
    }
  }
  // "[+-]hh[:mm[:ss]]" or a number of hours.
  std::string_view s = text;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  int sign = 1;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  long parts[3] = {0, 0, 0};
  int n = 0;
  while (n < 3 && !s.empty()) {
    char* end = nullptr;
    const std::string piece(s);
    parts[n++] = std::strtol(piece.c_str(), &end, 10);
    s.remove_prefix(static_cast<std::size_t>(end - piece.c_str()));
    if (s.empty() || s.front() != ':') break;
    s.remove_prefix(1);
  }
  if (n == 0 || !s.empty()) {
    cur.fail(pg_error("22007", "invalid input syntax for type interval: \"" + text + "\""));
    return std::nullopt;
  }
  return posix_offset_zone(sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]));
}

command_parse_result set_time_zone(token_cursor& cur, set_plan plan) {
  plan.name = "timezone";
  if (cur.accept("local") || cur.accept("default")) {
    plan.action = set_action::reset;
  } else if (cur.accept("interval")) {
    auto zone = time_zone_interval(cur);
    if (!zone) return failed();
    plan.value = *zone;
  } else {
    std::vector<set_item> items;
    if (!var_list(cur, items)) return failed();
    if (items.size() != 1) {
      cur.fail_at(cur.peek());
      return failed();
    }
    plan.value = items[0].text;
  }
  if (!cur.expect_end()) return failed();
  return parsed(std::move(plan));
}

command_parse_result set_statement(token_cursor& cur) {
  set_plan plan;
  if (cur.accept("local")) {
    plan.local = true;
  } else if (cur.is("session") && !cur.is("authorization", 1) && !cur.is("characteristics", 1)) {
    cur.next();
  }
  if (cur.is("time") && cur.is("zone", 1)) {
    cur.next();
    cur.next();
    return set_time_zone(cur, std::move(plan));
  }
  if (cur.is("session") && cur.is("authorization", 1)) {
    cur.next();
    cur.next();
    plan.action = set_action::session_authorization;
    if (cur.accept("default")) {
      plan.is_default = true;
    } else {
      auto value = string_or_name(cur);
      if (!value) return failed();
      plan.value = std::move(*value);
    }
    if (!cur.expect_end()) return failed();
    return parsed(std::move(plan));
  }
  if (cur.is("session") && cur.is("characteristics", 1)) {
    cur.next();
    cur.next();
    if (!cur.accept("as") || !cur.accept("transaction")) {
      cur.fail_here();
      return failed();
    }
    plan.action = set_action::session_characteristics;
    if (!transaction_mode_list(cur, plan.modes, "default_") || !cur.expect_end()) return failed();
    return parsed(std::move(plan));
  }
  if (cur.accept("transaction")) {
    if (cur.accept("snapshot")) return unsupported();
    plan.action = set_action::set_transaction;
    if (!transaction_mode_list(cur, plan.modes, "") || !cur.expect_end()) return failed();
    return parsed(std::move(plan));
  }
  if (cur.accept("constraints")) {
    plan.action = set_action::constraints;
    plan.tag = "SET CONSTRAINTS";
    while (!cur.at_statement_end()) cur.next();
    return parsed(std::move(plan));
  }
  if (cur.accept("names")) {
    plan.name = "client_encoding";
    if (cur.accept("default")) {
      plan.action = set_action::reset;
    } else {
      std::vector<set_item> items;
      if (!var_list(cur, items)) return failed();
      plan.value = items[0].text;
    }
    if (!cur.expect_end()) return failed();
    return parsed(std::move(plan));
  }
  if (cur.is("schema") && cur.peek(1).kind == token_kind::string) {
    cur.next();
    plan.name = "search_path";
    plan.value = string_value(cur.next());
    if (!cur.expect_end()) return failed();
    return parsed(std::move(plan));
  }
  if (cur.is("role")) {
    cur.next();
    plan.name = "role";
    auto value = string_or_name(cur);
    if (!value) return failed();
    plan.value = std::move(*value);
    if (!cur.expect_end()) return failed();
    return parsed(std::move(plan));
  }
  if (cur.is("xml") && cur.is("option", 1)) {
    cur.next();
    cur.next();
    plan.name = "xmloption";
    auto value = cur.name();
    if (!value || !cur.expect_end()) return failed();
    plan.value = *value;
    return parsed(std::move(plan));
  }
  auto name = cur.dotted_name();
  if (!name) return failed();
  plan.name = *name;
  if (!cur.accept("to") && !cur.is_op("=")) {
    cur.fail_here();
    return failed();
  }
  if (cur.is_op("=")) cur.next();
  if (cur.accept("default")) {
    plan.action = set_action::reset;
  } else {
    std::vector<set_item> items;
    if (!var_list(cur, items)) return failed();
    auto flat = flatten(cur, plan.name, items);
    if (!flat) return failed();
    plan.value = *flat;
  }
  if (!cur.expect_end()) return failed();
  return parsed(std::move(plan));
}

command_parse_result reset_statement(token_cursor& cur) {
  set_plan plan;
  plan.action = set_action::reset;
  plan.tag = "RESET";
  if (cur.accept("all")) {
    plan.action = set_action::reset_all;
  } else if (cur.is("time") && cur.is("zone", 1)) {
    cur.next();
    cur.next();
    plan.name = "timezone";
  } else if (cur.is("transaction") && cur.is("isolation", 1)) {
    cur.next();
    cur.next();
    if (!cur.accept("level")) {
      cur.fail_here();
      return failed();
    }
    plan.name = "transaction_isolation";
  } else if (cur.is("session") && cur.is("authorization", 1)) {
    cur.next();
    cur.next();
    plan.action = set_action::session_authorization;
    plan.is_default = true;
  } else {
    auto name = cur.dotted_name();
    if (!name) return failed();
    plan.name = *name;
  }
  if (!cur.expect_end()) return failed();
  return parsed(std::move(plan));
}

command_parse_result show_statement(token_cursor& cur) {
  show_plan plan;
  if (cur.accept("all")) {
    plan.name.clear();
  } else if (cur.is("time") && cur.is("zone", 1)) {
    cur.next();
    cur.next();
    plan.name = "timezone";
  } else if (cur.is("transaction") && cur.is("isolation", 1)) {
    cur.next();
    cur.next();
    if (!cur.accept("level")) {
      cur.fail_here();
      return failed();
    }
    plan.name = "transaction_isolation";
  } else if (cur.is("session") && cur.is("authorization", 1)) {
    cur.next();
    cur.next();
    plan.name = "session_authorization";
  } else {
    auto name = cur.dotted_name();
    if (!name) return failed();
    plan.name = *name;
  }
  if (!cur.expect_end()) return failed();
  return parsed(std::move(plan));
}

command_parse_result utility(std::string tag, session_command command = session_command::none,
                             std::string target = {}) {
  utility_plan plan;
  plan.tag = std::move(tag);
  plan.command = command;
  plan.target = std::move(target);
  return parsed(std::move(plan));
}

command_parse_result discard_statement(token_cursor& cur) {
  utility_plan plan;
  if (cur.accept("all")) {
    plan.tag = "DISCARD ALL";
    plan.command = session_command::discard_all;
    plan.check = utility_check::outside_transaction;
    plan.discard_settings = true;
  } else if (cur.accept("plans")) {
    plan.tag = "DISCARD PLANS";
  } else if (cur.accept("sequences")) {
    plan.tag = "DISCARD SEQUENCES";
  } else if (cur.accept("temp") || cur.accept("temporary")) {
    plan.tag = "DISCARD TEMP";
  } else {
    cur.fail_here();
    return failed();
  }
  if (!cur.expect_end()) return failed();
  return parsed(std::move(plan));
}

command_parse_result deallocate_statement(token_cursor& cur) {
  cur.accept("prepare");
  if (cur.accept("all")) {
    if (!cur.expect_end()) return failed();
    return utility("DEALLOCATE ALL", session_command::deallocate_all);
  }
  auto name = cur.name();
  if (!name || !cur.expect_end()) return failed();
  return utility("DEALLOCATE", session_command::deallocate, *name);
}

command_parse_result close_statement(token_cursor& cur) {
  if (cur.accept("all")) {
    if (!cur.expect_end()) return failed();
    return utility("CLOSE CURSOR ALL", session_command::close_all_portals);
  }
  auto name = cur.name();
  if (!name || !cur.expect_end()) return failed();
  cursor_statement plan;
  plan.what = cursor_statement::kind::close;
  plan.name = *name;
  return parsed(std::move(plan));
}

// FETCH / MOVE [direction] [FROM | IN] name (gram.y fetch_args), where direction is NEXT,
// PRIOR, FIRST, LAST, ALL, a signed count, ABSOLUTE or RELATIVE and a count, or FORWARD or
// BACKWARD with an optional count or ALL. A lone direction word is the cursor's name.
command_parse_result fetch_statement(token_cursor& cur, bool move) {
  std::optional<std::int64_t> count;
  auto signed_count = [&cur, &count] {
    const bool negative = cur.is_op("-");
    if (negative || cur.is_op("+")) cur.next();
    if (cur.peek().kind != token_kind::integer) return false;
    std::int64_t v = 0;
    for (char c : cur.peek().raw) {
      v = v * 10 + (c - '0');
      if (v > 2147483647) return false;  // SignedIconst
    }
    cur.next();
    count = negative ? -v : v;
    return true;
  };
  auto direction_word = [&cur] {  // not the statement's last word, which is a name
    const token_kind next = cur.peek(1).kind;
    return next != token_kind::end && next != token_kind::semicolon;
  };
  fetch_request request;
  request.move = move;
  using dir = fetch_direction;
  if (cur.is("absolute") || cur.is("relative")) {
    request.direction = cur.is("absolute") ? dir::absolute : dir::relative;
    cur.next();
    if (!signed_count()) {
      cur.fail_here();
      return failed();
    }
    request.count = *count;
  } else if (cur.is("forward") || cur.is("backward")) {
    request.direction = cur.is("forward") ? dir::forward : dir::backward;
    cur.next();
    if (cur.accept("all")) {
      request.count = fetch_all;
    } else if (cur.is_op("+") || cur.is_op("-") || cur.peek().kind == token_kind::integer) {
      if (!signed_count()) {
        cur.fail_here();
        return failed();
      }
      request.count = *count;
    }
  } else if ((cur.is("next") || cur.is("prior") || cur.is("first") || cur.is("last") ||
              cur.is("all")) &&
             direction_word()) {
    if (cur.is("prior")) request.direction = dir::backward;
    if (cur.is("first")) request.direction = dir::absolute;
    if (cur.is("last")) request = {dir::absolute, -1, move};
    if (cur.is("all")) request.count = fetch_all;
    cur.next();
  } else if (cur.is_op("+") || cur.is_op("-") || cur.peek().kind == token_kind::integer) {
    if (!signed_count()) {
      cur.fail_here();
      return failed();
    }
    request.count = *count;
  }
  if (!cur.accept("from")) cur.accept("in");
  auto name = cur.name();
  if (!name || !cur.expect_end()) return failed();
  cursor_statement plan;
  plan.what = cursor_statement::kind::fetch;
  plan.name = *name;
  plan.fetch = request;
  return parsed(std::move(plan));
}

// DECLARE name [BINARY | ASENSITIVE | INSENSITIVE | [NO] SCROLL]... CURSOR
// [WITH | WITHOUT HOLD] FOR query: the query stays text, analysed when the cursor opens.
command_parse_result declare_statement(token_cursor& cur) {
  auto name = cur.name();
  if (!name) return failed();
  cursor_statement plan;
  plan.what = cursor_statement::kind::declare;
  plan.name = *name;
  while (!cur.is("cursor")) {
    if (cur.accept("binary")) {
      plan.binary = true;
    } else if (cur.accept("scroll")) {
      plan.scroll = true;
    } else if (cur.is("no") && cur.is("scroll", 1)) {
      cur.next();
      cur.next();
      plan.scroll = false;
    } else if (!cur.accept("asensitive") && !cur.accept("insensitive")) {
      cur.fail_here();
      return failed();
    }
  }
  cur.next();
  if (cur.is("with") || cur.is("without")) {
    plan.hold = cur.is("with");
    cur.next();
    if (!cur.accept("hold")) {
      cur.fail_here();
      return failed();
    }
  }
  // gram.y: a SelectStmt follows FOR.
  if (!cur.accept("for") || !(cur.is("select") || cur.is("with") || cur.is("values") ||
                              cur.is("table") || cur.peek().kind == token_kind::left_paren)) {
    cur.fail_here();
    return failed();
  }
  plan.query = std::string(cur.sql().substr(cur.peek().offset));
  plan.query_chars_in = cur.char_pos(cur.peek().offset) - 1;
  return parsed(std::move(plan));
}

command_parse_result listen_statement(token_cursor& cur, const char* tag, bool star) {
  if (star && cur.is_op("*")) {
    cur.next();
  } else {
    auto name = cur.name();
    if (!name) return failed();
  }
  if (std::string_view(tag) == "NOTIFY" && cur.accept(token_kind::comma)) {
    if (cur.peek().kind != token_kind::string) {
      cur.fail_here();
      return failed();
    }
    cur.next();
  }
  if (!cur.expect_end()) return failed();
  return utility(tag);
}

}  // namespace

command_parse_result parse_command(token_cursor& cur) {
  const token& first = cur.peek();
  if (first.kind != token_kind::identifier) return {};
  const std::string word = identifier_value(first);
  cur.next();
  if (word == "begin") return begin_statement(cur, false);
  if (word == "start") return begin_statement(cur, true);
  if (word == "commit") return commit_statement(cur, false);
  if (word == "end") return commit_statement(cur, true);
  if (word == "rollback") return rollback_statement(cur, false);
  if (word == "abort") return rollback_statement(cur, true);
  if (word == "savepoint") return savepoint_statement(cur, false);
  if (word == "release") return savepoint_statement(cur, true);
  if (word == "set") return set_statement(cur);
  if (word == "reset") return reset_statement(cur);
  if (word == "show") return show_statement(cur);
  if (word == "discard") return discard_statement(cur);
  if (word == "deallocate") return deallocate_statement(cur);
  if (word == "close") return close_statement(cur);
  if (word == "fetch") return fetch_statement(cur, false);
  if (word == "move") return fetch_statement(cur, true);
  if (word == "declare") return declare_statement(cur);
  if (word == "listen") return listen_statement(cur, "LISTEN", false);
  if (word == "unlisten") return listen_statement(cur, "UNLISTEN", true);
  if (word == "notify") return listen_statement(cur, "NOTIFY", false);
  if (word == "checkpoint") {
    if (!cur.expect_end()) return failed();
    utility_plan plan;
    plan.tag = "CHECKPOINT";
    plan.check = utility_check::superuser;
    return parsed(std::move(plan));
  }
  if (word == "prepare" && cur.is("transaction")) {
    cur.next();
    const token& t = cur.peek();
    if (t.kind != token_kind::string) {
      cur.fail_here();
      return failed();
    }
    cur.next();
    if (!cur.expect_end()) return failed();
    transaction_plan plan;
    plan.verb = transaction_verb::prepare_transaction;
    plan.tag = "PREPARE TRANSACTION";
    plan.name = string_value(t);
    return parsed(std::move(plan));
  }
  cur.rewind(0);
  return {};
}

std::string write_command_name(token_cursor& cur) {
  const token& first = cur.peek();
  if (first.kind != token_kind::identifier) return {};
  const std::string word = identifier_value(first);
  if (word == "insert" || word == "update" || word == "delete" || word == "merge" ||
      word == "grant" || word == "revoke" || word == "comment") {
    return upper(word);
  }
  if (word == "truncate") return "TRUNCATE TABLE";
  if (word == "copy") {
    for (std::size_t i = 1; cur.peek(i).kind != token_kind::end; ++i) {
      if (is_keyword(cur.peek(i), "from")) return "COPY FROM";
      if (is_keyword(cur.peek(i), "to")) return {};
    }
    return {};
  }
  if (word != "create" && word != "drop" && word != "alter") return {};
  std::size_t i = 1;
  if (word == "create" && cur.is("or", 1) && cur.is("replace", 2)) i = 3;
  static constexpr std::string_view modifiers[] = {
      "temp",      "temporary", "unlogged",   "global",  "local",     "unique",
      "recursive", "trusted",   "procedural", "default", "constraint"};
  for (bool more = true; more;) {
    more = false;
    for (auto m : modifiers) {
      if (is_keyword(cur.peek(i), m)) {
        ++i;
        more = true;
      }
    }
  }
  const token& object = cur.peek(i);
  if (object.kind != token_kind::identifier) return upper(word);
  std::string name = upper(word) + " " + upper(identifier_value(object));
  if (is_keyword(object, "materialized") || is_keyword(object, "foreign") ||
      is_keyword(object, "text") || is_keyword(object, "event")) {
    const token& second = cur.peek(i + 1);
    if (second.kind == token_kind::identifier) name += " " + upper(identifier_value(second));
  }
  if (is_keyword(object, "user")) name = upper(word) + " ROLE";
  return name;
}

}  // namespace fauxgres::responder
