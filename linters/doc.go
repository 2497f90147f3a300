// Package linters holds maillint's format-neutral model of a mail client
// configuration, the findings and fixes rules produce, the rule registry and
// the engine that runs every rule over every parsed document.
//
// The model is what a format adapter (see the packages below linters/, one per
// client) builds from a lossless syntax tree: accounts with an outgoing (SMTP)
// and an optional incoming (IMAP) endpoint. Every value remembers where it was
// written, and every endpoint carries a Writer supplied by the adapter that
// turns a desired change ("port 587", "STARTTLS") into byte-range edits in that
// format. Rules are written once against this model and never import an adapter.
package linters
