/* libpq driver probe for the real-driver suite: runs the suite's steps through libpq's C API
 * (PQconnectdb, PQexec, PQexecParams, PQprepare/PQexecPrepared, PQping) for each connection
 * form and prints one JSON object per step. Target from PROBE_* variables (run_drivers.py). */
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DETAIL_MAX 600

typedef struct {
  const char *host, *port, *unix_dir, *unix_port, *db, *user, *password;
} target;

static const char* steps[] = {"connect", "select1", "param", "repeat7",
                              "txn",     "error",   "ping",  "close"};
enum { n_steps = sizeof steps / sizeof steps[0] };

static const char* env_or_die(const char* name) {
  const char* value = getenv(name);
  if (!value) {
    fprintf(stderr, "libpq_probe: %s is not set\n", name);
    exit(2);
  }
  return value;
}

static void json_string(const char* s) {
  putchar('"');
  for (; *s; ++s) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      printf("\\%c", c);
    else if (c < 0x20)
      printf("\\u%04x", c);
    else
      putchar(c);
  }
  putchar('"');
}

static void report(const char* form, const char* step, const char* ok, const char* detail) {
  printf("{\"driver\": \"libpq\", \"form\": ");
  json_string(form);
  printf(", \"step\": ");
  json_string(step);
  printf(", \"ok\": %s, \"detail\": ", ok);
  json_string(detail);
  printf("}\n");
  fflush(stdout);
}

/* A step's failure message; formatted into the buffer given by the step. */
static int fail(char* detail, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail, DETAIL_MAX, fmt, ap);
  va_end(ap);
  for (char* p = detail; *p; ++p)
    if (*p == '\n') *p = ' ';
  return 0;
}

/* Checks a one-row, one-column result equal to `want`; clears the result. */
static int expect_value(PGresult* res, const char* what, const char* want, char* detail) {
  int ok;
  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    ok = fail(detail, "%s: %s %s", what, PQresStatus(PQresultStatus(res)),
              PQresultErrorMessage(res));
  } else if (PQntuples(res) != 1 || PQnfields(res) != 1) {
    ok = fail(detail, "%s: expected 1 row x 1 column, got %d x %d", what, PQntuples(res),
              PQnfields(res));
  } else if (strcmp(PQgetvalue(res, 0, 0), want) != 0) {
    ok = fail(detail, "%s: expected %s, got %s", what, want, PQgetvalue(res, 0, 0));
  } else {
    ok = 1;
  }
  PQclear(res);
  return ok;
}

static int expect_command(PGresult* res, const char* what, const char* tag, char* detail) {
  int ok;
  if (PQresultStatus(res) != PGRES_COMMAND_OK)
    ok = fail(detail, "%s: %s %s", what, PQresStatus(PQresultStatus(res)),
              PQresultErrorMessage(res));
  else if (strcmp(PQcmdStatus(res), tag) != 0)
    ok = fail(detail, "%s: expected tag %s, got %s", what, tag, PQcmdStatus(res));
  else
    ok = 1;
  PQclear(res);
  return ok;
}

static int expect_sqlstate(PGresult* res, const char* what, const char* want, char* detail) {
  const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  int ok;
  if (PQresultStatus(res) != PGRES_FATAL_ERROR)
    ok = fail(detail, "%s: expected an error, got %s", what, PQresStatus(PQresultStatus(res)));
  else if (!state || strcmp(state, want) != 0)
    ok = fail(detail, "%s: expected SQLSTATE %s, got %s (%s)", what, want, state ? state : "none",
              PQresultErrorMessage(res));
  else
    ok = 1;
  PQclear(res);
  return ok;
}

static const char* txn_status_name(PGTransactionStatusType s) {
  switch (s) {
    case PQTRANS_IDLE:
      return "idle";
    case PQTRANS_ACTIVE:
      return "active";
    case PQTRANS_INTRANS:
      return "intrans";
    case PQTRANS_INERROR:
      return "inerror";
    default:
      return "unknown";
  }
}

static int expect_txn_status(PGconn* conn, PGTransactionStatusType want, const char* what,
                             char* detail) {
  PGTransactionStatusType got = PQtransactionStatus(conn);
  if (got != want)
    return fail(detail, "%s: transaction status %s, expected %s", what, txn_status_name(got),
                txn_status_name(want));
  return 1;
}

static int add_one(PGconn* conn, int value, int prepared, char* detail) {
  char in[16], want[16], what[64];
  const char* values[1] = {in};
  snprintf(in, sizeof in, "%d", value);
  snprintf(want, sizeof want, "%d", value + 1);
  snprintf(what, sizeof what, "SELECT $1::int + 1 (%d)", value);
  PGresult* res = prepared
                      ? PQexecPrepared(conn, "probe_add_one", 1, values, NULL, NULL, 0)
                      : PQexecParams(conn, "SELECT $1::int + 1", 1, NULL, values, NULL, NULL, 0);
  return expect_value(res, what, want, detail);
}

static int step_select1(PGconn* conn, char* detail) {
  if (!expect_value(PQexec(conn, "SELECT 1"), "SELECT 1", "1", detail)) return 0;
  snprintf(detail, DETAIL_MAX, "1");
  return 1;
}

static int step_param(PGconn* conn, char* detail) {
  if (!add_one(conn, 41, 0, detail)) return 0;
  snprintf(detail, DETAIL_MAX, "PQexecParams: 42");
  return 1;
}

static int step_repeat7(PGconn* conn, char* detail) {
  PGresult* res = PQprepare(conn, "probe_add_one", "SELECT $1::int + 1", 1, NULL);
  if (!expect_command(res, "PQprepare", "", detail)) return 0;
  for (int i = 0; i < 7; ++i)
    if (!add_one(conn, 100 + i, 1, detail)) return 0;
  snprintf(detail, DETAIL_MAX, "PQprepare + 7 PQexecPrepared");
  return 1;
}

static int step_txn(PGconn* conn, char* detail) {
  if (!expect_command(PQexec(conn, "BEGIN"), "BEGIN", "BEGIN", detail)) return 0;
  if (!expect_txn_status(conn, PQTRANS_INTRANS, "after BEGIN", detail)) return 0;
  if (!expect_value(PQexec(conn, "SELECT 2"), "SELECT 2", "2", detail)) return 0;
  if (!expect_command(PQexec(conn, "COMMIT"), "COMMIT", "COMMIT", detail)) return 0;
  if (!expect_txn_status(conn, PQTRANS_IDLE, "after COMMIT", detail)) return 0;
  snprintf(detail, DETAIL_MAX, "BEGIN/SELECT 2/COMMIT");
  return 1;
}

static int step_error(PGconn* conn, char* detail) {
  if (!expect_sqlstate(PQexec(conn, "SELECT 1/0"), "SELECT 1/0", "22012", detail)) return 0;
  if (!expect_txn_status(conn, PQTRANS_IDLE, "after the error", detail)) return 0;
  if (!expect_value(PQexec(conn, "SELECT 1"), "SELECT 1 after the error", "1", detail)) return 0;
  if (!expect_command(PQexec(conn, "BEGIN"), "BEGIN", "BEGIN", detail)) return 0;
  /* extended protocol this time (PQexecParams): the error must discard up to Sync */
  PGresult* res = PQexecParams(conn, "SELECT 1/0", 0, NULL, NULL, NULL, NULL, 0);
  if (!expect_sqlstate(res, "SELECT 1/0 (PQexecParams) in transaction", "22012", detail)) return 0;
  if (!expect_txn_status(conn, PQTRANS_INERROR, "after the error in transaction", detail)) return 0;
  if (!expect_sqlstate(PQexec(conn, "SELECT 1"), "SELECT 1 in the failed transaction", "25P02",
                       detail))
    return 0;
  if (!expect_command(PQexec(conn, "ROLLBACK"), "ROLLBACK", "ROLLBACK", detail)) return 0;
  if (!expect_txn_status(conn, PQTRANS_IDLE, "after ROLLBACK", detail)) return 0;
  if (!expect_value(PQexec(conn, "SELECT 1"), "SELECT 1 after ROLLBACK", "1", detail)) return 0;
  snprintf(detail, DETAIL_MAX, "22012; in transaction: 22012, 25P02, ROLLBACK, works");
  return 1;
}

static int step_ping(const char* conninfo, char* detail) {
  PGPing p = PQping(conninfo);
  static const char* names[] = {"PQPING_OK", "PQPING_REJECT", "PQPING_NO_RESPONSE",
                                "PQPING_NO_ATTEMPT"};
  if (p != PQPING_OK) return fail(detail, "PQping: %s", names[p]);
  snprintf(detail, DETAIL_MAX, "PQping: PQPING_OK");
  return 1;
}

static void conninfo_for(const target* t, const char* form, char* out, size_t size) {
  if (strcmp(form, "url") == 0) {
    /* percent-encode the password: libpq rejects '@', ':', '/', '%' raw in a URL */
    char enc[256] = "";
    size_t n = 0;
    for (const unsigned char* p = (const unsigned char*)t->password; *p && n + 4 < sizeof enc;
         ++p) {
      if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          strchr("-._~", *p))
        enc[n++] = (char)*p;
      else
        n += (size_t)snprintf(enc + n, sizeof enc - n, "%%%02X", *p);
    }
    enc[n] = '\0';
    snprintf(out, size, "postgresql://%s:%s@%s:%s/%s?connect_timeout=10", t->user, enc, t->host,
             t->port, t->db);
  } else if (strcmp(form, "keyword") == 0) {
    char quoted[256];
    size_t n = 0;
    quoted[n++] = '\'';
    for (const char* p = t->password; *p && n + 3 < sizeof quoted; ++p) {
      if (*p == '\'' || *p == '\\') quoted[n++] = '\\';
      quoted[n++] = *p;
    }
    quoted[n++] = '\'';
    quoted[n] = '\0';
    snprintf(out, size, "host=%s port=%s user=%s password=%s dbname=%s connect_timeout=10", t->host,
             t->port, t->user, quoted, t->db);
  } else {
    snprintf(out, size, "host=%s port=%s user=%s dbname=%s connect_timeout=10", t->unix_dir,
             t->unix_port, t->user, t->db);
  }
}

static void probe_form(const target* t, const char* form) {
  char conninfo[1024], detail[DETAIL_MAX];
  conninfo_for(t, form, conninfo, sizeof conninfo);
  PGconn* conn = PQconnectdb(conninfo);
  if (PQstatus(conn) != CONNECTION_OK) {
    fail(detail, "%s", PQerrorMessage(conn));
    report(form, "connect", "false", detail);
    for (int i = 1; i < n_steps; ++i) report(form, steps[i], "false", "not run: connect failed");
    PQfinish(conn);
    return;
  }
  snprintf(detail, DETAIL_MAX, "server_version %s, protocol %d",
           PQparameterStatus(conn, "server_version") ? PQparameterStatus(conn, "server_version")
                                                     : "(none)",
           PQprotocolVersion(conn));
  report(form, "connect", "true", detail);
  int (*conn_steps[])(PGconn*, char*) = {step_select1, step_param, step_repeat7, step_txn,
                                         step_error};
  for (int i = 0; i < 5; ++i) {
    detail[0] = '\0';
    int ok = conn_steps[i](conn, detail);
    report(form, steps[i + 1], ok ? "true" : "false", detail);
    if (!ok && PQtransactionStatus(conn) != PQTRANS_IDLE) PQclear(PQexec(conn, "ROLLBACK"));
  }
  int ok = step_ping(conninfo, detail);
  report(form, "ping", ok ? "true" : "false", detail);
  ConnStatusType before = PQstatus(conn);
  PQfinish(conn);
  if (before == CONNECTION_OK)
    report(form, "close", "true", "PQfinish (Terminate)");
  else
    report(form, "close", "false", "connection was already bad before PQfinish");
}

int main(void) {
  target t = {env_or_die("PROBE_HOST"),      env_or_die("PROBE_PORT"), env_or_die("PROBE_UNIX_DIR"),
              env_or_die("PROBE_UNIX_PORT"), env_or_die("PROBE_DB"),   env_or_die("PROBE_USER"),
              env_or_die("PROBE_PASSWORD")};
  const char* forms = getenv("PROBE_FORMS");
  char list[64];
  snprintf(list, sizeof list, "%s", forms && *forms ? forms : "url,keyword,unix");
  for (char *save = NULL, *form = strtok_r(list, ",", &save); form;
       form = strtok_r(NULL, ",", &save))
    probe_form(&t, form);
  return 0;
}
