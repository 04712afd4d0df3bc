// Package examples holds configs that run as they are, among them the
// default config that `kamgo run` embeds and uses when no -f is given.
package examples

import _ "embed"

// DefaultConfig is the text of default.cfg.
//
//go:embed default.cfg
var DefaultConfig string

// DefaultConfigName is the name diagnostics use for the embedded config.
const DefaultConfigName = "examples/default.cfg"
