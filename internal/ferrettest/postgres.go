package ferrettest

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// ErrNoPostgreSQL is returned by StartPostgreSQL when the PostgreSQL server binaries are not installed
// (Debian: apt-get install postgresql).
var ErrNoPostgreSQL = errors.New("PostgreSQL server binaries (initdb, pg_ctl) not found; install Debian's postgresql package")

// StartPostgreSQL runs FerretDB on a PostgreSQL backend: a new cluster in a temporary directory,
// listening on a Unix socket in that directory only (no TCP port another process could take between
// choosing it and the server binding it), trusted local logins, no fsync (test data). PostgreSQL refuses to run as
// root, so under root the cluster's processes run as the user "nobody".
func StartPostgreSQL() (*Server, error) {
	bin, err := postgresBin()
	if err != nil {
		return nil, err
	}
	pg, err := startPostgres(bin)
	if err != nil {
		return nil, err
	}
	s, err := run(ferretdb.Config{Handler: "postgresql", PostgreSQLURL: "postgres://ionode@/postgres?host=" + url.QueryEscape(pg.dir) + "&port=" + strconv.Itoa(pgPort)})
	if err != nil {
		pg.stop()
		return nil, err
	}
	s.pg = pg
	return s, nil
}

// postgresBin finds the directory of initdb and pg_ctl: on PATH, else Debian's versioned directory.
func postgresBin() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(dirs) - 1; i >= 0; i-- { // the newest version
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	return "", ErrNoPostgreSQL
}

// pgPort names the cluster's socket file (.s.PGSQL.5432) in its own directory.
const pgPort = 5432

// postgres is a running PostgreSQL cluster.
type postgres struct {
	bin, dir string
	cred     *syscall.Credential
}

func startPostgres(bin string) (*postgres, error) {
	dir, err := os.MkdirTemp("", "ferretdb-pg-")
	if err != nil {
		return nil, err
	}
	pg := &postgres{bin: bin, dir: dir}
	if os.Geteuid() == 0 {
		if pg.cred, err = nobody(); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		if err := os.Chown(dir, int(pg.cred.Uid), int(pg.cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("postgres: %w", err)
		}
	}
	data := filepath.Join(dir, "data")
	if err := pg.cmd("initdb", "-D", data, "-U", "ionode", "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	opts := fmt.Sprintf("-c listen_addresses='' -p %d -c unix_socket_directories=%s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", pgPort, dir)
	if err := pg.cmd("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%w\n%s", err, log)
	}
	return pg, nil
}

// cmd runs one of the PostgreSQL programs as the cluster's user.
func (pg *postgres) cmd(name string, args ...string) error {
	c := exec.Command(filepath.Join(pg.bin, name), args...)
	c.Dir = pg.dir
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	if pg.cred != nil {
		c.SysProcAttr = &syscall.SysProcAttr{Credential: pg.cred}
	}
	if err := c.Run(); err != nil {
		return fmt.Errorf("postgres: %s: %w\n%s", name, err, out.Bytes())
	}
	return nil
}

func (pg *postgres) stop() {
	pg.cmd("pg_ctl", "-D", filepath.Join(pg.dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(pg.dir)
}

// nobody is the credential of the user "nobody", for running PostgreSQL under root.
func nobody() (*syscall.Credential, error) {
	u, err := user.Lookup("nobody")
	if err != nil {
		return nil, fmt.Errorf("postgres refuses to run as root and there is no user nobody: %w", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("user nobody: %w", err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("user nobody: %w", err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}
