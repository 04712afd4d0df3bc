package check_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/kamgo/kamgo/lang/check"
	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
)

const stockConfig = "/etc/kamailio/kamailio.cfg"

// TestStockConfigClean pins that the stock config, with the modules it loads
// registered, gives no diagnostics: the checker's false-positive guard.
func TestStockConfigClean(t *testing.T) {
	if _, err := os.Stat(stockConfig); err != nil {
		t.Skip("no stock kamailio.cfg here")
	}
	cfg, _, perr := parser.ParseFile(stockConfig, preproc.Options{})
	if perr.HasErrors() {
		t.Fatalf("parse: %v", perr)
	}
	if got := render(check.Config(cfg, check.Options{Registry: testRegistry()})); len(got) > 0 {
		t.Errorf("stock config: %q", got)
	}
}

// BenchmarkStockConfig parses and checks the stock kamailio.cfg.
func BenchmarkStockConfig(b *testing.B) {
	src, err := os.ReadFile(stockConfig)
	if err != nil {
		b.Skip("no stock kamailio.cfg here")
	}
	reg := testRegistry()
	b.ReportAllocs()
	for b.Loop() {
		cfg, _, _ := parser.ParseSource(stockConfig, src, preproc.Options{})
		check.Config(cfg, check.Options{Registry: reg})
	}
}

// BenchmarkStockConfigCheckOnly checks an already parsed stock config.
func BenchmarkStockConfigCheckOnly(b *testing.B) {
	src, err := os.ReadFile(stockConfig)
	if err != nil {
		b.Skip("no stock kamailio.cfg here")
	}
	reg := testRegistry()
	cfg, _, _ := parser.ParseSource(stockConfig, src, preproc.Options{})
	b.ReportAllocs()
	for b.Loop() {
		check.Config(cfg, check.Options{Registry: reg})
	}
}

// generatedConfig returns a config of about lines lines: many routes
// calling each other, with the usual mix of calls, conditions and PVs.
func generatedConfig(lines int) []byte {
	var b strings.Builder
	b.WriteString(hdr)
	b.WriteString("loadmodule \"rr.so\"\nloadmodule \"maxfwd.so\"\n")
	b.WriteString("request_route {\n\troute(R0);\n}\n")
	n := 0
	for i := 0; strings.Count(b.String(), "\n") < lines; i++ {
		fmt.Fprintf(&b, "route[R%d] {\n", i)
		fmt.Fprintf(&b, "\tif (is_method(\"INVITE\") && $rU =~ \"^[0-9]+$\") {\n\t\txlog(\"L_INFO\", \"call $ci from $fu to $(ru{uri.user}) #%d\\n\");\n\t}\n", i)
		b.WriteString("\t$var(n) = $var(n) + 1;\n\tif (!mf_process_maxfwd_header(\"10\")) {\n\t\tsl_send_reply(\"483\", \"Too Many Hops\");\n\t\texit;\n\t}\n")
		b.WriteString("\tswitch ($var(n)) {\n\tcase 1:\n\t\tbreak;\n\tdefault:\n\t\t$avp(x) = $hdr(Via);\n\t}\n")
		fmt.Fprintf(&b, "\troute(R%d);\n}\n", i+1)
		n = i + 1
	}
	fmt.Fprintf(&b, "route[R%d] {\n\tt_relay();\n}\n", n)
	return []byte(b.String())
}

// BenchmarkGenerated10k parses and checks a generated 10,000-line config.
func BenchmarkGenerated10k(b *testing.B) {
	src := generatedConfig(10000)
	reg := testRegistry()
	if cfg, _, perr := parser.ParseSource("gen.cfg", src, preproc.Options{}); perr.HasErrors() {
		b.Fatalf("parse: %v", perr)
	} else if d := check.Config(cfg, check.Options{Registry: reg}); len(d) > 0 {
		b.Fatalf("generated config has findings: %v", d)
	}
	b.ReportAllocs()
	for b.Loop() {
		cfg, _, _ := parser.ParseSource("gen.cfg", src, preproc.Options{})
		check.Config(cfg, check.Options{Registry: reg})
	}
}

// BenchmarkGenerated10kCheckOnly checks an already parsed 10,000-line config.
func BenchmarkGenerated10kCheckOnly(b *testing.B) {
	src := generatedConfig(10000)
	reg := testRegistry()
	cfg, _, _ := parser.ParseSource("gen.cfg", src, preproc.Options{})
	b.ReportAllocs()
	for b.Loop() {
		check.Config(cfg, check.Options{Registry: reg})
	}
}

func TestGeneratedConfigSize(t *testing.T) {
	if n := strings.Count(string(generatedConfig(10000)), "\n"); n < 10000 || n > 10100 {
		t.Errorf("generated config has %d lines, want about 10000", n)
	}
}
