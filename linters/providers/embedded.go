package providers

import "github.com/BurntSushi/toml"

// ParseEmbedded reads the [[provider]] tables of a larger TOML document,
// such as a tool's own configuration file, with the same schema and
// strictness as Parse. Keys outside the provider tables are left to the
// caller: they are neither decoded nor reported. Line numbers in errors are
// those of data.
func ParseEmbedded(name string, data []byte) (*DB, error) { return parse(name, data, true) }

// providerKeys keeps the keys inside the provider tables.
func providerKeys(keys []toml.Key) []toml.Key {
	var out []toml.Key
	for _, k := range keys {
		if len(k) > 0 && k[0] == "provider" {
			out = append(out, k)
		}
	}
	return out
}

// KeyLines maps every key path of a valid TOML document (as toml.Key.String
// spells it, e.g. "severity.smtp-port" or "provider.smtp.host") to the
// 1-based lines where it is defined, in document order. Table headers
// count as definitions of their path. Callers use it to put line numbers on
// errors found after decoding.
func KeyLines(data []byte) map[string][]int { return keyLines(data) }
