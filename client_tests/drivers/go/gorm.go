// GORM v1 (jinzhu/gorm) probe over lib/pq: Raw() with ? placeholders, Begin/Commit, Ping.
package main

import (
	"context"
	"fmt"

	"github.com/jinzhu/gorm"
	_ "github.com/jinzhu/gorm/dialects/postgres"
)

func gormInt(db *gorm.DB, query string, args ...interface{}) (int64, error) {
	var v int64
	if err := db.Raw(query, args...).Row().Scan(&v); err != nil {
		return 0, fmt.Errorf("%s: %w", query, err)
	}
	return v, nil
}

func probeGorm(r *reporter, t target, form string) {
	dsn := t.dsn(form, map[string]string{"sslmode": "disable", "connect_timeout": "10"})
	var db *gorm.DB
	fns := map[string]stepFn{
		"connect": func(ctx context.Context) (string, error) {
			var err error
			if db, err = gorm.Open("postgres", dsn); err != nil { // Open pings
				return "", err
			}
			db.DB().SetMaxOpenConns(2)
			return "gorm.Open (pings)", nil
		},
		"select1": func(ctx context.Context) (string, error) {
			v, err := gormInt(db, "SELECT 1")
			if err != nil {
				return "", err
			}
			return "1", expectInt(v, 1, "SELECT 1")
		},
		"param": func(ctx context.Context) (string, error) {
			v, err := gormInt(db, "SELECT ?::int + 1", 41)
			if err != nil {
				return "", err
			}
			return "42", expectInt(v, 42, "SELECT ?::int + 1 (41)")
		},
		"repeat7": func(ctx context.Context) (string, error) {
			for i := 0; i < 7; i++ {
				v, err := gormInt(db, "SELECT ?::int + 1", 100+i)
				if err != nil {
					return "", err
				}
				if err := expectInt(v, int64(101+i), fmt.Sprintf("run %d", i+1)); err != nil {
					return "", err
				}
			}
			return "7 runs", nil
		},
		"txn": func(ctx context.Context) (string, error) {
			tx := db.Begin()
			if tx.Error != nil {
				return "", fmt.Errorf("Begin: %w", tx.Error)
			}
			v, err := gormInt(tx, "SELECT 2")
			if err != nil {
				tx.Rollback()
				return "", err
			}
			if err := expectInt(v, 2, "SELECT 2 in transaction"); err != nil {
				tx.Rollback()
				return "", err
			}
			if err := tx.Commit().Error; err != nil {
				return "", fmt.Errorf("Commit: %w", err)
			}
			return "Begin/SELECT 2/Commit", nil
		},
		"error": func(ctx context.Context) (string, error) {
			_, err := gormInt(db, "SELECT 1/0")
			note1, err := expectSQLState(err, "22012", "outside a transaction")
			if err != nil {
				return "", err
			}
			v, err := gormInt(db, "SELECT 1")
			if err != nil {
				return "", fmt.Errorf("after the error: %w", err)
			}
			if err := expectInt(v, 1, "SELECT 1 after the error"); err != nil {
				return "", err
			}
			tx := db.Begin()
			if tx.Error != nil {
				return "", fmt.Errorf("Begin: %w", tx.Error)
			}
			_, err = gormInt(tx, "SELECT 1/0")
			note2, err := expectSQLState(err, "22012", "in transaction")
			if err != nil {
				tx.Rollback()
				return "", err
			}
			if err := tx.Rollback().Error; err != nil {
				return "", fmt.Errorf("Rollback: %w", err)
			}
			v, err = gormInt(db, "SELECT ?::int + 1", 1)
			if err != nil {
				return "", fmt.Errorf("after Rollback: %w", err)
			}
			return note1 + "; " + note2, expectInt(v, 2, "statement after Rollback")
		},
		"ping": func(ctx context.Context) (string, error) {
			if err := db.DB().PingContext(ctx); err != nil {
				return "", fmt.Errorf("DB().Ping: %w", err)
			}
			return "DB().Ping", nil
		},
		"close": func(ctx context.Context) (string, error) {
			return "", db.Close()
		},
	}
	runForm(r, form, fns, nil, func() {
		if db != nil {
			db.Close()
		}
	})
}
