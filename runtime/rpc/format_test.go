package rpc

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		name   string
		result string
		want   string
	}{
		{name: "string", result: `"kamailio 5.6.3 (x86_64/linux) "`, want: "kamailio 5.6.3 (x86_64/linux) \n"},
		{name: "number", result: `12345678901234567890`, want: "12345678901234567890\n"},
		{name: "float", result: `2.50`, want: "2.50\n"},
		{name: "bool", result: `true`, want: "true\n"},
		{name: "null prints nothing", result: `null`, want: ""},
		{name: "empty array prints nothing", result: `[]`, want: ""},
		{
			name:   "object keeps member order",
			result: `{"now":"Sun Nov 22 18:49:54 2026","up_since":"Sun Nov 22 18:49:50 2026","uptime":4}`,
			want:   "{\n\tnow: Sun Nov 22 18:49:54 2026\n\tup_since: Sun Nov 22 18:49:50 2026\n\tuptime: 4\n}\n",
		},
		{name: "empty object", result: `{}`, want: "{\n}\n"},
		{
			name:   "top-level array of scalars, one per line (core.ps)",
			result: `[2734, "main process - attendant", 2736, "udp receiver child=0 sock=127.0.0.1:35061"]`,
			want:   "2734\nmain process - attendant\n2736\nudp receiver child=0 sock=127.0.0.1:35061\n",
		},
		{
			name:   "top-level array of objects, one block each (core.psx)",
			result: `[{"IDX":0,"PID":2734,"DSC":"main"},{"IDX":1,"PID":2736,"DSC":"udp"}]`,
			want:   "{\n\tIDX: 0\n\tPID: 2734\n\tDSC: main\n}\n{\n\tIDX: 1\n\tPID: 2736\n\tDSC: udp\n}\n",
		},
		{
			name:   "nested object (core.sockets_list)",
			result: `[{"socket":{"proto":"udp","address":"127.0.0.1","port":"35061"}}]`,
			want:   "{\n\tsocket: {\n\t\tproto: udp\n\t\taddress: 127.0.0.1\n\t\tport: 35061\n\t}\n}\n",
		},
		{
			name:   "array inside an object",
			result: `{"myself_callbacks":"no","aliases":[{"alias":{"proto":"udp","port":5060}},"x",[1,2]],"none":[],"n":null}`,
			want: "{\n\tmyself_callbacks: no\n\taliases: [\n" +
				"\t\t{\n\t\t\talias: {\n\t\t\t\tproto: udp\n\t\t\t\tport: 5060\n\t\t\t}\n\t\t}\n" +
				"\t\tx\n\t\t[\n\t\t\t1\n\t\t\t2\n\t\t]\n\t]\n\tnone: [\n\t]\n\tn: null\n}\n",
		},
		{
			name:   "nested array at top level",
			result: `[1,[2,3],null]`,
			want:   "1\n[\n\t2\n\t3\n]\nnull\n",
		},
		{
			name:   "string escapes are decoded",
			result: `{"last checked":"Thu Jan  1 00:00:00 1970\n","q":"a\"b\u00e9"}`,
			want:   "{\n\tlast checked: Thu Jan  1 00:00:00 1970\n\n\tq: a\"bé\n}\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := Format(&out, json.RawMessage(tt.result)); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, out.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestFormatRejectsBadJSON(t *testing.T) {
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	for _, bad := range []string{``, `{`, `{"a":}`, `1 2`, deep} {
		var out bytes.Buffer
		if err := Format(&out, json.RawMessage(bad)); err == nil {
			t.Errorf("Format(%.20q) succeeded with %q", bad, out.String())
		}
	}
}
