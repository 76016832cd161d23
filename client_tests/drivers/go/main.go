// Go driver probes for the real-driver suite: lib/pq, pgx v4 (native + pgxpool), pgx v4
// stdlib and GORM v1, in one binary built once in GOPATH mode. Usage: probe DRIVER.
// The target comes from PROBE_* variables (see ../run_drivers.py); one JSON object per step
// goes to stdout.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"
)

var steps = []string{"connect", "select1", "param", "repeat7", "txn", "error", "ping", "close"}

const stepTimeout = 15 * time.Second

type target struct {
	host, port, unixDir, unixPort, db, user, password string
	forms                                             []string
}

func mustEnv(name string) string {
	v, ok := os.LookupEnv(name)
	if !ok {
		fmt.Fprintf(os.Stderr, "probe: %s is not set\n", name)
		os.Exit(2)
	}
	return v
}

func loadTarget() target {
	t := target{host: mustEnv("PROBE_HOST"), port: mustEnv("PROBE_PORT"),
		unixDir: mustEnv("PROBE_UNIX_DIR"), unixPort: mustEnv("PROBE_UNIX_PORT"),
		db: mustEnv("PROBE_DB"), user: mustEnv("PROBE_USER"), password: mustEnv("PROBE_PASSWORD")}
	forms := os.Getenv("PROBE_FORMS")
	if forms == "" {
		forms = "url,keyword,unix"
	}
	for _, f := range strings.Split(forms, ",") {
		if f != "" {
			t.forms = append(t.forms, f)
		}
	}
	return t
}

// url returns postgres://user:password@host:port/db with the password percent-encoded.
func (t target) url(query string) string {
	u := url.URL{Scheme: "postgres", User: url.UserPassword(t.user, t.password),
		Host: t.host + ":" + t.port, Path: "/" + t.db, RawQuery: query}
	return u.String()
}

func quoteKeyword(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// dsn returns the connection string for a form; extra is appended (keyword form) or added
// as URL query parameters (url form).
func (t target) dsn(form string, extra map[string]string) string {
	var kv []string
	q := url.Values{}
	for k, v := range extra {
		kv = append(kv, k+"="+v)
		q.Set(k, v)
	}
	switch form {
	case "url":
		return t.url(q.Encode())
	case "keyword":
		return strings.Join(append([]string{"host=" + t.host, "port=" + t.port, "user=" + t.user,
			"password=" + quoteKeyword(t.password), "dbname=" + t.db}, kv...), " ")
	default:
		return strings.Join(append([]string{"host=" + t.unixDir, "port=" + t.unixPort,
			"user=" + t.user, "dbname=" + t.db}, kv...), " ")
	}
}

type reporter struct {
	driver string
	enc    *json.Encoder
}

func (r *reporter) emit(form, step string, ok interface{}, detail string) {
	if len(detail) > 800 {
		detail = detail[:800]
	}
	_ = r.enc.Encode(map[string]interface{}{"driver": r.driver, "form": form, "step": step,
		"ok": ok, "detail": strings.Join(strings.Fields(detail), " ")})
}

type stepFn func(ctx context.Context) (string, error)

// runForm runs the steps in order. After a failed connect the rest are reported failed as
// not run and cleanup (if any) runs instead of close.
func runForm(r *reporter, form string, fns map[string]stepFn, na map[string]string, cleanup func()) {
	connected := true
	for _, step := range steps {
		if reason, ok := na[step]; ok {
			r.emit(form, step, "n/a", reason)
			continue
		}
		if !connected {
			r.emit(form, step, false, "not run: connect failed")
			continue
		}
		detail, err := runStep(fns[step])
		if err != nil {
			r.emit(form, step, false, err.Error())
			if step == "connect" {
				connected = false
			}
		} else {
			r.emit(form, step, true, detail)
		}
	}
	if !connected && cleanup != nil {
		cleanup()
	}
}

func runStep(fn stepFn) (detail string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	return fn(ctx)
}

func expectInt(got int64, want int64, what string) error {
	if got != want {
		return fmt.Errorf("%s: expected %d, got %d", what, want, got)
	}
	return nil
}

// expectSQLState checks that err carries SQLSTATE want (lib/pq *pq.Error and pgconn
// *PgError both have SQLState()).
func expectSQLState(err error, want, what string) (string, error) {
	if err == nil {
		return "", fmt.Errorf("%s: expected SQLSTATE %s, got no error", what, want)
	}
	var coded interface{ SQLState() string }
	if !errors.As(err, &coded) {
		return "", fmt.Errorf("%s: expected SQLSTATE %s, got %T: %v", what, want, err, err)
	}
	if coded.SQLState() != want {
		return "", fmt.Errorf("%s: expected SQLSTATE %s, got %s: %v", what, want, coded.SQLState(), err)
	}
	return fmt.Sprintf("%s: %s", what, want), nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: probe lib/pq|pgx|pgx-stdlib|gorm")
		os.Exit(2)
	}
	t := loadTarget()
	r := &reporter{driver: os.Args[1], enc: json.NewEncoder(os.Stdout)}
	probes := map[string]func(*reporter, target, string){
		"lib/pq": probeLibPQ, "pgx": probePgx, "pgx-stdlib": probePgxStdlib, "gorm": probeGorm,
	}
	probe, ok := probes[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "unknown driver %q\n", os.Args[1])
		os.Exit(2)
	}
	for _, form := range t.forms {
		probe(r, t, form)
	}
}
