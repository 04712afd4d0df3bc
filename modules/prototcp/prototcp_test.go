package prototcp_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	"github.com/kamgo/kamgo/modules/prototcp"
	"github.com/kamgo/kamgo/runtime/core"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/transport"
)

type fakeHost struct{ states map[string]any }

func (h *fakeHost) Module(name string) (any, bool) { v, ok := h.states[name]; return v, ok }
func (h *fakeHost) HasEventRoute(string) bool      { return false }
func (h *fakeHost) Logger() *logging.Logger        { return logging.Discard() }

func apply(t *testing.T, st *prototcp.State, name string, v module.ParamValue) error {
	t.Helper()
	m, ok := module.Default().Lookup(prototcp.Name)
	if !ok {
		t.Fatal("proto_tcp not registered")
	}
	p, ok := m.Param(name)
	if !ok {
		t.Fatalf("no parameter %s", name)
	}
	return p.Apply(&fakeHost{states: map[string]any{prototcp.Name: st}}, v)
}

func TestParamValidation(t *testing.T) {
	tests := []struct {
		name  string
		value int64
		ok    bool
	}{
		{"tcp_port", 5070, true}, {"tcp_port", 0, false}, {"tcp_port", -1, false}, {"tcp_port", 65536, false},
		{"tcp_send_timeout", 250, true}, {"tcp_send_timeout", 0, false}, {"tcp_send_timeout", -5, false},
		{"tcp_max_msg_chunks", 8, true}, {"tcp_max_msg_chunks", 0, true}, {"tcp_max_msg_chunks", -1, false},
		{"tcp_crlf_pingpong", 0, true}, {"tcp_crlf_pingpong", -1, false},
		{"tcp_crlf_drop", 1, true}, {"tcp_crlf_drop", -1, false},
		{"tcp_async", 0, true}, {"tcp_async", -1, false},
		{"tcp_async_max_postponed_chunks", 16, true}, {"tcp_async_max_postponed_chunks", 0, false},
		{"tcp_async_max_postponed_chunks", -3, false},
		{"tcp_async_local_connect_timeout", 200, true}, {"tcp_async_local_connect_timeout", -1, false},
		{"tcp_async_local_write_timeout", 100, true}, {"tcp_async_local_write_timeout", -1, false},
		{"tcp_async_local_write_timeout", 1 << 40, false},
		{"tcp_parallel_handling", 1, true}, {"tcp_parallel_handling", -1, false},
	}
	for _, tc := range tests {
		err := apply(t, prototcp.New(), tc.name, module.ParamValue{IsInt: true, Int: tc.value})
		if (err == nil) != tc.ok {
			t.Errorf("%s = %d: err = %v, want ok=%v", tc.name, tc.value, err, tc.ok)
		}
	}
	if err := apply(t, prototcp.New(), "tcp_port", module.ParamValue{Str: "5060"}); err == nil {
		t.Error("a string value was accepted for tcp_port")
	}
	m, _ := module.Default().Lookup(prototcp.Name)
	p, _ := m.Param("tcp_port")
	if err := p.Apply(&fakeHost{}, module.ParamValue{IsInt: true, Int: 5060}); err == nil {
		t.Error("a missing state was not reported")
	}
}

func TestApplyTCP(t *testing.T) {
	// What the core parameters made (Kamailio units and defaults).
	coreOpts := transport.TCPOptions{
		SendTimeout: 10 * time.Second, CRLFPing: true, Async: true, MaxQueued: 32,
		LocalWriteTimeout: 10 * time.Millisecond, LocalConnectTimeout: 100 * time.Millisecond,
	}

	t.Run("nothing set keeps the core's values", func(t *testing.T) {
		st := prototcp.New()
		o := coreOpts
		st.ApplyTCP(&o)
		if diff := cmp.Diff(coreOpts, o, equateAddr); diff != "" {
			t.Errorf("options changed (-want +got):\n%s", diff)
		}
		if port, set := st.TCPPort(); set || port != 5060 {
			t.Errorf("TCPPort = %d, %v; want 5060, false", port, set)
		}
	})

	t.Run("every parameter", func(t *testing.T) {
		st := prototcp.New()
		for name, v := range map[string]int64{
			"tcp_port": 5070, "tcp_send_timeout": 250, "tcp_max_msg_chunks": 8, "tcp_crlf_pingpong": 0,
			"tcp_crlf_drop": 1, "tcp_async": 0, "tcp_async_max_postponed_chunks": 16,
			"tcp_async_local_connect_timeout": 200, "tcp_async_local_write_timeout": 15, "tcp_parallel_handling": 1,
		} {
			if err := apply(t, st, name, module.ParamValue{IsInt: true, Int: v}); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		o := coreOpts
		o.Lifetime, o.MaxConnections = 120*time.Second, 2048 // not proto_tcp's: must stay
		st.ApplyTCP(&o)
		want := transport.TCPOptions{
			SendTimeout: 250 * time.Millisecond, MaxMsgChunks: 8, CRLFPing: false, CRLFDrop: true, Async: false,
			MaxQueued: 16, LocalConnectTimeout: 200 * time.Millisecond, LocalWriteTimeout: 15 * time.Millisecond,
			ParallelHandling: true, Lifetime: 120 * time.Second, MaxConnections: 2048,
		}
		if diff := cmp.Diff(want, o, equateAddr); diff != "" {
			t.Errorf("options (-want +got):\n%s", diff)
		}
		if port, set := st.TCPPort(); !set || port != 5070 {
			t.Errorf("TCPPort = %d, %v; want 5070, true", port, set)
		}
	})

	t.Run("only what was set", func(t *testing.T) {
		st := prototcp.New()
		if err := apply(t, st, "tcp_send_timeout", module.ParamValue{IsInt: true, Int: 100}); err != nil {
			t.Fatal(err)
		}
		o := coreOpts
		st.ApplyTCP(&o)
		want := coreOpts
		want.SendTimeout = 100 * time.Millisecond
		if diff := cmp.Diff(want, o, equateAddr); diff != "" {
			t.Errorf("options (-want +got):\n%s", diff)
		}
	})
}

func load(t *testing.T, cfg string) (*core.Loaded, string) {
	t.Helper()
	c, res, d := parser.ParseSource("test.cfg", []byte(cfg), preproc.Options{})
	if d.HasErrors() {
		t.Fatalf("parse: %v", d)
	}
	l, ld := core.Load(c, res, core.LoadOptions{Log: logging.Discard()})
	var errs []string
	for _, x := range ld {
		if x.Severity == diag.Error {
			errs = append(errs, x.String())
		}
	}
	return l, strings.Join(errs, "\n")
}

func TestConfig(t *testing.T) {
	tests := []struct {
		name, params, want string
	}{
		{"defaults", "", ""},
		{"values", `modparam("proto_tcp", "tcp_send_timeout", 300)` + "\n" + `modparam("proto_tcp", "tcp_port", 5080)`, ""},
		{"negative", `modparam("proto_tcp", "tcp_async_local_write_timeout", -10)`, "tcp_async_local_write_timeout must be between"},
		{"string for int", `modparam("proto_tcp", "tcp_port", "5080")`, "takes an integer"},
		{"trace_on", `modparam("proto_tcp", "trace_on", 1)`, "TCP tracing (HEP) comes in a later kamgo release"},
		{"trace_destination", `modparam("proto_tcp", "trace_destination", "hep_dest")`, "TCP tracing (HEP)"},
		{"trace_filter_route", `modparam("proto_tcp", "trace_filter_route", "tcp_filter")`, "TCP tracing (HEP)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, got := load(t, "loadmodule \"proto_tcp.so\"\n"+tc.params+"\nrequest_route {\n;\n}\n")
			switch {
			case tc.want == "" && got != "":
				t.Fatalf("unexpected problems:\n%s", got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Fatalf("problems %q do not mention %q", got, tc.want)
			}
			if tc.name != "values" {
				return
			}
			v, _ := l.Host().Module(prototcp.Name)
			st := v.(*prototcp.State)
			var o transport.TCPOptions
			st.ApplyTCP(&o)
			if port, set := st.TCPPort(); o.SendTimeout != 300*time.Millisecond || port != 5080 || !set {
				t.Errorf("send timeout %v, port %d %v", o.SendTimeout, port, set)
			}
		})
	}
}

// equateAddr compares netip.Addr fields by value.
var equateAddr = cmpopts.EquateComparable(netip.Addr{})
