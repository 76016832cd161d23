// See report.hpp.
#include "harness/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include <boost/json.hpp>

namespace fauxgres::harness {

namespace {

namespace json = boost::json;

std::string number(double v, int decimals = 2) {
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  }
  return buf;
}

std::string seconds(double ms) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f s", ms / 1000.0);
  return buf;
}

std::uint64_t count_at(const json::object& stats, std::string_view a, std::string_view b) {
  auto* o = stats.if_contains(a);
  if (!o || !o->is_object()) return 0;
  auto* v = o->get_object().if_contains(b);
  if (!v) return 0;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64()) return static_cast<std::uint64_t>(std::max<std::int64_t>(v->get_int64(), 0));
  return 0;
}

const json::array* events_of(const json::object& stats) {
  auto* v = stats.if_contains("events");
  return v ? v->if_array() : nullptr;
}

std::string text_of(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

double number_of(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (v->is_double()) return v->get_double();
  return 0;
}

std::string verdict_text(const run_record& r) {
  switch (r.exit()) {
    case exit_status::pass:
      return "PASS";
    case exit_status::expectation_failed:
      return "FAIL: an expectation did not hold";
    case exit_status::command_failed:
      return "FAIL: the command failed";
    case exit_status::command_timed_out:
      return "FAIL: the command timed out";
    case exit_status::command_not_started:
      return "FAIL: the command could not be started";
    default:
      return "FAIL";
  }
}

std::string outcome_line(const outcome& o) {
  std::string line = std::string(o.pass ? "PASS" : "FAIL") + "  " + o.what->text + "  (measured ";
  line += o.measured.value ? number(*o.measured.value) : "nothing";
  return line + "; " + o.measured.source + ")";
}

// --- HTML ---------------------------------------------------------------------------------

std::string escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// 1, 2 or 5 × 10^k: about `ticks` steps over `span`.
double nice_step(double span, int ticks) {
  if (span <= 0) return 1;
  const double raw = span / ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

const char* colour_of(std::string_view type) {
  static const char* palette[] = {"#d62728", "#ff7f0e", "#9467bd", "#8c564b",
                                  "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
  std::size_t h = 0;
  for (char c : type) h = h * 31 + static_cast<unsigned char>(c);
  return palette[h % (sizeof palette / sizeof palette[0])];
}

struct chart {
  double width = 960, height = 340;
  double left = 56, right = 24, top = 44, bottom = 44;
  double t_end = 1, y_max = 1;

  double x(double t_ms) const {
    return left + (width - left - right) * std::clamp(t_ms / t_end, 0.0, 1.0);
  }
  double y(double v) const { return height - bottom - (height - top - bottom) * (v / y_max); }
};

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

struct open_line {
  struct point {
    double t_ms = 0;
    std::uint64_t open = 0;
    std::uint64_t max_open = 0;
  };
  std::vector<point> points;
  std::string source;
};

// The server's own series of open connections (every change) when the stats have it, else
// the harness's samples.
open_line open_line_of(const run_record& r) {
  open_line out;
  const auto* series = r.stats.if_contains("open_connections");
  const auto* points =
      series && series->is_object() ? series->get_object().if_contains("points") : nullptr;
  if (points && points->is_array()) {
    for (const auto& v : points->get_array()) {
      const auto* p = v.if_array();
      if (!p || p->size() < 3) continue;
      auto num = [](const json::value& x) { return x.is_number() ? x.to_number<double>() : 0.0; };
      out.points.push_back({num((*p)[0]), static_cast<std::uint64_t>(num((*p)[1])),
                            static_cast<std::uint64_t>(num((*p)[2]))});
    }
    out.source = "server counter, every change";
    return out;
  }
  for (const auto& p : r.open_connections) out.points.push_back({p.t_ms, p.value, p.value});
  out.source = "sampled every 20 ms";
  return out;
}

std::string svg_timeline(const run_record& r) {
  chart c;
  c.t_end = std::max(1.0, r.end_ms);
  const open_line line = open_line_of(r);
  std::uint64_t top_value = count_at(r.stats, "connections", "peak");
  for (const auto& p : line.points) top_value = std::max(top_value, p.max_open);
  for (const auto& p : r.cap)
    if (p.limit) top_value = std::max(top_value, *p.limit);
  const double y_step = std::max(1.0, nice_step(static_cast<double>(top_value + 1), 5));
  c.y_max = std::max(1.0, std::ceil((static_cast<double>(top_value) + 1) / y_step) * y_step);

  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + fmt(c.width) + " " +
                  fmt(c.height) + "\" width=\"" + fmt(c.width) + "\" height=\"" + fmt(c.height) +
                  "\" role=\"img\" aria-label=\"open connections over time\">\n";
  s += "<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";
  // Grid and axes.
  const double x_step = nice_step(c.t_end, 10);
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(x_step / 1000.0))));
  for (double t = 0; t <= c.t_end + 1e-9; t += x_step) {
    s += "<line x1=\"" + fmt(c.x(t)) + "\" y1=\"" + fmt(c.top) + "\" x2=\"" + fmt(c.x(t)) +
         "\" y2=\"" + fmt(c.height - c.bottom) + "\" stroke=\"#eee\"/>\n";
    s += "<text x=\"" + fmt(c.x(t)) + "\" y=\"" + fmt(c.height - c.bottom + 16) +
         "\" font-size=\"11\" text-anchor=\"middle\">" + fixed(t / 1000.0, decimals) + "</text>\n";
  }
  for (double v = 0; v <= c.y_max + 1e-9; v += y_step) {
    s += "<line x1=\"" + fmt(c.left) + "\" y1=\"" + fmt(c.y(v)) + "\" x2=\"" +
         fmt(c.width - c.right) + "\" y2=\"" + fmt(c.y(v)) + "\" stroke=\"#eee\"/>\n";
    s += "<text x=\"" + fmt(c.left - 6) + "\" y=\"" + fmt(c.y(v) + 4) +
         "\" font-size=\"11\" text-anchor=\"end\">" + number(v) + "</text>\n";
  }
  s += "<text x=\"" + fmt((c.left + c.width - c.right) / 2) + "\" y=\"" + fmt(c.height - 8) +
       "\" font-size=\"12\" text-anchor=\"middle\">seconds since fauxgres started</text>\n";
  s += "<text x=\"14\" y=\"" + fmt((c.top + c.height - c.bottom) / 2) +
       "\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 " +
       fmt((c.top + c.height - c.bottom) / 2) + ")\">open connections</text>\n";
  s += "<line x1=\"" + fmt(c.left) + "\" y1=\"" + fmt(c.height - c.bottom) + "\" x2=\"" +
       fmt(c.width - c.right) + "\" y2=\"" + fmt(c.height - c.bottom) + "\" stroke=\"#333\"/>\n";
  s += "<line x1=\"" + fmt(c.left) + "\" y1=\"" + fmt(c.top) + "\" x2=\"" + fmt(c.left) +
       "\" y2=\"" + fmt(c.height - c.bottom) + "\" stroke=\"#333\"/>\n";

  // Timeline entries: vertical dashed lines.
  for (const auto& t : r.timeline) {
    if (!t.carried_out) continue;
    if (t.down_ms > 0) {
      const double x0 = c.x(t.t_ms);
      s += "<rect class=\"down\" x=\"" + fmt(x0) + "\" y=\"" + fmt(c.top) + "\" width=\"" +
           fmt(std::max(1.0, c.x(t.t_ms + t.down_ms) - x0)) + "\" height=\"" +
           fmt(c.height - c.bottom - c.top) + "\" fill=\"#999\" fill-opacity=\"0.15\"><title>" +
           escape(t.what) + ": connects refused</title></rect>\n";
    }
    s += "<line class=\"timeline\" x1=\"" + fmt(c.x(t.t_ms)) + "\" y1=\"" + fmt(c.top) +
         "\" x2=\"" + fmt(c.x(t.t_ms)) + "\" y2=\"" + fmt(c.height - c.bottom) +
         "\" stroke=\"#555\" stroke-dasharray=\"2 3\"><title>" + escape(seconds(t.t_ms)) + ": " +
         escape(t.what) + "</title></line>\n";
  }
  // The cap: a red dashed step line where a max_connections rule is present.
  for (std::size_t i = 0; i < r.cap.size(); ++i) {
    if (!r.cap[i].limit) continue;
    const double from = r.cap[i].t_ms;
    const double to = i + 1 < r.cap.size() ? r.cap[i + 1].t_ms : c.t_end;
    const double v = static_cast<double>(*r.cap[i].limit);
    s += "<line class=\"cap\" x1=\"" + fmt(c.x(from)) + "\" y1=\"" + fmt(c.y(v)) + "\" x2=\"" +
         fmt(c.x(to)) + "\" y2=\"" + fmt(c.y(v)) +
         "\" stroke=\"#d62728\" stroke-width=\"2\" stroke-dasharray=\"6 4\"><title>cap: "
         "max_connections limit " +
         number(v) + "</title></line>\n";
    if (i + 1 == r.cap.size() || !r.cap[i + 1].limit)
      s += "<text x=\"" + fmt(c.x(to) - 4) + "\" y=\"" + fmt(c.y(v) - 4) +
           "\" font-size=\"11\" text-anchor=\"end\" fill=\"#d62728\">cap " + number(v) +
           "</text>\n";
  }
  // The counters' peak, which sampling may miss.
  if (auto peak = count_at(r.stats, "connections", "peak")) {
    const double v = static_cast<double>(peak);
    s += "<line class=\"peak\" x1=\"" + fmt(c.left) + "\" y1=\"" + fmt(c.y(v)) + "\" x2=\"" +
         fmt(c.width - c.right) + "\" y2=\"" + fmt(c.y(v)) +
         "\" stroke=\"#1f77b4\" stroke-opacity=\"0.5\" stroke-dasharray=\"1 3\"><title>peak " +
         number(v) + " (server counter)</title></line>\n";
    s += "<text x=\"" + fmt(c.left + 4) + "\" y=\"" + fmt(c.y(v) - 4) +
         "\" font-size=\"11\" fill=\"#1f77b4\">peak " + number(v) + "</text>\n";
  }
  // Open connections: a step line, with a spike where a point's highest count was above
  // the count it ended with.
  {
    std::string d = "M" + fmt(c.x(0)) + "," + fmt(c.y(0));
    for (const auto& p : line.points) {
      d += " H" + fmt(c.x(p.t_ms));
      if (p.max_open > p.open) d += " V" + fmt(c.y(static_cast<double>(p.max_open)));
      d += " V" + fmt(c.y(static_cast<double>(p.open)));
    }
    d += " H" + fmt(c.x(c.t_end));
    s += "<path class=\"open\" d=\"" + d +
         "\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"><title>open connections (" +
         escape(line.source) + ")</title></path>\n";
  }
  // Fired faults: a marker each, in the band above the plot.
  if (const auto* events = events_of(r.stats)) {
    std::size_t drawn = 0;
    for (const auto& v : *events) {
      const auto* e = v.if_object();
      if (!e || ++drawn > 5000) continue;
      const double t = number_of(*e, "at_ms");
      const std::string type = text_of(*e, "type");
      const std::string title =
          seconds(t) + ": " + text_of(*e, "rule") + " (" + type + ") " + text_of(*e, "action") +
          (number_of(*e, "connection") > 0 ? ", connection " + number(number_of(*e, "connection"))
                                           : std::string());
      const double x = c.x(t);
      const double y = c.top - 14;
      s += "<path class=\"fault\" d=\"M" + fmt(x) + "," + fmt(y + 8) + " L" + fmt(x - 5) + "," +
           fmt(y - 2) + " L" + fmt(x + 5) + "," + fmt(y - 2) + " Z\" fill=\"" + colour_of(type) +
           "\" fill-opacity=\"0.8\"><title>" + escape(title) + "</title></path>\n";
    }
  }
  // Legend.
  double lx = c.left;
  auto legend = [&](const std::string& mark, const std::string& label) {
    s += "<g transform=\"translate(" + fmt(lx) + ",10)\">" + mark +
         "<text x=\"22\" y=\"9\" "
         "font-size=\"11\">" +
         escape(label) + "</text></g>\n";
    lx += 34 + 6.2 * static_cast<double>(label.size());
  };
  legend("<line x1=\"0\" y1=\"5\" x2=\"18\" y2=\"5\" stroke=\"#1f77b4\" stroke-width=\"2\"/>",
         "open connections");
  legend(
      "<line x1=\"0\" y1=\"5\" x2=\"18\" y2=\"5\" stroke=\"#d62728\" stroke-width=\"2\" "
      "stroke-dasharray=\"6 4\"/>",
      "cap (max_connections)");
  legend("<path d=\"M9,10 L4,0 L14,0 Z\" fill=\"#9467bd\"/>", "fired fault (hover)");
  legend("<line x1=\"9\" y1=\"0\" x2=\"9\" y2=\"12\" stroke=\"#555\" stroke-dasharray=\"2 3\"/>",
         "timeline entry");
  legend("<rect x=\"0\" y=\"0\" width=\"18\" height=\"11\" fill=\"#999\" fill-opacity=\"0.3\"/>",
         "down (restart/failover)");
  s += "</svg>\n";
  return s;
}

std::string html_table(const std::vector<std::string>& head,
                       const std::vector<std::vector<std::string>>& rows) {
  std::string s = "<table><tr>";
  for (const auto& h : head) s += "<th>" + escape(h) + "</th>";
  s += "</tr>\n";
  for (const auto& row : rows) {
    s += "<tr>";
    for (const auto& cell : row) s += "<td>" + cell + "</td>";
    s += "</tr>\n";
  }
  return s + "</table>\n";
}

}  // namespace

std::optional<int> command_result::status() const {
  if (exit_code) return *exit_code;
  if (signal) return 128 + *signal;
  return std::nullopt;
}

std::string command_result::describe() const {
  if (!started) return "could not be started: " + start_error;
  char buf[64];
  std::snprintf(buf, sizeof buf, " after %.2f s", seconds);
  std::string out;
  if (exit_code)
    out = "exited with " + std::to_string(*exit_code);
  else if (signal)
    out = "was killed by signal " + std::to_string(*signal);
  else
    out = "ended";
  out += buf;
  if (timed_out) out += " (killed at the --timeout)";
  return out;
}

bool run_record::expectations_hold() const {
  return std::all_of(outcomes.begin(), outcomes.end(), [](const outcome& o) { return o.pass; });
}

int run_record::exit() const {
  if (!command.started) return exit_status::command_not_started;
  if (command.timed_out) return exit_status::command_timed_out;
  if (judge_exit_code && command.status() != 0) return exit_status::command_failed;
  if (!expectations_hold() || timeline_errors > 0) return exit_status::expectation_failed;
  return exit_status::pass;
}

std::string render_summary(const run_record& r) {
  std::string s;
  const std::string p = "fauxgres run: ";
  if (!r.scenario.empty()) s += p + "scenario " + r.scenario + "\n";
  s += p + "command " + r.command.describe() + "\n";
  s += p + "connections: " + std::to_string(count_at(r.stats, "connections", "accepted")) +
       " accepted, " + std::to_string(count_at(r.stats, "connections", "logins")) +
       " logged in, peak " + std::to_string(count_at(r.stats, "connections", "peak")) +
       ", open at the end " + std::to_string(count_at(r.stats, "connections", "current")) + "\n";
  std::string fired;
  for (const auto& [name, n] : r.facts.fired)
    fired += (fired.empty() ? "" : ", ") + name + " " + std::to_string(n);
  s += p + "faults fired: " + (fired.empty() ? "none" : fired) + "\n";
  for (const auto& t : r.timeline)
    s += p + "timeline " + (t.carried_out ? seconds(t.t_ms) : "(not reached)") + ": " + t.what +
         "\n";
  if (!r.outcomes.empty()) {
    s += p + "expectations:\n";
    for (const auto& o : r.outcomes) s += "  " + outcome_line(o) + "\n";
  }
  std::size_t failed =
      std::count_if(r.outcomes.begin(), r.outcomes.end(), [](const outcome& o) { return !o.pass; });
  s += p + verdict_text(r);
  if (failed)
    s += " (" + std::to_string(failed) + " of " + std::to_string(r.outcomes.size()) +
         " expectations failed)";
  s += ", exit " + std::to_string(r.exit()) + "\n";
  return s;
}

std::string render_json(const run_record& r) {
  json::array expectations;
  for (const auto& o : r.outcomes) {
    json::object e{{"expect", o.what->text},
                   {"metric", o.what->metric_text()},
                   {"op", std::string(to_string(o.what->op))},
                   {"value", o.what->value},
                   {"source", o.measured.source},
                   {"pass", o.pass}};
    if (o.measured.value)
      e["measured"] = *o.measured.value;
    else
      e["measured"] = nullptr;
    expectations.push_back(std::move(e));
  }
  json::object command{{"argv", json::value_from(r.command.argv)},
                       {"started", r.command.started},
                       {"seconds", r.command.seconds},
                       {"timed_out", r.command.timed_out},
                       {"description", r.command.describe()}};
  command["exit_code"] = r.command.exit_code ? json::value(*r.command.exit_code) : nullptr;
  command["signal"] = r.command.signal ? json::value(*r.command.signal) : nullptr;
  json::array series;
  for (const auto& p : r.open_connections) series.push_back({{"t_ms", p.t_ms}, {"open", p.value}});
  json::array cap;
  for (const auto& p : r.cap) {
    json::object o{{"t_ms", p.t_ms}};
    o["limit"] = p.limit ? json::value(*p.limit) : nullptr;
    cap.push_back(std::move(o));
  }
  json::array timeline;
  for (const auto& t : r.timeline)
    timeline.push_back({{"t_ms", t.t_ms}, {"entry", t.what}, {"carried_out", t.carried_out}});
  json::object fired;
  for (const auto& [name, n] : r.facts.fired) {
    auto type = r.facts.rule_types.find(name);
    fired[name] = {{"type", type == r.facts.rule_types.end() ? "" : type->second}, {"count", n}};
  }
  json::value events = json::array();
  if (auto* e = r.stats.if_contains("events")) events = *e;
  json::object root{{"scenario", r.scenario},
                    {"description", r.description},
                    {"result", r.exit() == exit_status::pass ? "pass" : "fail"},
                    {"exit_status", r.exit()},
                    {"summary", verdict_text(r)},
                    {"command", std::move(command)},
                    {"expectations", std::move(expectations)},
                    {"fired", std::move(fired)},
                    {"timeline", std::move(timeline)},
                    {"open_connections", std::move(series)},
                    {"cap", std::move(cap)},
                    {"events", std::move(events)},
                    {"stats", r.stats},
                    {"end_ms", r.end_ms}};
  return json::serialize(root);
}

std::string render_html(const run_record& r) {
  const bool pass = r.exit() == exit_status::pass;
  std::string title = "fauxgres run" + (r.scenario.empty() ? "" : ": " + r.scenario);
  std::string s = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
                  escape(title) + "</title>\n<style>\n";
  s += "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1000px}"
       "table{border-collapse:collapse;margin:.5em 0 1.5em}"
       "td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;font-size:14px}"
       "th{background:#f4f4f4}.pass{color:#1a7f37;font-weight:bold}"
       ".fail{color:#cf222e;font-weight:bold}code{background:#f4f4f4;padding:0 .2em}"
       ".banner{font-size:1.3em;padding:.4em .8em;border-radius:4px;display:inline-block}"
       ".banner.pass{background:#dafbe1}.banner.fail{background:#ffebe9}\n";
  s += "</style></head><body>\n<h1>" + escape(title) + "</h1>\n";
  if (!r.description.empty()) s += "<p>" + escape(r.description) + "</p>\n";
  std::string argv;
  for (const auto& a : r.command.argv) argv += (argv.empty() ? "" : " ") + a;
  s += "<p>Command <code>" + escape(argv) + "</code> " + escape(r.command.describe()) + ".</p>\n";
  s += "<p class=\"banner " + std::string(pass ? "pass" : "fail") + "\">" +
       escape(verdict_text(r)) + " (exit " + std::to_string(r.exit()) + ")</p>\n";
  s += "<h2>Open connections over time</h2>\n" + svg_timeline(r);
  if (!r.outcomes.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& o : r.outcomes)
      rows.push_back(
          {std::string("<span class=\"") + (o.pass ? "pass\">PASS" : "fail\">FAIL") + "</span>",
           "<code>" + escape(o.what->text) + "</code>",
           o.measured.value ? escape(number(*o.measured.value)) : "not measured",
           escape(o.measured.source)});
    s += "<h2>Expectations</h2>\n" + html_table({"", "expectation", "measured", "from"}, rows);
  }
  std::vector<std::vector<std::string>> counts;
  for (const char* key : {"accepted", "logins", "peak", "current", "closed", "auth_failures"})
    counts.push_back({key, std::to_string(count_at(r.stats, "connections", key))});
  // Rejections by reason and errors by SQLSTATE, when the counters have them.
  auto per_key = [&](const json::value* map, const std::string& prefix) {
    if (!map || !map->is_object()) return;
    for (const auto& [key, n] : map->get_object())
      if (n.is_number())
        counts.push_back({escape(prefix + std::string(key)), number(n.to_number<double>())});
  };
  if (const auto* c = r.stats.if_contains("connections"); c && c->is_object())
    per_key(c->get_object().if_contains("rejected"), "rejected ");
  if (const auto* e = r.stats.if_contains("errors"); e && e->is_object())
    per_key(e->get_object().if_contains("by_sqlstate"), "errors ");
  s += "<h2>Connections</h2>\n" + html_table({"counter", "value"}, counts);
  std::vector<std::vector<std::string>> fired;
  for (const auto& [name, n] : r.facts.fired) {
    auto type = r.facts.rule_types.find(name);
    fired.push_back({escape(name), escape(type == r.facts.rule_types.end() ? "" : type->second),
                     std::to_string(n)});
  }
  if (!fired.empty()) s += "<h2>Faults fired</h2>\n" + html_table({"rule", "type", "fired"}, fired);
  if (!r.timeline.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : r.timeline)
      rows.push_back({t.carried_out ? escape(seconds(t.t_ms)) : "not reached", escape(t.what)});
    s += "<h2>Timeline</h2>\n" + html_table({"at", "entry"}, rows);
  }
  if (const auto* events = events_of(r.stats); events && !events->empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& v : *events) {
      const auto* e = v.if_object();
      if (!e) continue;
      if (rows.size() == 1000) break;
      rows.push_back({escape(seconds(number_of(*e, "at_ms"))), escape(text_of(*e, "rule")),
                      escape(text_of(*e, "type")), escape(text_of(*e, "hook")),
                      escape(text_of(*e, "action")), escape(number(number_of(*e, "connection")))});
    }
    s += "<h2>Fault events</h2>\n";
    if (events->size() > rows.size())
      s += "<p>The first " + std::to_string(rows.size()) + " of " + std::to_string(events->size()) +
           ".</p>\n";
    s += html_table({"at", "rule", "type", "hook", "action", "connection"}, rows);
  }
  return s + "</body></html>\n";
}

}  // namespace fauxgres::harness
