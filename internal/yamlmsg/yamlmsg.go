// Package yamlmsg turns the errors of go.yaml.in/yaml/v3 into messages for
// the author of a YAML file (a catalogue, the CI gate's config): one
// problem per mistake, with its line, in words rather than Go's type
// names.
package yamlmsg

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problem is one mistake of a YAML file.
type Problem struct {
	// Line is 1-based; 0 when the library gave none.
	Line int
	// Msg says what is wrong, e.g. `unknown key "titel"` or `want an
	// integer, got text "many"`.
	Msg string
	// UnknownKey is the key when the mistake is an unknown key.
	UnknownKey string
}

// String is "LINE: MSG", or MSG without a line.
func (p Problem) String() string {
	if p.Line == 0 {
		return p.Msg
	}
	return fmt.Sprintf("%d: %s", p.Line, p.Msg)
}

// Problems splits err, an error of yaml.Unmarshal or of a yaml.Decoder,
// into its problems: each of a *yaml.TypeError's messages, or the one
// syntax error.
func Problems(err error) []Problem {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		out := make([]Problem, 0, len(te.Errors))
		for _, msg := range te.Errors {
			out = append(out, parse(msg))
		}
		return out
	}
	return []Problem{parse(err.Error())}
}

var (
	lineRE      = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)
	unknownRE   = regexp.MustCompile(`^field (.+) not found in type \S+$`)
	wrongTypeRE = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.+)$")
)

// yamlTags names the YAML tags of a value found where another was wanted.
var yamlTags = map[string]string{"str": "text", "int": "an integer", "float": "a number", "bool": "true/false",
	"map": "a mapping", "seq": "a list", "null": "nothing", "timestamp": "a date"}

// parse reads one library message.
func parse(msg string) Problem {
	msg = strings.TrimPrefix(msg, "yaml: ")
	var p Problem
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	if m := unknownRE.FindStringSubmatch(msg); m != nil {
		p.UnknownKey = m[1]
		p.Msg = fmt.Sprintf("unknown key %q", p.UnknownKey)
		return p
	}
	m := wrongTypeRE.FindStringSubmatch(msg)
	if m == nil {
		p.Msg = msg
		return p
	}
	got := yamlTags[m[1]]
	if got == "" {
		got = m[1]
	}
	if m[2] != "" {
		got += fmt.Sprintf(" %q", m[2])
	}
	p.Msg = fmt.Sprintf("want %s, got %s", kindWord(m[3]), got)
	return p
}

// kindWord names what a Go type holds by its shape alone (a list, a
// mapping, a number...), never by the type's name, which is the code's
// business and changes when the code moves.
func kindWord(goType string) string {
	t := strings.TrimLeft(goType, "*")
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["):
		return "a mapping"
	case t == "bool":
		return "true or false"
	case t == "string":
		return "a text value"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		return "an integer"
	case strings.HasPrefix(t, "float"):
		return "a number"
	}
	return "a mapping of keys"
}

// Value returns the value node of key in mapping n, or nil when n is not a
// mapping or has no such key: the catalogue and the CI config use it to
// point a message at the line of a field.
func Value(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
