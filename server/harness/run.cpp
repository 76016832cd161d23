// See run.hpp. Everything here runs on the server's io_context thread: the command is
// spawned (posix_spawnp, its own process group, stdio inherited) and reaped on SIGCHLD;
// timers play the timeline, sample open connections and enforce --timeout.
#include "harness/run.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include "app/instance.hpp"
#include "config/server_config.hpp"
#include "harness/environment.hpp"
#include "harness/report.hpp"
#include "harness/run_options.hpp"
#include "harness/scenario.hpp"

extern char** environ;

namespace fauxgres::harness {

namespace {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds sample_every{20};
constexpr milliseconds settle_for{2000};  // at most, for connections to close after COMMAND
constexpr milliseconds kill_grace{1000};  // SIGTERM at the timeout, SIGKILL after this

void say(const std::string& text) {
  std::fprintf(stderr, "fauxgres run: %s\n", text.c_str());
}

double ms_of(milliseconds d) {
  return static_cast<double>(d.count());
}

std::string duration_text(milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + "s";
  return std::to_string(d.count()) + "ms";
}

// Where COMMAND connects, and as whom: the first TCP listener, else the first Unix socket;
// the first --user (and its password) and --database, else postgres.
std::vector<std::string> command_environment(app::instance& fauxgres) {
  net::server& server = fauxgres.server();
  const config::server_config& config = fauxgres.config();
  const endpoint where = server.client_endpoint();
  client_identity who;
  if (!config.users.empty()) {
    who.user = config.users.front().name;
    who.password = config.users.front().password;
  }
  if (!config.databases.empty()) who.database = config.databases.front();
  std::optional<std::string> api;  // the control API, when --api is given
  if (auto url = fauxgres.api_url(); !url.empty()) api = url;
  std::vector<std::string> base;
  for (char** e = environ; e && *e; ++e) base.emplace_back(*e);
  return apply_environment(base, client_environment(where, who, api));
}

class driver {
 public:
  driver(app::instance& fauxgres, const scenario& plan, const run_options& options)
      : server_(fauxgres.server()),
        io_(server_.io()),
        plan_(plan),
        options_(options),
        started_(clock::now() - server_.uptime()) {
    record_.scenario = options.scenario_file;
    record_.description = plan.description;
    record_.command.argv = options.command;
    record_.judge_exit_code =
        std::none_of(plan.expectations.begin(), plan.expectations.end(),
                     [](const expectation& e) { return e.metric == "command_exit_code"; });
    for (const auto& r : server_.rules().rules()) record_.facts.rule_types[r.name] = r.type;
  }

  // Spawns COMMAND and arms every timer; the io_context then runs until finish().
  void start(const std::vector<std::string>& environment) {
    child_signals_.async_wait([this](boost::system::error_code ec, int) { on_sigchld(ec); });
    stop_signals_.async_wait([this](boost::system::error_code ec, int sig) { on_stop(ec, sig); });
    note_cap();
    sample();
    if (!spawn(environment)) {
      finish();
      return;
    }
    arm_sampler();
    played_.assign(plan_.timeline.size(), false);
    arm_timeline(timeline_entry::base::start, started_);
    if (options_.timeout) {
      timeout_.expires_after(*options_.timeout);
      timeout_.async_wait([this](boost::system::error_code ec) {
        if (!ec) on_timeout();
      });
    }
  }

  run_record& record() { return record_; }

 private:
  // Timers for the timeline entries counted from `since`, which happened at `zero`.
  void arm_timeline(timeline_entry::base since, clock::time_point zero) {
    for (std::size_t i = 0; i < plan_.timeline.size(); ++i) {
      if (plan_.timeline[i].since != since) continue;
      auto timer = std::make_unique<asio::steady_timer>(io_, zero + plan_.timeline[i].at);
      timer->async_wait([this, i](boost::system::error_code ec) {
        if (!ec && !child_done_) play(i);
      });
      timeline_timers_.push_back(std::move(timer));
    }
  }

  bool spawn(const std::vector<std::string>& environment) {
    std::vector<char*> argv;
    for (const auto& a : options_.command) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const auto& e : environment) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int sig : {SIGCHLD, SIGINT, SIGTERM, SIGPIPE, SIGHUP}) sigaddset(&defaults, sig);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setpgroup(&attr, 0);  // its own group: a timeout kills its children too
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
    // Only stdin, stdout and stderr: a listening socket inherited by COMMAND would keep
    // its port (a restart could not listen again) and queue connections nobody accepts.
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addclosefrom_np(&files, 3);
    spawned_at_ = clock::now();
    const int rc = posix_spawnp(&pid_, argv[0], &files, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
      record_.command.start_error = options_.command.front() + ": " + std::strerror(rc);
      say("cannot run " + record_.command.start_error);
      child_done_ = true;
      return false;
    }
    record_.command.started = true;
    return true;
  }

  void on_sigchld(boost::system::error_code ec) {
    if (ec || child_done_) return;
    int status = 0;
    const pid_t got = ::waitpid(pid_, &status, WNOHANG);
    if (got == pid_) {
      child_exited(status);
      return;
    }
    child_signals_.async_wait([this](boost::system::error_code e, int) { on_sigchld(e); });
  }

  void child_exited(int status) {
    child_done_ = true;
    record_.command.seconds = std::chrono::duration<double>(clock::now() - spawned_at_).count();
    if (WIFEXITED(status)) record_.command.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) record_.command.signal = WTERMSIG(status);
    if (record_.command.timed_out) ::kill(-pid_, SIGKILL);  // what it left behind, too
    timeout_.cancel();
    kill_timer_.cancel();
    for (auto& t : timeline_timers_) t->cancel();
    sample();
    settle_deadline_ = clock::now() + settle_for;
    settle();
  }

  // Lets the server's connections go (the command's sockets close as it exits): polls
  // until none is open, at most settle_for.
  void settle() {
    if (server_.connections().empty() || clock::now() >= settle_deadline_) {
      finish();
      return;
    }
    settle_timer_.expires_after(sample_every);
    settle_timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) {
        sample();
        settle();
      }
    });
  }

  void on_stop(boost::system::error_code ec, int sig) {
    if (ec || child_done_) return;
    say("signal " + std::to_string(sig) + ": stopping the command");
    ::kill(-pid_, sig);
    stop_signals_.async_wait([this](boost::system::error_code e, int s) { on_stop(e, s); });
  }

  void on_timeout() {
    if (child_done_) return;
    record_.command.timed_out = true;
    say("the command ran past --timeout: killing it");
    ::kill(-pid_, SIGTERM);
    kill_timer_.expires_after(kill_grace);
    kill_timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec && !child_done_) ::kill(-pid_, SIGKILL);
    });
  }

  void arm_sampler() {
    sampler_.expires_after(sample_every);
    sampler_.async_wait([this](boost::system::error_code ec) {
      if (ec || finished_) return;
      sample();
      arm_sampler();
    });
  }

  // Open connections now (a point when the count changed); the first login starts the
  // timeline entries counted from it.
  void sample() {
    if (!login_seen_ && server_.stats().logins > 0 && !child_done_) {
      login_seen_ = true;
      arm_timeline(timeline_entry::base::first_login, clock::now());
    }
    const std::uint64_t open = server_.connections().size();
    auto& series = record_.open_connections;
    if (series.empty() || series.back().value != open)
      series.push_back({ms_of(server_.uptime()), open});
  }

  // The connection cap: the lowest `limit` of the max_connections rules present.
  void note_cap() {
    std::optional<std::uint64_t> cap;
    for (const auto& r : server_.rules().rules()) {
      if (r.type != "max_connections") continue;
      auto limit = r.attributes.find("limit");
      if (limit == r.attributes.end()) continue;
      try {
        const std::uint64_t n = std::stoull(limit->second);
        cap = cap ? std::min(*cap, n) : n;
      } catch (const std::exception&) {
      }
    }
    auto& caps = record_.cap;
    const double now = caps.empty() ? 0.0 : ms_of(server_.uptime());  // the first: from start
    if (caps.empty() || caps.back().limit != cap) caps.push_back({now, cap});
  }

  void play(std::size_t index) {
    const timeline_entry& e = plan_.timeline[index];
    played_[index] = true;
    const auto now = server_.uptime();
    std::string what = e.describe();
    auto& rules = server_.rules();
    try {
      switch (e.what) {
        case timeline_entry::kind::add:
          rules.add_rule(e.rule);
          record_.facts.rule_types[e.name] = e.rule.type;
          server_.rules_changed();
          break;
        case timeline_entry::kind::remove:
          removed_fired_[e.name] += rules.fired(e.name);
          rules.remove_rule(e.name);
          server_.rules_changed();
          break;
        case timeline_entry::kind::action:
          rules.record_action("scenario", e.action, now, what);
          ++record_.facts.actions[std::string(faults::to_string(e.action))];
          run_action(e);
          break;
      }
    } catch (const std::exception& ex) {
      what += " failed: " + std::string(ex.what());
      ++record_.timeline_errors;
    }
    say("timeline: " + what);
    using action = faults::server_action::kind;
    const bool down = e.what == timeline_entry::kind::action &&
                      (e.action == action::restart || e.action == action::failover);
    record_.timeline.push_back({ms_of(now), what, true, down ? ms_of(e.duration) : 0.0});
    note_cap();
    sample();
  }

  void run_action(const timeline_entry& e) {
    using kind = faults::server_action::kind;
    switch (e.action) {
      case kind::kill_all:
        return server_.kill_all("scenario");
      case kind::restart:
        return server_.restart(e.duration, "scenario");
      case kind::shutdown:
        return server_.shutdown_smart("scenario");
      case kind::failover:
        return server_.failover(e.duration, "scenario");
    }
  }

  // The run is over: measure, then stop the server and leave the io_context.
  void finish() {
    if (finished_) return;
    finished_ = true;
    sample();
    record_.end_ms = ms_of(server_.uptime());
    for (std::size_t i = 0; i < plan_.timeline.size(); ++i) {
      if (i < played_.size() && played_[i]) continue;
      const auto& e = plan_.timeline[i];
      const bool after_login = e.since == timeline_entry::base::first_login;
      record_.timeline.push_back({ms_of(e.at),
                                  e.describe() + " (due " + duration_text(e.at) +
                                      (after_login ? " after the first login" : "") + ")",
                                  false});
    }
    boost::system::error_code ec;
    auto parsed = boost::json::parse(server_.stats_json(), ec);
    if (!ec && parsed.is_object()) record_.stats = parsed.get_object();
    auto& facts = record_.facts;
    facts.stats = record_.stats;
    facts.command_exit_code = record_.command.status();
    facts.command_seconds = record_.command.seconds;
    // Fired counts: the stats' `fired` for the rules there at the end (the API may have
    // added some), plus what removed rules had fired before the timeline removed them.
    for (const auto& r : server_.rules().rules()) facts.rule_types[r.name] = r.type;
    const auto* fired = record_.stats.if_contains("fired");
    for (const auto& [name, type] : facts.rule_types) {
      const auto* n = fired && fired->is_object() ? fired->get_object().if_contains(name) : nullptr;
      facts.fired[name] = n && n->is_number() ? n->to_number<std::uint64_t>() : 0;
    }
    for (const auto& [name, n] : removed_fired_) facts.fired[name] += n;
    record_.outcomes = evaluate(plan_.expectations, facts);
    sampler_.cancel();
    settle_timer_.cancel();
    timeout_.cancel();
    kill_timer_.cancel();
    for (auto& t : timeline_timers_) t->cancel();
    child_signals_.cancel(ec);
    stop_signals_.cancel(ec);
    server_.shutdown_fast();
    // The server's sessions end on their own; anything else on the io_context (the
    // control API) is stopped once they have, or after settle_for.
    settle_deadline_ = clock::now() + settle_for;
    drain();
  }

  void drain() {
    if (server_.connections().empty() || clock::now() >= settle_deadline_) {
      io_.stop();
      return;
    }
    settle_timer_.expires_after(sample_every);
    settle_timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) drain();
    });
  }

  net::server& server_;
  asio::io_context& io_;
  const scenario& plan_;
  const run_options& options_;
  clock::time_point started_;
  clock::time_point spawned_at_;
  clock::time_point settle_deadline_;
  run_record record_;
  std::map<std::string, std::uint64_t> removed_fired_;
  std::vector<bool> played_;
  pid_t pid_ = 0;
  bool login_seen_ = false;
  bool child_done_ = false;
  bool finished_ = false;
  asio::signal_set child_signals_{io_, SIGCHLD};
  asio::signal_set stop_signals_{io_, SIGINT, SIGTERM};
  asio::steady_timer sampler_{io_};
  asio::steady_timer timeout_{io_};
  asio::steady_timer kill_timer_{io_};
  asio::steady_timer settle_timer_{io_};
  std::vector<std::unique_ptr<asio::steady_timer>> timeline_timers_;
};

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  return static_cast<bool>(out);
}

}  // namespace

int run_main(const std::vector<std::string>& args) {
  run_options options;
  scenario plan;
  config::server_config config;
  try {
    options = parse_run_options(args);
    if (options.help) {
      std::fputs(run_usage().c_str(), stdout);
      return exit_status::pass;
    }
    std::vector<const char*> argv{"fauxgres"};
    for (const auto& a : options.server_args) argv.push_back(a.c_str());
    auto command = config::parse_command_line(static_cast<int>(argv.size()), argv.data());
    if (command.what != config::command_line::action::run) {
      std::fputs(command.text.c_str(), stdout);
      return exit_status::pass;
    }
    config = std::move(command.config);
    if (!options.scenario_file.empty()) {
      plan = load_scenario(options.scenario_file);
      config.fault_entries.insert(config.fault_entries.end(), plan.faults.begin(),
                                  plan.faults.end());
    }
    // The rules the server will start with, named as its engine names them.
    faults::engine named(faults::rules_from_config(config), 0);
    std::vector<std::pair<std::string, std::string>> initial;
    for (const auto& r : named.rules()) initial.emplace_back(r.name, r.type);
    check_scenario(plan, initial);
  } catch (const config::error& e) {
    say(e.what());
    return exit_status::bad_usage;
  }

  std::unique_ptr<app::instance> fauxgres;
  try {
    fauxgres = std::make_unique<app::instance>(std::move(config));
  } catch (const config::error& e) {
    say(e.what());
    return exit_status::bad_usage;
  } catch (const std::exception& e) {
    say(e.what());
    return exit_status::server_failed;
  }
  auto& server = fauxgres->server();
  server.keep_running_after_shutdown(true);  // a scenario's `shutdown` must not end the run
  say(fauxgres->ready_line());
  int status = exit_status::pass;
  {
    driver run(*fauxgres, plan, options);
    run.start(command_environment(*fauxgres));
    fauxgres->run();
    const run_record& r = run.record();
    std::fputs(render_summary(r).c_str(), stderr);
    status = r.exit();
    if (!options.report_file.empty()) {
      const bool html = format_of(options.report_file) == report_format::html;
      if (!write_file(options.report_file, html ? render_html(r) : render_json(r))) {
        say("cannot write --report " + options.report_file);
        if (status == exit_status::pass) status = exit_status::server_failed;
      } else {
        say("report written to " + options.report_file);
      }
    }
  }
  if (!fauxgres->write_stats_file() && status == exit_status::pass)
    status = exit_status::server_failed;
  return status;
}

}  // namespace fauxgres::harness
