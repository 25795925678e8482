package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"time"
)

// TLS modes of the connection to the SMTP server.
const (
	// STARTTLS connects in plain text and upgrades before anything else is
	// sent; a server that does not offer it is refused (port 587).
	STARTTLS = "starttls"
	// ImplicitTLS speaks TLS from the first byte (port 465).
	ImplicitTLS = "tls"
	// NoTLS sends in plain text, without authentication: only for a relay
	// on the same machine or network.
	NoTLS = "none"
)

// DefaultTimeout bounds one message's conversation with the server.
const DefaultTimeout = time.Minute

// Config says how to reach the SMTP server.
type Config struct {
	Host string
	Port int
	// Username and Password authenticate with AUTH PLAIN (over TLS only);
	// no username, no authentication.
	Username, Password string
	TLS                string
	// RootCAs verifies the server's certificate (the system's when nil).
	RootCAs *x509.CertPool
	// Hello is the name given in EHLO ("localhost" when empty).
	Hello   string
	Timeout time.Duration
}

// Sender sends messages through one SMTP server. It is safe for concurrent
// use: each message has a connection of its own.
type Sender struct{ cfg Config }

// NewSender checks cfg and returns its sender.
func NewSender(cfg Config) (*Sender, error) {
	switch {
	case cfg.Host == "" || cfg.Port <= 0 || cfg.Port > 65535:
		return nil, errors.New("mail: an SMTP host and port are required")
	case cfg.TLS != STARTTLS && cfg.TLS != ImplicitTLS && cfg.TLS != NoTLS:
		return nil, fmt.Errorf("mail: TLS mode %q is not starttls, tls or none", cfg.TLS)
	case cfg.TLS == NoTLS && cfg.Username != "":
		return nil, errors.New("mail: authentication needs starttls or tls")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Hello == "" {
		cfg.Hello = "localhost"
	}
	return &Sender{cfg: cfg}, nil
}

// Error is a refusal by the SMTP server: its reply code and text, and the
// step it refused.
type Error struct {
	Step string // connect, starttls, auth, mail, rcpt, data
	Code int    // 0 when the server did not answer with a code
	Err  error
}

func (e *Error) Error() string { return "smtp " + e.Step + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Permanent reports whether retrying cannot help: the server refused the
// sender, a recipient or the message itself with a 5xx reply. A refused
// login is not permanent: an operator fixes the settings and the next try
// goes through.
func (e *Error) Permanent() bool {
	return e.Code >= 500 && (e.Step == "mail" || e.Step == "rcpt" || e.Step == "data")
}

// Send delivers msg and returns the server's acceptance. ctx cancels it.
func (s *Sender) Send(ctx context.Context, msg *Message) (string, error) {
	body, err := msg.Bytes()
	if err != nil {
		return "", err
	}
	c, stop, err := s.dial(ctx)
	if err != nil {
		return "", err
	}
	defer stop()
	defer c.Close()
	if err := s.secure(c); err != nil {
		return "", err
	}
	if err := step("mail", c.Mail(msg.From.Address)); err != nil {
		return "", err
	}
	if err := step("rcpt", c.Rcpt(msg.To)); err != nil {
		return "", err
	}
	w, err := c.Data()
	if err != nil {
		return "", step("data", err)
	}
	if _, err := w.Write(body); err != nil {
		return "", step("data", err)
	}
	if err := w.Close(); err != nil {
		return "", step("data", err)
	}
	_ = c.Quit()
	return "250 accepted for " + msg.To, nil
}

// dial connects (with TLS from the start in ImplicitTLS mode) and greets;
// the connection is closed when ctx ends or the timeout passes. stop
// releases the watch on ctx.
func (s *Sender) dial(ctx context.Context) (c *smtp.Client, stop func() bool, err error) {
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	d := &net.Dialer{Timeout: s.cfg.Timeout}
	var conn net.Conn
	if s.cfg.TLS == ImplicitTLS {
		conn, err = (&tls.Dialer{NetDialer: d, Config: s.tlsConfig()}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return nil, nil, &Error{Step: "connect", Err: err}
	}
	_ = conn.SetDeadline(time.Now().Add(s.cfg.Timeout))
	stop = context.AfterFunc(ctx, func() { _ = conn.Close() })
	if c, err = smtp.NewClient(conn, s.cfg.Host); err != nil {
		stop()
		conn.Close()
		return nil, nil, step("connect", err)
	}
	if err := c.Hello(s.cfg.Hello); err != nil {
		stop()
		c.Close()
		return nil, nil, step("connect", err)
	}
	return c, stop, nil
}

// secure upgrades to TLS (STARTTLS mode) and authenticates.
func (s *Sender) secure(c *smtp.Client) error {
	if s.cfg.TLS == STARTTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return &Error{Step: "starttls", Err: errors.New("the server does not offer STARTTLS")}
		}
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return step("starttls", err)
		}
	}
	if s.cfg.Username == "" {
		return nil
	}
	return step("auth", c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)))
}

func (s *Sender) tlsConfig() *tls.Config {
	return &tls.Config{ServerName: s.cfg.Host, RootCAs: s.cfg.RootCAs, MinVersion: tls.VersionTLS12}
}

// step wraps an error of the conversation in *Error with the server's code.
func step(name string, err error) error {
	if err == nil {
		return nil
	}
	e := &Error{Step: name, Err: err}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		e.Code = tp.Code
	}
	return e
}
