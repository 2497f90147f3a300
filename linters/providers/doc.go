// Package providers is maillint's knowledge of mail providers, kept as data.
//
// The database is a TOML file, providers.toml, embedded in the binary and
// returned by [Builtin]. Each provider entry lists the address domains it
// serves, its SMTP and IMAP servers with the endpoints (port and security)
// they offer, the login form they expect, whether they accept only OAuth2,
// and host names that are legacy or wrong. Every entry names its source; the
// provider's own documentation wins over client databases, which win over
// blogs. Endpoints that work but are not in the source are kept with
// Documented set to false, so rules can tell "undocumented" from "wrong".
//
// # Extending the database
//
// Users add or correct providers with a TOML file of the same schema (the
// header of providers.toml documents every key):
//
//	[[provider]]
//	id = "example"
//	name = "Example Mail"
//	domains = ["example.org"]
//	source = "https://example.org/help/mail-clients"
//
//	  [[provider.smtp]]
//	  host = "smtp.example.org"
//	  login = "address"
//	  auth_required = true
//	  source = "https://example.org/help/mail-clients"
//	  endpoints = [
//	    { port = 465, security = "tls", documented = true },
//	    { port = 587, security = "starttls", documented = true },
//	  ]
//
// The program parses that file with [Parse] and combines it with the builtin
// database through [DB.Merge]:
//
//	user, err := providers.Parse(path, data)
//	if err != nil { ... }          // unknown keys, bad values: file:line: message
//	db := providers.Builtin().Merge(user)
//
// An entry whose id equals a builtin id replaces the builtin entry entirely;
// other entries are added. User entries are consulted before builtin ones.
//
// # Lookups
//
// [DB.ByAddress] and [DB.ByDomain] find the provider of an account address.
// [DB.ByHost] finds the provider, role and server of a configured host name,
// or the [Legacy] entry when the name is outdated or wrong. A host shared by
// two providers (outlook.office365.com) resolves to the first; when the
// account address is known, resolve the provider by address and then use
// [Provider.Server]. Loopback providers (Proton Mail Bridge on 127.0.0.1) are
// never found by host: a local address says nothing about what runs there.
//
// Values returned by lookups are shared with the database: treat them as
// read-only.
package providers
