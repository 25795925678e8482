package deploy_test

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// compose.tls.yaml makes every connection to a mongod use TLS: it repeats
// each node's flags with the TLS ones, and every client (health checks,
// mongo-init, Consulta, the backup) uses TLS with the operator's authority.
func TestComposeTLSOverride(t *testing.T) {
	base, tlsFile := load(t, "compose.yaml"), load(t, "compose.tls.yaml")
	const ca = "/run/secrets/mongo_tls_ca"
	for _, name := range base.mongods() {
		b, o := base.Services[name], tlsFile.Services[name]
		for _, arg := range b.Command {
			if !slices.Contains(o.Command, arg) {
				t.Errorf("%s: the TLS command drops %q of compose.yaml's", name, arg)
			}
		}
		if mode, _ := flag(o.Command, "--tlsMode"); mode != "requireTLS" {
			t.Errorf("%s: --tlsMode %q, want requireTLS", name, mode)
		}
		if f, _ := flag(o.Command, "--tlsCAFile"); f != ca {
			t.Errorf("%s: --tlsCAFile %q", name, f)
		}
		pem, _ := flag(o.Command, "--tlsCertificateKeyFile")
		secret := strings.TrimPrefix(pem, "/run/secrets/")
		if !slices.Contains(o.Secrets, secret) || tlsFile.Secrets[secret]["file"] != "./tls/"+name+".pem" {
			t.Errorf("%s: certificate %q is not the secret of ./tls/%s.pem", name, pem, name)
		}
		checkTLSClient(t, name+" health check", o.Healthcheck.Test, ca)
		checkSecrets(t, name, b.Secrets, o.Secrets)
	}
	init := tlsFile.Services["mongo-init"]
	checkTLSClient(t, "mongo-init", init.Entrypoint, ca)
	checkSecrets(t, "mongo-init", base.Services["mongo-init"].Secrets, init.Secrets)
	for _, name := range base.consultas() {
		b, o := base.Services[name], tlsFile.Services[name]
		uri := o.Environment["CONSULTA_MONGODB_URI"]
		if uri != b.Environment["CONSULTA_MONGODB_URI"]+"&tls=true&tlsCAFile="+ca {
			t.Errorf("%s: the TLS URI %q is not compose.yaml's with tls=true and the authority", name, uri)
		}
		checkSecrets(t, name, b.Secrets, o.Secrets)
	}
	if f := tlsFile.Secrets["mongo_tls_ca"]["file"]; f != "./tls/ca.pem" {
		t.Errorf("the authority is read from %q", f)
	}
}

func checkTLSClient(t *testing.T, who string, args []string, ca string) {
	t.Helper()
	if f, _ := flag(args, "--tlsCAFile"); !slices.Contains(args, "--tls") || f != ca {
		t.Errorf("%s does not connect with TLS and the authority: %v", who, args)
	}
}

// checkSecrets: an override lists every secret of the base service (compose
// replaces the list) and the authority.
func checkSecrets(t *testing.T, who string, base, override []string) {
	t.Helper()
	for _, s := range append(slices.Clone(base), "mongo_tls_ca") {
		if !slices.Contains(override, s) {
			t.Errorf("%s: the TLS file's secrets %v lack %s", who, override, s)
		}
	}
}

// tls/make-test-certs.sh makes certificates that Go's TLS (the driver's)
// accepts for each node's name and localhost, as a server and, between
// nodes, as a client, and refuses for another name.
func TestTestCertificates(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is not installed")
	}
	dir := t.TempDir()
	script, _ := os.ReadFile("tls/make-test-certs.sh")
	os.WriteFile(filepath.Join(dir, "make-test-certs.sh"), script, 0o700)
	if out, err := exec.Command(filepath.Join(dir, "make-test-certs.sh")).CombinedOutput(); err != nil {
		t.Fatalf("make-test-certs.sh: %v\n%s", err, out)
	}
	pool := x509.NewCertPool()
	caPEM, _ := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("no certificate in ca.pem")
	}
	node := func(name string) tls.Certificate {
		pem := filepath.Join(dir, name+".pem")
		cert, err := tls.LoadX509KeyPair(pem, pem)
		if err != nil {
			t.Fatalf("%s.pem: %v", name, err)
		}
		if info, _ := os.Stat(pem); info.Mode().Perm() != 0o444 {
			t.Errorf("%s.pem mode %v, want 0444 (read by mongod's user)", name, info.Mode().Perm())
		}
		return cert
	}
	for _, serverName := range []string{"mongo1", "localhost"} {
		if err := handshake(node("mongo1"), pool, serverName, nil); err != nil {
			t.Errorf("a client of mongo1 as %s: %v", serverName, err)
		}
	}
	member := node("mongo2")
	if err := handshake(node("mongo1"), pool, "mongo1", &member); err != nil {
		t.Errorf("mongo2 connecting to mongo1 with its certificate: %v", err)
	}
	if err := handshake(node("mongo1"), pool, "mongo3", nil); err == nil {
		t.Error("mongo1's certificate accepted for the name mongo3")
	}
}

// handshake runs one TLS handshake on loopback: a server with cert that
// verifies a client certificate when one is given, a client trusting pool.
func handshake(cert tls.Certificate, pool *x509.CertPool, serverName string, clientCert *tls.Certificate) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	server := &tls.Config{Certificates: []tls.Certificate{cert}, ClientCAs: pool, ClientAuth: tls.VerifyClientCertIfGiven}
	done := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer c.Close()
		done <- tls.Server(c, server).Handshake()
	}()
	client := &tls.Config{RootCAs: pool, ServerName: serverName}
	if clientCert != nil {
		client.Certificates = []tls.Certificate{*clientCert}
	}
	c, err := tls.Dial("tcp", ln.Addr().String(), client)
	if err != nil {
		<-done
		return err
	}
	c.Close()
	return <-done
}
