package main

import (
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
	"golang.org/x/mod/modfile"
)

// No Docker engine runs here: these tests read the deployment files and hold them to the code.

// composeFile is the part of a Compose file the checks read.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
	Secrets  map[string]any            `yaml:"secrets"`
}

type composeService struct {
	Image       string            `yaml:"image"`
	Build       any               `yaml:"build"`
	Command     []string          `yaml:"command"`
	Environment map[string]string `yaml:"environment"`
	Volumes     []string          `yaml:"volumes"`
	Ports       []string          `yaml:"ports"`
	Profiles    []string          `yaml:"profiles"`
	Secrets     []string          `yaml:"secrets"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Healthcheck struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
}

func readRepoFile(t *testing.T, rel string) string {
	t.Helper()
	data, err := os.ReadFile(repoFile(rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func readCompose(t *testing.T, rel string) composeFile {
	t.Helper()
	var c composeFile
	if err := yaml.Unmarshal([]byte(readRepoFile(t, rel)), &c); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return c
}

// serveEnv is every variable `ionode serve` reads, from its flag definitions and their binding.
func serveEnv() map[string]bool {
	vars := map[string]bool{}
	newServeCommand(func(string) string { return "" }).Flags().VisitAll(func(fl *pflag.Flag) {
		if envBound(fl) {
			vars[envName(fl.Name)] = true
		}
	})
	return vars
}

// kuboPorts are the ports the official ipfs/kubo image listens on: swarm, RPC API, gateway.
var kuboPorts = []string{"4001", "5001", "8080"}

// listenPorts is what each service listens on, read from its configuration.
func listenPorts(t *testing.T, name string, s composeService) []string {
	t.Helper()
	switch name {
	case "ionode":
		_, port, err := net.SplitHostPort(s.Environment["ION_LISTEN"])
		if err != nil {
			t.Fatalf("ionode: ION_LISTEN %q: %v", s.Environment["ION_LISTEN"], err)
		}
		ports := []string{port}
		if ipfs := s.Environment["ION_IPFS"]; ipfs == "" || ipfs == "embedded" {
			ports = append(ports, "4001") // the embedded IPFS node's default --ipfs-listen
		}
		return ports
	case "btcd":
		var ports []string
		entry := readRepoFile(t, "deploy/btcd/entrypoint.sh")
		for _, m := range regexp.MustCompile(`--(?:rpc)?listen=[^:\s]*:(\d+)`).FindAllStringSubmatch(entry, -1) {
			ports = append(ports, m[1])
		}
		return ports
	case "mongo":
		if i := slices.Index(s.Command, "--port"); i >= 0 && i+1 < len(s.Command) {
			return []string{s.Command[i+1]}
		}
		return []string{"27017"}
	case "kubo":
		return kuboPorts
	}
	t.Fatalf("service %s: the test does not know what it listens on", name)
	return nil
}

// containerPort is the container side of a ports entry ("127.0.0.1:3000:3000/tcp" → 3000).
func containerPort(p string) string {
	p = strings.TrimSuffix(strings.TrimSuffix(p, "/tcp"), "/udp")
	return p[strings.LastIndex(p, ":")+1:]
}

// namedVolume is the volume name of a mount, "" for a bind mount.
func namedVolume(mount string) string {
	src, _, ok := strings.Cut(mount, ":")
	if !ok || strings.HasPrefix(src, ".") || strings.HasPrefix(src, "/") || strings.HasPrefix(src, "~") || strings.HasPrefix(src, "$") {
		return ""
	}
	return src
}

// references checks that an address the node is given names a service listening on that port.
func checkReference(t *testing.T, c composeFile, ports map[string][]string, variable, hostport string) {
	t.Helper()
	if strings.Contains(hostport, "${") {
		return // the operator's own server
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		t.Errorf("%s: %q is not host:port: %v", variable, hostport, err)
		return
	}
	if _, ok := c.Services[host]; !ok {
		t.Errorf("%s names host %q, which is no service", variable, host)
		return
	}
	if !slices.Contains(ports[host], port) {
		t.Errorf("%s names %s:%s, but %s listens on %v", variable, host, port, host, ports[host])
	}
}

func TestComposeFiles(t *testing.T) {
	base := readCompose(t, "docker-compose.yml")
	override := readCompose(t, "docker-compose.mainnet.yml")
	known := serveEnv()
	if !known["ION_BITCOIN_RPC"] || !known["ION_CONFIG"] || len(known) < 20 {
		t.Fatalf("serve's variables were not derived from its flags: %v", known)
	}
	ports := map[string][]string{}
	for name, s := range base.Services {
		ports[name] = listenPorts(t, name, s)
	}

	for _, f := range []struct {
		name string
		c    composeFile
	}{{"docker-compose.yml", base}, {"docker-compose.mainnet.yml", override}} {
		volumes := map[string]bool{}
		secrets := map[string]bool{}
		for _, c := range []composeFile{base, f.c} {
			for v := range c.Volumes {
				volumes[v] = true
			}
			for s := range c.Secrets {
				secrets[s] = true
			}
		}
		for name, s := range f.c.Services {
			if _, ok := base.Services[name]; !ok {
				t.Errorf("%s: service %s is not in docker-compose.yml", f.name, name)
				continue
			}
			for k := range s.Environment {
				if name == "ionode" && strings.HasPrefix(k, "ION_") && !known[k] {
					t.Errorf("%s: ionode sets %s, which ionode serve does not read", f.name, k)
				}
			}
			for _, p := range s.Ports {
				if !slices.Contains(ports[name], containerPort(p)) {
					t.Errorf("%s: %s publishes %q, but listens on %v", f.name, name, p, ports[name])
				}
			}
			for _, m := range s.Volumes {
				if v := namedVolume(m); v != "" && !volumes[v] {
					t.Errorf("%s: %s mounts volume %s, which is not declared", f.name, name, v)
				}
			}
			for _, sec := range s.Secrets {
				if !secrets[sec] {
					t.Errorf("%s: %s uses secret %s, which is not declared", f.name, name, sec)
				}
			}
			for dep, d := range s.DependsOn {
				target, ok := base.Services[dep]
				switch {
				case !ok:
					t.Errorf("%s: %s depends on %s, which is no service", f.name, name, dep)
				case len(target.Healthcheck.Test) == 0:
					t.Errorf("%s: %s depends on %s, which has no health check", f.name, name, dep)
				case d.Condition != "service_healthy":
					t.Errorf("%s: %s depends on %s with condition %q, want service_healthy", f.name, name, dep, d.Condition)
				}
				if slices.Contains(f.c.Services[dep].Profiles, "regtest") {
					t.Errorf("%s: %s depends on %s, which that file leaves out", f.name, name, dep)
				}
			}
		}
	}

	for name, s := range base.Services {
		if len(s.Healthcheck.Test) == 0 {
			t.Errorf("service %s has no health check", name)
		}
		if s.Image == "" && s.Build == nil {
			t.Errorf("service %s has neither image nor build", name)
		}
	}
	node := base.Services["ionode"]
	if len(node.Command) == 0 || node.Command[0] != "serve" {
		t.Errorf("ionode runs %v; the variables are checked against ionode serve", node.Command)
	}
	checkReference(t, base, ports, "ION_BITCOIN_RPC", node.Environment["ION_BITCOIN_RPC"])
	for _, v := range []string{"ION_IPFS", "ION_MONGODB_URI"} {
		u, err := url.Parse(node.Environment[v])
		if err != nil {
			t.Errorf("%s: %v", v, err)
			continue
		}
		checkReference(t, base, ports, v, u.Host)
	}
	mongoURI, _ := url.Parse(node.Environment["ION_MONGODB_URI"])
	mongo := base.Services["mongo"]
	if i := slices.Index(mongo.Command, "--replSet"); i < 0 || mongoURI.Query().Get("replicaSet") != mongo.Command[i+1] {
		t.Errorf("ION_MONGODB_URI replicaSet=%q does not match mongo's --replSet in %v", mongoURI.Query().Get("replicaSet"), mongo.Command)
	}
	if !strings.Contains(strings.Join(mongo.Healthcheck.Test, " "), "rs.initiate") {
		t.Error("mongo's health check must initiate the replica set")
	}
	// The node reads the RPC certificate and writer key from the volumes btcd writes them to.
	btcd := base.Services["btcd"]
	for _, path := range []string{"ION_BITCOIN_CERT", "ION_WRITER_KEY_FILE"} {
		if !mountedFromService(node, btcd, node.Environment[path]) {
			t.Errorf("%s=%s is not on a volume btcd shares with ionode", path, node.Environment[path])
		}
	}
	if node.Environment["ION_WRITER_KEY_FILE"] != btcd.Environment["WRITER_KEY"] {
		t.Errorf("ionode's writer key %s is not the key btcd mines to (%s)", node.Environment["ION_WRITER_KEY_FILE"], btcd.Environment["WRITER_KEY"])
	}
}

// mountedFromService reports whether path, in a's file system, lies on a named volume b mounts too.
func mountedFromService(a, b composeService, path string) bool {
	for _, ma := range a.Volumes {
		v := namedVolume(ma)
		parts := strings.Split(ma, ":")
		if v == "" || len(parts) < 2 || !strings.HasPrefix(path, strings.TrimSuffix(parts[1], "/")+"/") {
			continue
		}
		for _, mb := range b.Volumes {
			if namedVolume(mb) == v {
				return true
			}
		}
	}
	return false
}

func TestDockerfiles(t *testing.T) {
	root := readRepoFile(t, "Dockerfile")
	_, port, _ := net.SplitHostPort(readCompose(t, "docker-compose.yml").Services["ionode"].Environment["ION_LISTEN"])
	expose := regexp.MustCompile(`(?m)^EXPOSE (.+)$`).FindStringSubmatch(root)
	if expose == nil || !slices.Contains(strings.Fields(expose[1]), port) {
		t.Errorf("Dockerfile does not EXPOSE the API port %s", port)
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "./cmd/ionode", "USER nonroot", `"ionode", "health"`, "--mount=type=cache,target=/go/pkg/mod"} {
		if !strings.Contains(strings.ReplaceAll(root, "/usr/local/bin/ionode", "ionode"), want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if newRootCommandHas(t, "health") == false {
		t.Error("the image's health check needs the health subcommand")
	}
}

func newRootCommandHas(t *testing.T, sub string) bool {
	t.Helper()
	for _, c := range newRootCommand(os.Stdout, os.Stderr).Commands() {
		if c.Name() == sub {
			return true
		}
	}
	return false
}

// The btcd image installs the btcd version go.mod pins, the one ionode testnet and the tests run.
func TestBtcdDockerfileVersion(t *testing.T) {
	mod, err := modfile.Parse("go.mod", []byte(readRepoFile(t, "go.mod")), nil)
	if err != nil {
		t.Fatal(err)
	}
	var pinned string
	for _, r := range mod.Require {
		if r.Mod.Path == "github.com/btcsuite/btcd" {
			pinned = r.Mod.Version
		}
	}
	if pinned == "" {
		t.Fatal("go.mod does not require github.com/btcsuite/btcd")
	}
	docker := readRepoFile(t, "deploy/btcd/Dockerfile")
	m := regexp.MustCompile(`(?m)^ARG BTCD_VERSION=(\S+)$`).FindStringSubmatch(docker)
	if m == nil {
		t.Fatal("deploy/btcd/Dockerfile has no ARG BTCD_VERSION=<version>")
	}
	if m[1] != pinned {
		t.Errorf("deploy/btcd/Dockerfile installs btcd %s, go.mod pins %s: set ARG BTCD_VERSION=%s", m[1], pinned, pinned)
	}
	if !strings.Contains(docker, "go install") || !strings.Contains(docker, "github.com/btcsuite/btcd@${BTCD_VERSION}") {
		t.Error("deploy/btcd/Dockerfile must go install github.com/btcsuite/btcd@${BTCD_VERSION}")
	}
}
