// pgx v4 native probe: statement cache (named, binary), conn.Begin, Ping, pgxpool.
package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v4"
	"github.com/jackc/pgx/v4/pgxpool"
)

func pgxInt(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...interface{}) pgx.Row
}, query string, args ...interface{}) (int64, error) {
	var v int32
	if err := q.QueryRow(ctx, query, args...).Scan(&v); err != nil {
		return 0, fmt.Errorf("%s: %w", query, err)
	}
	return int64(v), nil
}

func txStatus(conn *pgx.Conn, want byte, what string) error {
	if got := conn.PgConn().TxStatus(); got != want {
		return fmt.Errorf("%s: transaction status %q, expected %q", what, got, want)
	}
	return nil
}

func probePgx(r *reporter, t target, form string) {
	dsn := t.dsn(form, map[string]string{"connect_timeout": "10"})
	var conn *pgx.Conn
	fns := map[string]stepFn{
		"connect": func(ctx context.Context) (string, error) {
			var err error
			if conn, err = pgx.Connect(ctx, dsn); err != nil {
				return "", err
			}
			return "server_version " + conn.PgConn().ParameterStatus("server_version"), nil
		},
		"select1": func(ctx context.Context) (string, error) {
			v, err := pgxInt(ctx, conn, "SELECT 1")
			if err != nil {
				return "", err
			}
			return "1", expectInt(v, 1, "SELECT 1")
		},
		"param": func(ctx context.Context) (string, error) {
			v, err := pgxInt(ctx, conn, "SELECT $1::int + 1", 41)
			if err != nil {
				return "", err
			}
			return "42", expectInt(v, 42, "SELECT $1::int + 1 (41)")
		},
		"repeat7": func(ctx context.Context) (string, error) {
			for i := 0; i < 7; i++ {
				v, err := pgxInt(ctx, conn, "SELECT $1::int + 1", 100+i)
				if err != nil {
					return "", err
				}
				if err := expectInt(v, int64(101+i), fmt.Sprintf("run %d", i+1)); err != nil {
					return "", err
				}
			}
			return "7 runs (statement cache)", nil
		},
		"txn": func(ctx context.Context) (string, error) {
			tx, err := conn.Begin(ctx)
			if err != nil {
				return "", fmt.Errorf("Begin: %w", err)
			}
			defer tx.Rollback(ctx)
			v, err := pgxInt(ctx, tx, "SELECT 2")
			if err != nil {
				return "", err
			}
			if err := expectInt(v, 2, "SELECT 2 in transaction"); err != nil {
				return "", err
			}
			if err := txStatus(conn, 'T', "inside"); err != nil {
				return "", err
			}
			if err := tx.Commit(ctx); err != nil {
				return "", fmt.Errorf("Commit: %w", err)
			}
			return "Begin/SELECT 2/Commit", txStatus(conn, 'I', "after Commit")
		},
		"error": func(ctx context.Context) (string, error) {
			_, err := pgxInt(ctx, conn, "SELECT 1/0")
			note1, err := expectSQLState(err, "22012", "outside a transaction")
			if err != nil {
				return "", err
			}
			v, err := pgxInt(ctx, conn, "SELECT 1")
			if err != nil {
				return "", fmt.Errorf("after the error: %w", err)
			}
			if err := expectInt(v, 1, "SELECT 1 after the error"); err != nil {
				return "", err
			}
			tx, err := conn.Begin(ctx)
			if err != nil {
				return "", fmt.Errorf("Begin: %w", err)
			}
			_, err = pgxInt(ctx, tx, "SELECT 1/0")
			note2, err := expectSQLState(err, "22012", "in transaction")
			if err != nil {
				tx.Rollback(ctx)
				return "", err
			}
			if err := txStatus(conn, 'E', "after the error in transaction"); err != nil {
				tx.Rollback(ctx)
				return "", err
			}
			if err := tx.Rollback(ctx); err != nil {
				return "", fmt.Errorf("Rollback: %w", err)
			}
			v, err = pgxInt(ctx, conn, "SELECT $1::int + 1", 1)
			if err != nil {
				return "", fmt.Errorf("after Rollback: %w", err)
			}
			return note1 + "; " + note2, expectInt(v, 2, "statement after Rollback")
		},
		"ping": func(ctx context.Context) (string, error) {
			if err := conn.Ping(ctx); err != nil {
				return "", fmt.Errorf("Conn.Ping: %w", err)
			}
			cfg, err := pgxpool.ParseConfig(dsn)
			if err != nil {
				return "", err
			}
			cfg.MaxConns = 2
			pool, err := pgxpool.ConnectConfig(ctx, cfg)
			if err != nil {
				return "", fmt.Errorf("pgxpool.Connect: %w", err)
			}
			defer pool.Close()
			for round := 1; round <= 2; round++ {
				if err := pool.Ping(ctx); err != nil {
					return "", fmt.Errorf("pool.Ping %d: %w", round, err)
				}
			}
			pc, err := pool.Acquire(ctx)
			if err != nil {
				return "", fmt.Errorf("pool.Acquire: %w", err)
			}
			v, err := pgxInt(ctx, pc, "SELECT 1")
			pc.Release()
			if err != nil {
				return "", err
			}
			if err := expectInt(v, 1, "SELECT 1 on a pooled connection"); err != nil {
				return "", err
			}
			if n := pool.Stat().TotalConns(); n != 1 {
				return "", fmt.Errorf("pool holds %d connections, expected 1 (reused)", n)
			}
			return "Conn.Ping + pgxpool Ping x2/Acquire/Release", nil
		},
		"close": func(ctx context.Context) (string, error) {
			if err := conn.Close(ctx); err != nil {
				return "", err
			}
			if !conn.IsClosed() {
				return "", fmt.Errorf("IsClosed() false after Close")
			}
			return "", nil
		},
	}
	runForm(r, form, fns, nil, func() {
		if conn != nil {
			conn.Close(context.Background())
		}
	})
}
