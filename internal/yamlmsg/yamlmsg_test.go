package yamlmsg

import (
	"bytes"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

type item struct {
	Name  string         `yaml:"name"`
	Count int            `yaml:"count"`
	Rate  float64        `yaml:"rate"`
	On    bool           `yaml:"on"`
	Tags  []string       `yaml:"tags"`
	Extra map[string]int `yaml:"extra"`
}

type file struct {
	Items []item `yaml:"items"`
}

func TestProblems(t *testing.T) {
	for _, tt := range []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key", "items:\n  - name: a\n    nmae: b\n", []string{`3: unknown key "nmae"`}},
		{"integer", "items:\n  - count: many\n", []string{`2: want an integer, got text "many"`}},
		{"number", "items:\n  - rate: high\n", []string{`2: want a number, got text "high"`}},
		{"bool", "items:\n  - on: [1]\n", []string{`2: want true or false, got a list`}},
		{"text", "items:\n  - name: [a]\n", []string{`2: want a text value, got a list`}},
		{"list", "items:\n  - tags: x\n", []string{`2: want a list, got text "x"`}},
		{"mapping", "items:\n  - extra: x\n", []string{`2: want a mapping, got text "x"`}},
		{"struct", "items:\n  - x\n", []string{`2: want a mapping of keys, got text "x"`}},
		{"several", "items:\n  - count: a\n  - rate: b\n", []string{`2: want an integer, got text "a"`, `3: want a number, got text "b"`}},
		{"syntax", "items: [\n", []string{`1: did not find expected node content`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dec := yaml.NewDecoder(bytes.NewReader([]byte(tt.yaml)))
			dec.KnownFields(true)
			var f file
			err := dec.Decode(&f)
			if err == nil {
				t.Fatal("no error")
			}
			var got []string
			for _, p := range Problems(err) {
				got = append(got, p.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q\nwant %q\n(library: %v)", got, tt.want, err)
			}
		})
	}
}

func TestValue(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("a: 1\nb:\n  c: deux\n"), &doc); err != nil {
		t.Fatal(err)
	}
	top := doc.Content[0]
	if v := Value(Value(top, "b"), "c"); v == nil || v.Value != "deux" || v.Line != 3 {
		t.Errorf("b.c: %+v, want the node of \"deux\" on line 3", v)
	}
	for _, c := range []struct {
		name string
		n    *yaml.Node
		key  string
	}{
		{"absent key", top, "z"},
		{"not a mapping", Value(top, "a"), "a"},
		{"nil node", nil, "a"},
	} {
		if v := Value(c.n, c.key); v != nil {
			t.Errorf("%s: %+v, want nil", c.name, v)
		}
	}
}
