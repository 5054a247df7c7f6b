// Package testdb gives tests real databases: a fresh, empty PostgreSQL
// database per test, a new SQLite file per test, and a way to run the same
// storage test on both.
//
// # Where PostgreSQL comes from
//
//  1. TEST_DATABASE_URL, if set: a postgres:// URL with rights to CREATE and
//     DROP DATABASE on an existing server (CI sets it; see .ci/run). Every
//     call of [Postgres] creates a database with a random name there and
//     drops it WITH (FORCE) when the test ends.
//  2. Otherwise, if initdb is on PATH or under /usr/lib/postgresql/*/bin,
//     one throwaway cluster per test binary, started on first use in a temp
//     dir, on a free 127.0.0.1 port, with a private unix-socket dir, trust
//     auth and fsync=off. As root, initdb and postgres run as the "postgres"
//     user (initdb refuses root), as the system user would with runuser.
//  3. Otherwise [Postgres] skips the test with "PostgreSQL not available:
//     set TEST_DATABASE_URL or install postgresql (initdb on PATH)" — or
//     fails it when CI=true, because CI must exercise PostgreSQL.
//
// # Lifetime of local clusters
//
// A package that uses PostgreSQL should stop the cluster when its tests end:
//
//	func TestMain(m *testing.M) { testdb.Main(m) }
//
// (or, with its own TestMain: code := m.Run(); testdb.Shutdown(); os.Exit(code)).
//
// A package that forgets leaks nothing that lives: postgres is started as a
// direct child of the test binary (not daemonized by pg_ctl) with the Linux
// parent-death signal set, so the kernel stops it when the test binary exits
// for any reason, including a panic or a go test timeout. What such an exit
// can leave is the cluster's temp dir; the next local cluster started by any
// test binary removes dirs whose owning process is gone.
//
// # Restarting PostgreSQL
//
// [NewCluster] starts a private cluster owned by one test, which the test may
// [Cluster.Stop], [Cluster.Kill] and [Cluster.Start] (for instance to restart
// PostgreSQL under load) without disturbing other tests. It needs the local
// PostgreSQL binaries even when TEST_DATABASE_URL is set.
package testdb
