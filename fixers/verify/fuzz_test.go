package verify

import (
	"bufio"
	"bytes"
	"net"
	"testing"
)

// discardConn is a connection whose writes go nowhere (handCapability
// only writes its command).
type discardConn struct{ net.Conn }

func (discardConn) Write(p []byte) (int, error) { return len(p), nil }

// FuzzReplies: what a server sends (a hostile one too) is parsed without
// a panic and within bounds: an SMTP banner keeps at most maxBanner bytes
// however many lines come, an IMAP greeting and CAPABILITY replies give
// capabilities or an error.
func FuzzReplies(f *testing.F) {
	for _, s := range []string{
		"220 mail.test.example ESMTP ready\r\n",
		"220-mail.test.example\r\n220-second\r\n220 last\r\n",
		"554 no\r\n",
		"* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n",
		"* PREAUTH hi\r\n",
		"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nV1 OK done\r\n",
		"* BYE\r\nV1 NO [ALERT] x\r\n",
		"+ go on\r\nV1 BAD\r\n",
		"HTTP/1.1 400 Bad Request\r\n\r\n",
		"\x16\x03\x01\x00\x05hello",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var b smtpBanner
		err := readSMTPBanner(bufio.NewReader(bytes.NewReader(data)), &b)
		if len(b.raw) > maxBanner+4096+2 {
			t.Fatalf("banner of %d bytes kept", len(b.raw))
		}
		if err == nil && (b.code < 0 || b.code > 999) {
			t.Fatalf("reply code %d for %q", b.code, data)
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			parseGreeting(string(bytes.TrimSuffix(line, []byte("\r"))))
		}
		handCapability(discardConn{}, bufio.NewReader(bytes.NewReader(data)))
	})
}
