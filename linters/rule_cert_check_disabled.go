package linters

// CertCheckDisabled flags a connection that does not verify the server's
// certificate.
var CertCheckDisabled = &Rule{
	ID:       "cert-check-disabled",
	Severity: Error,
	Fixable:  UnsafeFix,
	Summary:  "the server's TLS certificate is not verified",
	Doc: `With certificate checks off, anyone on the network path can impersonate the
server and read the password and every message; TLS then only protects
against passive listeners. Re-enabling the check is the fix, but a server
with a self-signed certificate would then be refused, so the fix is unsafe:
pin the certificate instead (msmtp: tls_fingerprint) when that is the reason.
Loopback hosts (Proton Mail Bridge, whose certificate is self-signed) are
reported at info level, without a fix.`,
	Examples: []Example{{Format: "msmtp",
		Bad:  "account work\nhost smtp.example.org\nport 587\ntls on\ntls_certcheck off\n",
		Good: "account work\nhost smtp.example.org\nport 587\ntls on\ntls_certcheck on\n"}},
	Check: func(p *Pass) {
		p.Endpoints(func(acc *Account, ep *Endpoint) {
			if ep.CertCheck.Val || !ep.CertCheck.Set || ep.Security.Val == SecurityNone {
				return
			}
			if IsLoopback(ep.Host.Val) {
				// A local bridge (Proton Mail Bridge) has a self-signed
				// certificate: turning the check on would break it, so no fix.
				p.ReportSeverity(Info, ep.CertCheck.At, nil, "the certificate of %s is not verified; acceptable for a local bridge on this machine (to check it, have the client trust the bridge's own certificate)", ep.Host.Val)
				return
			}
			fix := FixFor(ep, Unsafe, "verify the certificate", SetCertCheck(true))
			p.Report(ep.CertCheck.At, fix, "the %s server's certificate is not verified, so anyone on the network path can pose as %s and read the password",
				slotName(ep.Protocol), hostOr(ep.Host.Val))
		})
	},
}

func hostOr(h string) string {
	if h == "" {
		return "the server"
	}
	return h
}
