package parser_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
)

// BenchmarkParseDebian preprocesses and parses the Debian default config.
func BenchmarkParseDebian(b *testing.B) {
	const path = "/etc/kamailio/kamailio.cfg"
	src, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("%s: %v", path, err)
	}
	opts := preproc.Options{ReadFile: func(p string) ([]byte, error) {
		if p == path {
			return src, nil
		}
		return os.ReadFile(p)
	}}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		_, _, d := parser.ParseFile(path, opts)
		if d.HasErrors() {
			b.Fatal(d)
		}
	}
}

// routeTemplate is one realistic sub-route: conditions on keywords and
// pseudo-variables, function calls, a switch, a while loop, defines.
const routeTemplate = `
# route %[1]d
route[R%[1]d] {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (method == INVITE && !has_totag() && src_ip != 10.0.0.0/8) {
		xlog("L_INFO", "route %[1]d: $rm from $fu to $ru ($si:$sp)\n");
		setflag(FLT_ACC);
		$var(n%[1]d) = $(hdr(Via)[0]{s.len}) + %[1]d * 2 - (1 << 3);
	} else if ($rU =~ "^\+?[0-9]+$" || uri == myself) {
		t_on_failure("MANAGE_FAILURE");
		route(RELAY);
	}
	switch ($rU) {
		case "alice":
			$du = "sip:10.0.0.%[2]d:5060";
			break;
		case /"^00":
			$avp(s:intl) = 1;
		default:
			append_hf("X-Route: %[1]d\r\n");
	}
	$var(i) = 0;
	while ($var(i) < 3) {
		$var(i) = $var(i) + 1;
	}
	if (defined $avp(x) && strlen($var(s)) > 0) return 1;
	return -1;
}
`

// generatedConfig builds a config of at least lines lines.
func generatedConfig(lines int) []byte {
	var b strings.Builder
	b.WriteString("#!KAMAILIO\n#!define FLT_ACC 1\n#!define WITH_NAT\ndebug=2\nchildren=8\nlisten=udp:127.0.0.1:5060\n")
	b.WriteString("loadmodule \"tm.so\"\nmodparam(\"tm\", \"fr_timer\", 30000)\n")
	b.WriteString("request_route {\n\troute(R0);\n\troute(RELAY);\n}\nroute[RELAY] {\n\tt_relay();\n}\n")
	for i := 0; strings.Count(b.String(), "\n") < lines; i++ {
		fmt.Fprintf(&b, routeTemplate, i, i%250+1)
	}
	return []byte(b.String())
}

// BenchmarkParse10k preprocesses and parses a generated 10,000-line config.
func BenchmarkParse10k(b *testing.B) {
	src := generatedConfig(10000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		_, _, d := parser.ParseSource("gen.cfg", src, preproc.Options{})
		if d.HasErrors() {
			b.Fatal(d[0])
		}
	}
}
