// database/sql probes: lib/pq and pgx stdlib share the steps; only the DSN differs.
package main

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v4/stdlib"
	_ "github.com/lib/pq"
)

func probeLibPQ(r *reporter, t target, form string) {
	// lib/pq's default sslmode is require: without TLS on the server it must be disabled.
	probeSQLDB(r, t, form, "postgres", t.dsn(form, map[string]string{"sslmode": "disable",
		"connect_timeout": "10"}))
}

func probePgxStdlib(r *reporter, t target, form string) {
	probeSQLDB(r, t, form, "pgx", t.dsn(form, map[string]string{"connect_timeout": "10"}))
}

func queryInt(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...interface{}) *sql.Row
}, query string, args ...interface{}) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, query, args...).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", query, err)
	}
	return v, nil
}

func probeSQLDB(r *reporter, t target, form, driverName, dsn string) {
	var db *sql.DB
	var conn *sql.Conn
	fns := map[string]stepFn{
		"connect": func(ctx context.Context) (string, error) {
			var err error
			if db, err = sql.Open(driverName, dsn); err != nil {
				return "", err
			}
			db.SetMaxOpenConns(2)
			if conn, err = db.Conn(ctx); err != nil {
				return "", err
			}
			return "db.Conn", nil
		},
		"select1": func(ctx context.Context) (string, error) {
			v, err := queryInt(ctx, conn, "SELECT 1")
			if err != nil {
				return "", err
			}
			return "1", expectInt(v, 1, "SELECT 1")
		},
		"param": func(ctx context.Context) (string, error) {
			v, err := queryInt(ctx, conn, "SELECT $1::int + 1", 41)
			if err != nil {
				return "", err
			}
			return "42", expectInt(v, 42, "SELECT $1::int + 1 (41)")
		},
		"repeat7": func(ctx context.Context) (string, error) {
			for i := 0; i < 7; i++ {
				v, err := queryInt(ctx, conn, "SELECT $1::int + 1", 100+i)
				if err != nil {
					return "", err
				}
				if err := expectInt(v, int64(101+i), fmt.Sprintf("run %d", i+1)); err != nil {
					return "", err
				}
			}
			stmt, err := conn.PrepareContext(ctx, "SELECT $1::int + 1")
			if err != nil {
				return "", fmt.Errorf("Prepare: %w", err)
			}
			for i := 0; i < 7; i++ {
				var v int64
				if err := stmt.QueryRowContext(ctx, 200+i).Scan(&v); err != nil {
					stmt.Close()
					return "", fmt.Errorf("prepared run %d: %w", i+1, err)
				}
				if err := expectInt(v, int64(201+i), fmt.Sprintf("prepared run %d", i+1)); err != nil {
					stmt.Close()
					return "", err
				}
			}
			if err := stmt.Close(); err != nil {
				return "", fmt.Errorf("Stmt.Close: %w", err)
			}
			// the connection must still work after the statement was closed
			v, err := queryInt(ctx, conn, "SELECT 1")
			if err != nil {
				return "", fmt.Errorf("after Stmt.Close: %w", err)
			}
			return "7 runs + Prepare/7 runs/Close", expectInt(v, 1, "SELECT 1 after Stmt.Close")
		},
		"txn": func(ctx context.Context) (string, error) {
			tx, err := conn.BeginTx(ctx, nil)
			if err != nil {
				return "", fmt.Errorf("BeginTx: %w", err)
			}
			v, err := queryInt(ctx, tx, "SELECT 2")
			if err != nil {
				tx.Rollback()
				return "", err
			}
			if err := expectInt(v, 2, "SELECT 2 in transaction"); err != nil {
				tx.Rollback()
				return "", err
			}
			if err := tx.Commit(); err != nil {
				return "", fmt.Errorf("Commit: %w", err)
			}
			return "BeginTx/SELECT 2/Commit", nil
		},
		"error": func(ctx context.Context) (string, error) {
			_, err := queryInt(ctx, conn, "SELECT 1/0")
			note1, err := expectSQLState(err, "22012", "outside a transaction")
			if err != nil {
				return "", err
			}
			v, err := queryInt(ctx, conn, "SELECT 1")
			if err != nil {
				return "", fmt.Errorf("after the error: %w", err)
			}
			if err := expectInt(v, 1, "SELECT 1 after the error"); err != nil {
				return "", err
			}
			tx, err := conn.BeginTx(ctx, nil)
			if err != nil {
				return "", fmt.Errorf("BeginTx: %w", err)
			}
			_, err = queryInt(ctx, tx, "SELECT 1/0")
			note2, err := expectSQLState(err, "22012", "in transaction")
			if err != nil {
				tx.Rollback()
				return "", err
			}
			if err := tx.Rollback(); err != nil {
				return "", fmt.Errorf("Rollback: %w", err)
			}
			v, err = queryInt(ctx, conn, "SELECT $1::int + 1", 1)
			if err != nil {
				return "", fmt.Errorf("after Rollback: %w", err)
			}
			return note1 + "; " + note2, expectInt(v, 2, "statement after Rollback")
		},
		"ping": func(ctx context.Context) (string, error) {
			if err := conn.PingContext(ctx); err != nil {
				return "", fmt.Errorf("Conn.Ping: %w", err)
			}
			if err := db.PingContext(ctx); err != nil {
				return "", fmt.Errorf("DB.Ping: %w", err)
			}
			return "Conn.Ping + DB.Ping", nil
		},
		"close": func(ctx context.Context) (string, error) {
			if err := conn.Close(); err != nil {
				return "", fmt.Errorf("Conn.Close: %w", err)
			}
			if err := db.Close(); err != nil {
				return "", fmt.Errorf("DB.Close: %w", err)
			}
			return "", nil
		},
	}
	runForm(r, form, fns, nil, func() {
		if db != nil {
			db.Close()
		}
	})
}
