package pv

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// storeEnv compiles references on demand and runs them on one State.
type storeEnv struct {
	t   *testing.T
	c   *Compiler
	st  *State
	pvs map[string]*PV
	fmt map[string]*CompiledFormat
}

func newStoreEnv(t *testing.T) *storeEnv {
	t.Helper()
	return &storeEnv{
		t: t,
		c: NewCompiler(NewTable()),
		st: &State{
			AVPs:    &AVPList{},
			XAVPs:   &XAVPList{},
			Vars:    NewVarStore(0),
			Globals: &Globals{Shared: NewSharedVars(), Start: time.Unix(1700000000, 0), PID: 4242},
			RURIQ:   -1,
		},
		pvs: map[string]*PV{},
		fmt: map[string]*CompiledFormat{},
	}
}

func (e *storeEnv) pv(src string) *PV {
	e.t.Helper()
	if p, ok := e.pvs[src]; ok {
		return p
	}
	spec, err := Parse(src)
	if err != nil {
		e.t.Fatalf("Parse(%q): %v", src, err)
	}
	p, err := e.c.Compile(spec)
	if err != nil {
		e.t.Fatalf("Compile(%q): %v", src, err)
	}
	e.pvs[src] = p
	return p
}

// text evaluates a format string as xlog prints it.
func (e *storeEnv) text(format string) string {
	e.t.Helper()
	f, ok := e.fmt[format]
	if !ok {
		var err error
		if f, err = e.c.CompileFormat(format); err != nil {
			e.t.Fatalf("CompileFormat(%q): %v", format, err)
		}
		e.fmt[format] = f
	}
	return string(f.Append(e.st, nil))
}

// storeStep is one assignment; an empty PV ends the message (State.Reset).
type storeStep struct {
	pv      string
	v       Value
	wantErr bool
}

func storeSet(pv string, v any) storeStep {
	switch x := v.(type) {
	case int:
		return storeStep{pv: pv, v: Int(int64(x))}
	case string:
		return storeStep{pv: pv, v: Str(x)}
	}
	return storeStep{pv: pv, v: Null()}
}

func storeSetErr(pv string, v any) storeStep {
	s := storeSet(pv, v)
	s.wantErr = true
	return s
}

var storeNextMsg = storeStep{}

func (e *storeEnv) run(steps []storeStep) {
	e.t.Helper()
	for _, s := range steps {
		if s.pv == "" {
			e.st.Reset()
			continue
		}
		err := e.pv(s.pv).Set(e.st, s.v)
		if (err != nil) != s.wantErr {
			e.t.Errorf("%s = %v: error %v, want error %v", s.pv, s.v, err, s.wantErr)
		}
	}
}

type storeCase struct {
	name  string
	steps []storeStep
	get   string // a format string
	want  string
}

func runStoreCases(t *testing.T, cases []storeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newStoreEnv(t)
			e.run(tc.steps)
			if got := e.text(tc.get); got != tc.want {
				t.Errorf("%q = %q, want %q", tc.get, got, tc.want)
			}
		})
	}
}

// The expectations are what Kamailio 5.6.3 printed (tests/compat
// cases_var.go, cases_flag.go and cases_store2.go).
func TestVars(t *testing.T) {
	runStoreCases(t, []storeCase{
		{"starts_as_int_0", nil, "fresh=$var(fresh) vz=$vz(z) vn=$vn(n)", "fresh=0 vz=0 vn=<null>"},
		{"set_null_is_0", []storeStep{storeSet("$var(x)", "abc"), storeSet("$var(x)", nil)}, "x=$var(x)", "x=0"},
		{"int_and_string", []storeStep{storeSet("$var(x)", 7), storeSet("$var(y)", "seven")}, "x=$var(x) y=$var(y)", "x=7 y=seven"},
		{"vz_shares_with_var", []storeStep{storeSet("$var(x)", 5), storeSet("$vz(y)", "s")}, "vz=$vz(x) vn=$vn(x) var=$var(y)", "vz=5 vn=<null> var=s"},
		{"vn_set_and_null", []storeStep{storeSet("$vn(x)", 3)}, "vn=$vn(x)", "vn=3"},
		{"vn_zero_is_not_null", []storeStep{storeSet("$vn(x)", 0)}, "vn=$vn(x)", "vn=0"},
		{"vn_null", []storeStep{storeSet("$vn(x)", 3), storeSet("$vn(x)", nil), storeSet("$vz(z)", "a"), storeSet("$vz(z)", nil)}, "vn=$vn(x) vz=$vz(z)", "vn=<null> vz=0"},
		{"persists_across_messages", []storeStep{storeSet("$var(x)", "kept"), storeSet("$vn(y)", 1), storeNextMsg}, "x=$var(x) y=$vn(y)", "x=kept y=1"},
		{"literal_dynamic_name", []storeStep{storeSet("$var(n)", "z"), storeSet("$var($var(n))", 4)}, "a=$var($var(n)) z=$var(z)", "a=4 z=0"},
	})
}

func TestVarCopiesStrings(t *testing.T) {
	e := newStoreEnv(t)
	b := []byte("abc")
	if err := e.pv("$var(x)").Set(e.st, Bytes(b)); err != nil {
		t.Fatal(err)
	}
	copy(b, "zzz")
	if got := e.text("$var(x)"); got != "abc" {
		t.Errorf("$var(x) = %q after the source changed, want abc", got)
	}
}

func TestAVPs(t *testing.T) {
	push123 := []storeStep{storeSet("$avp(a)", 1), storeSet("$avp(a)", 2), storeSet("$avp(a)", 3)}
	with := func(more ...storeStep) []storeStep { return append(append([]storeStep{}, push123...), more...) }
	runStoreCases(t, []storeCase{
		{"unset", nil, "a=$avp(nope) all=$(avp(nope)[*]) cnt=$cnt($avp(nope))", "a=<null> all=<null> cnt=0"},
		{"pushes", push123, "top=$avp(a) i0=$(avp(a)[0]) i1=$(avp(a)[1]) i2=$(avp(a)[2]) i5=$(avp(a)[5]) cnt=$cnt($avp(a))", "top=3 i0=3 i1=2 i2=1 i5=<null> cnt=3"},
		{"star_joins", push123, "all=$(avp(a)[*])", "all=3, 2, 1"},
		{"negative_indexes", push123, "m1=$(avp(a)[-1]) m2=$(avp(a)[-2]) m3=$(avp(a)[-3]) m4=$(avp(a)[-4])", "m1=<null> m2=<null> m3=3 m4=<null>"},
		{"null_deletes_one", with(storeSet("$avp(a)", nil)), "top=$avp(a) cnt=$cnt($avp(a))", "top=2 cnt=2"},
		{"index_null_deletes_top", with(storeSet("$(avp(a)[2])", nil)), "all=$(avp(a)[*])", "all=2, 1"},
		{"star_null_deletes_all", with(storeSet("$(avp(a)[*])", nil)), "top=$avp(a) cnt=$cnt($avp(a))", "top=<null> cnt=0"},
		{"star_assign_replaces", with(storeSet("$(avp(a)[*])", 9)), "all=$(avp(a)[*]) cnt=$cnt($avp(a))", "all=9 cnt=1"},
		{"index_assign_pushes", with(storeSet("$(avp(a)[1])", 7)), "all=$(avp(a)[*])", "all=7, 3, 2, 1"},
		{"mixed_types", []storeStep{storeSet("$avp(a)", 1), storeSet("$avp(a)", "two")}, "all=$(avp(a)[*])", "all=two, 1"},
		{"not_across_messages", []storeStep{storeSet("$avp(a)", "set"), storeNextMsg}, "a=$avp(a)", "a=<null>"},
		{"s_prefix", []storeStep{storeSet("$avp(s:a)", "v")}, "a=$avp(a)", "a=v"},
		{"int_ids", []storeStep{storeSet("$avp(i:743)", "num"), storeSet("$avp(744)", "str")}, "a=$avp(i:743) b=$avp(743) c=$avp(i:744) d=$avp(744)", "a=num b=<null> c=<null> d=str"},
		{"case_sensitive", []storeStep{storeSet("$avp(Abc)", 1)}, "low=$avp(abc) same=$avp(Abc)", "low=<null> same=1"},
		{"dynamic_name", []storeStep{storeSet("$var(n)", "dyn"), storeSet("$avp($var(n))", "v1")}, "a=$avp(dyn) b=$avp($var(n)) cnt=$cnt($avp($var(n)))", "a=v1 b=v1 cnt=1"},
		{"dynamic_int_name", []storeStep{storeSet("$var(n)", 745), storeSet("$avp($var(n))", "x")}, "i=$avp(i:745) s=$avp(745)", "i=x s=<null>"},
		{"index_var", []storeStep{storeSet("$avp(a)", "p"), storeSet("$avp(a)", "q"), storeSet("$var(i)", 1)}, "v=$(avp(a)[$var(i)])", "v=p"},
		{"star_on_empty_assign", []storeStep{storeSet("$(avp(a)[*])", "x")}, "all=$(avp(a)[*]) cnt=$cnt($avp(a))", "all=x cnt=1"},
	})
}

func TestAVPStarIsString(t *testing.T) {
	e := newStoreEnv(t)
	e.run([]storeStep{storeSet("$avp(a)", 1)})
	if v := e.pv("$(avp(a)[*])").Get(e.st); v != Str("1") {
		t.Errorf("$(avp(a)[*]) = %#v, want the string 1", v)
	}
	if v := e.pv("$avp(a)").Get(e.st); v != Int(1) {
		t.Errorf("$avp(a) = %#v, want the integer 1", v)
	}
}

func TestAVPCopiesStrings(t *testing.T) {
	e := newStoreEnv(t)
	b := []byte("abc")
	for i := 0; i < 100; i++ { // several chunks
		if err := e.pv("$avp(a)").Set(e.st, Bytes(b)); err != nil {
			t.Fatal(err)
		}
	}
	copy(b, "zzz")
	if got := e.text("$(avp(a)[99])"); got != "abc" {
		t.Errorf("oldest value = %q after the source changed, want abc", got)
	}
}

func TestXAVPs(t *testing.T) {
	three := []storeStep{storeSet("$xavp(r=>a)", 1), storeSet("$xavp(r=>a)", 2), storeSet("$xavp(r=>a)", 3)}
	with := func(more ...storeStep) []storeStep { return append(append([]storeStep{}, three...), more...) }
	runStoreCases(t, []storeCase{
		{"set_and_read", []storeStep{storeSet("$xavp(r=>a)", 1), storeSet("$xavp(r[0]=>b)", "x")}, "a=$xavp(r=>a) b=$xavp(r=>b)", "a=1 b=x"},
		{"root_assignment_adds_item", []storeStep{storeSet("$xavp(r=>a)", 1), storeSet("$xavp(r=>a)", 2)}, "r0a=$xavp(r[0]=>a) r1a=$xavp(r[1]=>a) cnt=$cnt($xavp(r))", "r0a=2 r1a=1 cnt=2"},
		{"unset", nil, "x=$xavp(nope=>a) r=$xavp(nope)", "x=<null> r=<null>"},
		{"null_deletes", []storeStep{storeSet("$xavp(r=>a)", 1), storeSet("$xavp(r)", nil)}, "a=$xavp(r=>a) cnt=$cnt($xavp(r))", "a=<null> cnt=0"},
		{"not_across_messages", []storeStep{storeSet("$xavp(r=>a)", "set"), storeNextMsg}, "a=$xavp(r=>a)", "a=<null>"},
		{"sub_add", []storeStep{storeSet("$xavp(r=>a)", 1), storeSet("$xavp(r[0]=>a)", 5)}, "a=$xavp(r=>a) all=$xavp(r=>a[*]) c=$cnt($xavp(r=>a)) cr=$cnt($xavp(r))", "a=5 all=5, 1 c=2 cr=1"},
		{"sub_set_index", []storeStep{storeSet("$xavp(r=>a)", 1), storeSet("$xavp(r[0]=>a)", 5), storeSet("$xavp(r[0]=>a[1])", 9)}, "all=$xavp(r=>a[*])", "all=5, 9"},
		{"root_value", []storeStep{storeSet("$xavp(r)", "root"), storeSet("$xavp(r)", 2)}, "r=$xavp(r) r1=$xavp(r[1]) c=$cnt($xavp(r)) sub=$xavp(r=>a)", "r=2 r1=root c=2 sub=<null>"},
		{"negative", with(storeSet("$xavp(r[0]=>b)", "x"), storeSet("$xavp(r[0]=>b)", "y")), "last=$xavp(r[-1]=>a) m2=$xavp(r[-2]=>a) bl=$xavp(r=>b[-1]) b0=$xavp(r=>b[0])", "last=1 m2=2 bl=x b0=y"},
		{"del_index", with(storeSet("$xavp(r[1])", nil)), "r0=$xavp(r[0]=>a) r1=$xavp(r[1]=>a) c=$cnt($xavp(r))", "r0=3 r1=1 c=2"},
		{"del_top", []storeStep{storeSet("$xavp(r=>a)", 1), storeSet("$xavp(r=>a)", 2), storeSet("$xavp(r)", nil)}, "r0=$xavp(r[0]=>a) c=$cnt($xavp(r))", "r0=1 c=1"},
		{"del_all", []storeStep{storeSet("$xavp(r=>a)", 1), storeSet("$xavp(r=>a)", 2), storeSet("$xavp(r[*])", nil)}, "c=$cnt($xavp(r))", "c=0"},
		{"del_sub", []storeStep{storeSet("$xavp(r=>a)", 1), storeSet("$xavp(r[0]=>a)", 2), storeSet("$xavp(r[0]=>b)", 3), storeSet("$xavp(r=>a)", nil)}, "a=$xavp(r=>a) b=$xavp(r=>b) ca=$cnt($xavp(r=>a))", "a=1 b=3 ca=1"},
		{"negative_delete_misses", with(storeSet("$xavp(r[-1])", nil)), "c=$cnt($xavp(r)) last=$xavp(r[-1]=>a)", "c=3 last=1"},
		{"negative_set_misses", []storeStep{storeSet("$xavp(r=>a)", 1), storeSet("$xavp(r=>a)", 2), storeSet("$xavp(r[-1]=>b)", "nb")}, "b0=$xavp(r[0]=>b) b1=$xavp(r[1]=>b)", "b0=<null> b1=<null>"},
		{"index_without_root", []storeStep{storeSet("$xavp(r[0]=>a)", 1)}, "a=$xavp(r=>a) c=$cnt($xavp(r))", "a=<null> c=0"},
		{"root_index_set", []storeStep{storeSet("$xavp(r)", 1), storeSet("$xavp(r)", 2), storeSet("$xavp(r[1])", 7)}, "r0=$xavp(r[0]) r1=$xavp(r[1]) c=$cnt($xavp(r))", "r0=2 r1=7 c=2"},
		{"cnt_forms", []storeStep{storeSet("$xavp(r=>a)", 1), storeSet("$xavp(r[0]=>a)", 2), storeSet("$xavp(r=>a)", 3)},
			"all=$cnt($xavp(r=>a)) r0=$cnt($xavp(r[0]=>a)) r1=$cnt($xavp(r[1]=>a)) r5=$cnt($xavp(r[5])) r1x=$cnt($xavp(r[1])) sub1=$cnt($xavp(r[*]=>a[1]))",
			"all=3 r0=1 r1=2 r5=0 r1x=1 sub1=1"},
		{"index_var", []storeStep{storeSet("$xavp(r=>a)", "x"), storeSet("$xavp(r=>a)", "y"), storeSet("$var(i)", 1)}, "v=$xavp(r[$var(i)]=>a)", "v=x"},
		{"key_case", []storeStep{storeSet("$xavp(r=>Key)", 1)}, "k=$xavp(r=>key) K=$xavp(r=>Key)", "k=<null> K=1"},
		{"root_star_read", []storeStep{storeSet("$xavp(r=>a)", 1), storeSet("$xavp(r=>a)", 2)}, "s=$xavp(r[*]=>a)", "s=2"},
		{"star_assign", []storeStep{storeSet("$xavp(r=>a)", 1), storeSet("$xavp(r[*]=>a)", 5), storeSet("$xavp(r=>a[*])", 6)}, "all=$xavp(r=>a[*]) c=$cnt($xavp(r))", "all=6 c=2"},
		{"xavu_single", []storeStep{storeSet("$xavu(u=>a)", 1), storeSet("$xavu(u=>a)", 2), storeSet("$xavu(u=>b)", 3)}, "a=$xavu(u=>a) b=$xavu(u=>b) xavp=$xavp(u=>a)", "a=2 b=3 xavp=<null>"},
		{"xavu_root", []storeStep{storeSet("$xavu(u)", "one"), storeSet("$xavu(u)", "two")}, "u=$xavu(u)", "u=two"},
		{"xavu_root_null", []storeStep{storeSet("$xavu(u)", "one"), storeSet("$xavu(u)", nil)}, "u=$xavu(u)", "u=<null>"},
		{"xavu_sub_null", []storeStep{storeSet("$xavu(u=>a)", 1), storeSet("$xavu(u=>b)", 2), storeSet("$xavu(u=>a)", nil)}, "a=$xavu(u=>a) b=$xavu(u=>b)", "a=<null> b=2"},
		{"xavu_child_replaces_value", []storeStep{storeSet("$xavu(u)", "s"), storeSet("$xavu(u=>a)", 1), storeSet("$xavu(v=>a)", 1), storeSet("$xavu(v)", 2)}, "a=$xavu(u=>a) v=$xavu(v) va=$xavu(v=>a)", "a=1 v=2 va=<null>"},
		{"scalar_root_has_no_fields", []storeStep{storeSet("$xavp(r)", "s"), storeSetErr("$xavp(r[0]=>a)", 1)}, "r=$xavp(r) a=$xavp(r=>a) c=$cnt($xavp(r=>a))", "r=s a=<null> c=0"},
		{"cnt_negative", []storeStep{storeSet("$xavp(r=>a)", 1), storeSet("$xavp(r[0]=>a)", 2), storeSet("$xavp(r=>a)", 3)}, "c=$cnt($xavp(r[-1]=>a)) d=$cnt($xavp(r[-1]=>a[-2])) e=$cnt($xavp(r[0]=>a[-2]))", "c=2 d=1 e=0"},
		{"xavi_case", []storeStep{storeSet("$xavi(I=>Key)", 1), storeSet("$xavi(i=>KEY)", 2)}, "k=$xavi(i=>key) k1=$xavi(I[1]=>kEy) xavp=$xavp(I=>Key)", "k=2 k1=1 xavp=<null>"},
	})
}

func TestXAVPListPrintsPointer(t *testing.T) {
	e := newStoreEnv(t)
	e.run([]storeStep{storeSet("$xavp(r=>a)", 1)})
	if got := e.text("$xavp(r)"); !strings.HasPrefix(got, "<<xavp:0x") || !strings.HasSuffix(got, ">>") {
		t.Errorf("$xavp(r) = %q, want <<xavp:0x…>>", got)
	}
}

func TestXAVPReuseAfterReset(t *testing.T) {
	e := newStoreEnv(t)
	for i := 0; i < 3; i++ {
		e.run([]storeStep{storeSet("$xavp(r=>a)", "x"), storeSet("$xavp(r[0]=>b)", "y"), storeSet("$xavp(s=>a)", i)})
		if got, want := e.text("$xavp(r=>a) $xavp(r=>b) $xavp(s=>a) $cnt($xavp(r))"), "x y "+string(rune('0'+i))+" 1"; got != want {
			t.Errorf("round %d: %q, want %q", i, got, want)
		}
		e.st.Reset()
	}
	l := e.st.XAVPs
	l.AddXAVP("api", XAVPField{"k", Int(1)}, XAVPField{"k", Str("v")})
	if v, ok := l.XAVP("api", 0, "k", 0); !ok || v != Str("v") {
		t.Errorf("XAVP(api, 0, k, 0) = %v %v, want v", v, ok)
	}
	if n := l.CountXAVP("api"); n != 1 {
		t.Errorf("CountXAVP = %d", n)
	}
}

func TestSharedVars(t *testing.T) {
	runStoreCases(t, []storeCase{
		{"unset_is_0", nil, "s=$shv(never)", "s=0"},
		{"string", []storeStep{storeSet("$shv(s)", "abc")}, "s=$shv(s)", "s=abc"},
		{"set_null_is_empty", []storeStep{storeSet("$shv(s)", "abc"), storeSet("$shv(s)", nil)}, "s=$shv(s)", "s="},
		{"persists", []storeStep{storeSet("$shv(t)", 2), storeNextMsg}, "t=$shv(t)", "t=2"},
	})
}

func TestParseShvset(t *testing.T) {
	tests := []struct {
		in      string
		name    string
		v       Value
		wantErr bool
	}{
		{in: "x=i:10", name: "x", v: Int(10)},
		{in: "x=I:-7", name: "x", v: Int(-7)},
		{in: "x=s:ab=c", name: "x", v: Str("ab=c")},
		{in: "x=S:", name: "x", v: Str("")},
		{in: "x=i:0x10", wantErr: true},
		{in: "x=i:", wantErr: true},
		{in: "x=10", wantErr: true},
		{in: "=i:1", wantErr: true},
		{in: "x", wantErr: true},
		{in: "x=f:1", wantErr: true},
	}
	for _, tt := range tests {
		name, v, err := ParseShvset(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseShvset(%q) error %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && (name != tt.name || v != tt.v) {
			t.Errorf("ParseShvset(%q) = %q, %#v; want %q, %#v", tt.in, name, v, tt.name, tt.v)
		}
	}
	if name, v, err := ParseVarset("w=i:12"); err != nil || name != "w" || v != Int(12) {
		t.Errorf("ParseVarset = %q %v %v", name, v, err)
	}
}

func TestFlags(t *testing.T) {
	runStoreCases(t, []storeCase{
		{"mf_write", []storeStep{storeSet("$mf", 6)}, "mf=$mf", "mf=6"},
		{"mF_hex", []storeStep{storeSet("$mf", 0x2f)}, "mF=$mF mf=$mf", "mF=0000002f mf=47"},
		{"flag_31", []storeStep{storeSet("$Mf(31)", 1)}, "mf=$mf mF=$mF", "mf=2147483648 mF=80000000"},
		{"Mf", []storeStep{storeSet("$Mf(3)", 1), storeSet("$Mf(4)", 1), storeSet("$Mf(3)", 0)}, "m3=$Mf(3) m4=$Mf(4) mf=$mf", "m3=0 m4=1 mf=16"},
		{"Mf_nonzero_sets", []storeStep{storeSet("$Mf(3)", 5), storeSet("$Sf(2)", -1)}, "mf=$mf sf=$sf", "mf=8 sf=4"},
		{"Mf_null_clears_all", []storeStep{storeSet("$mf", 24), storeSet("$Mf(4)", nil)}, "mf=$mf", "mf=0"},
		{"mf_null", []storeStep{storeSet("$mf", 8), storeSet("$mf", nil)}, "mf=$mf", "mf=0"},
		{"mf_string_fails", []storeStep{storeSet("$mf", 8), storeSetErr("$mf", "12"), storeSetErr("$Mf(1)", "1")}, "mf=$mf", "mf=8"},
		{"bf_sf", []storeStep{storeSet("$bf", 5), storeSet("$sf", 6)}, "bf=$bf bF=$bF sf=$sf sF=$sF B0=$Bf(0) B1=$Bf(1) S1=$Sf(1) S0=$Sf(0)", "bf=5 bF=00000005 sf=6 sF=00000006 B0=1 B1=0 S1=1 S0=0"},
		{"Bf_Sf_write", []storeStep{storeSet("$bf", 5), storeSet("$sf", 6), storeSet("$Bf(1)", 1), storeSet("$Sf(0)", 1)}, "bf=$bf sf=$sf", "bf=7 sf=7"},
		{"bf_string_fails", []storeStep{storeSet("$bf", 2), storeSetErr("$bF", "5"), storeSetErr("$sf", "3")}, "bf=$bf sf=$sf", "bf=2 sf=0"},
		{"not_across_messages", []storeStep{storeSet("$sf", 3), storeSet("$bf", 3), storeSet("$mf", 3), storeNextMsg}, "sf=$sf bf=$bf mf=$mf", "sf=0 bf=0 mf=0"},
	})
}

func TestFlagValueKinds(t *testing.T) {
	e := newStoreEnv(t)
	e.run([]storeStep{storeSet("$mf", 16)})
	if v := e.pv("$mF").Get(e.st); v != Str("00000010") {
		t.Errorf("$mF = %#v, want a string", v)
	}
	if v := e.pv("$mf").Get(e.st); v != Int(16) {
		t.Errorf("$mf = %#v, want an integer", v)
	}
}

func TestBranches(t *testing.T) {
	two := func(st *State) {
		st.Branches = append(st.Branches[:0],
			Branch{URI: "sip:b1@example.com", Q: -1},
			Branch{URI: "sip:b2@example.com", Q: 500})
	}
	tests := []struct {
		name  string
		setup func(*State)
		steps []storeStep
		get   string
		want  string
	}{
		{"none", nil, nil, "count=$branch(count) uri=$branch(uri)", "count=<null> uri=<null>"},
		{"read", two, nil,
			"count=$branch(count) uri=$branch(uri) u1=$(branch(uri)[1]) q=$branch(q) q1=$(branch(q)[1]) um1=$(branch(uri)[-1]) flags=$branch(flags) du=$branch(dst_uri) ss=$branch(send_socket) ruid=$branch(ruid) otcpid=$branch(otcpid) path=$branch(path) all=$(branch(uri)[*])",
			"count=2 uri=sip:b1@example.com u1=sip:b2@example.com q=<null> q1=500 um1=sip:b2@example.com flags=0 du=<null> ss=<null> ruid=<null> otcpid=0 path=<null> all=sip:b1@example.com"},
		{"write", two, []storeStep{storeSet("$branch(dst_uri)", "sip:10.0.0.1"), storeSet("$branch(q)", 300), storeSet("$branch(flags)", 4), storeSet("$branch(path)", "<sip:p@x>"), storeSet("$branch(uri)", "sip:new@example.com"), storeSet("$branch(count)", 9), storeSet("$branch(ruid)", "r")},
			"du=$branch(dst_uri) q=$branch(q) flags=$branch(flags) path=$branch(path) uri=$branch(uri) count=$branch(count) ruid=$branch(ruid)",
			"du=sip:10.0.0.1 q=300 flags=4 path=<sip:p@x> uri=sip:new@example.com count=2 ruid=<null>"},
		{"q_string_fails", two, []storeStep{storeSetErr("$branch(q)", "500")}, "q=$branch(q)", "q=<null>"},
		{"index_write", two, []storeStep{storeSet("$(branch(uri)[1])", "sip:x@example.com"), storeSetErr("$(branch(uri)[5])", "sip:y@example.com")},
			"u0=$(branch(uri)[0]) u1=$(branch(uri)[1]) count=$branch(count)", "u0=sip:b1@example.com u1=sip:x@example.com count=2"},
		{"null_uri_drops", two, []storeStep{storeSet("$(branch(uri)[0])", nil)}, "u0=$branch(uri) count=$branch(count)", "u0=sip:b2@example.com count=1"},
		{"drop_last", two, []storeStep{storeSet("$(branch(uri)[-1])", ""), storeSet("$branch(uri)", nil)}, "count=$branch(count)", "count=<null>"},
		{"null_resets", two, []storeStep{storeSet("$branch(q)", 1), storeSet("$branch(q)", nil), storeSet("$branch(flags)", 3), storeSet("$branch(flags)", nil), storeSet("$branch(dst_uri)", "sip:d"), storeSet("$branch(dst_uri)", nil)},
			"q=$branch(q) flags=$branch(flags) du=$branch(dst_uri)", "q=<null> flags=0 du=<null>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newStoreEnv(t)
			if tt.setup != nil {
				tt.setup(e.st)
			}
			e.run(tt.steps)
			if got := e.text(tt.get); got != tt.want {
				t.Errorf("%q = %q, want %q", tt.get, got, tt.want)
			}
		})
	}
}

func TestMisc(t *testing.T) {
	runStoreCases(t, []storeCase{
		{"K", nil, "$K(UDP) $K(TCP) $K(TLS) $K(SCTP) $K(WS) $K(WSS) $K(IPv4) $K(IPv6) $K(INET) $K(INET6)", "1 2 3 4 5 6 2 10 2 10"},
		{"true_pp", nil, "t=$true pp=$pp", "t=1 pp=4242"},
		{"_s", []storeStep{storeSet("$var(x)", "a")}, "r=$_s(v=$var(x)) $_s($var(x)-$var(x))", "r=v=a a-a"},
		{"version_num", nil, "$version(num)", "5.6.3"},
	})
	e := newStoreEnv(t)
	if got := e.text("$version(full)"); !strings.HasPrefix(got, "kamgo ") || !strings.Contains(got, "/") {
		t.Errorf("$version(full) = %q", got)
	}
	if got := e.text("$version(hash)"); got == "" {
		t.Error("$version(hash) is empty")
	}
}

func TestFixupErrors(t *testing.T) {
	c := NewCompiler(NewTable())
	for _, src := range []string{
		"$K(FOO)", "$version(x)", "$Mf(32)", "$Mf(-1)", "$Mf(myflag)", "$branch(nope)",
		"$time(week)", "$TV(x)", "$avp(i:x)", "$avp(s:)", "$cnt($var(x))", "$cnt(x)",
		"$xavp(r[)", "$xavp(r[]=>a)", "$xavp(r[x])", "$xavu(a=>)", "$xavu(a=b)", "$_s($)",
	} {
		spec, err := Parse(src)
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		if _, err := c.Compile(spec); err == nil {
			t.Errorf("Compile(%q) succeeded, want an error", src)
		}
	}
}

func TestTime(t *testing.T) {
	e := newStoreEnv(t)
	// Sunday 2023-11-05 06:07:08.123456 UTC.
	at := time.Date(2023, 11, 5, 6, 7, 8, 123456000, time.UTC)
	e.st.Received = at
	got := e.text("$utime(year)-$utime(mon)-$utime(mday) $utime(hour):$utime(min):$utime(sec) wday=$utime(wday) yday=$utime(yday) dst=$utime(isdst)")
	if want := "2023-11-5 6:7:8 wday=1 yday=309 dst=0"; got != want {
		t.Errorf("utime = %q, want %q", got, want)
	}
	if got, want := e.text("$utimef(%Y-%m-%d %H:%M:%S)"), "2023-11-05 06:07:08"; got != want {
		t.Errorf("utimef = %q, want %q", got, want)
	}
	local := at.Local()
	if got, want := e.text("$time(hour) $time(mday)"), strings.Join([]string{storeItoa(local.Hour()), storeItoa(local.Day())}, " "); got != want {
		t.Errorf("time = %q, want %q", got, want)
	}
	if got, want := e.text("$Ts $TV(s) $TV(u) $Tb"), "1699164428 1699164428 123456 1700000000"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := e.text("$Tf"), local.Format("Mon Jan _2 15:04:05 2006"); got != want {
		t.Errorf("$Tf = %q, want %q", got, want)
	}
	if got := e.text("$utimef(%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y) $utimef(abc) $utimef(%%)"); got != "<null> abc %" {
		t.Errorf("utimef limits = %q", got)
	}
	for _, f := range []string{"$TS", "$TV(sn)", "$TV(un)"} {
		if v := e.pv(f).Get(e.st); v.K != KindInt {
			t.Errorf("%s = %#v, want an integer", f, v)
		}
	}
	if got := e.text("$TF"); len(got) != 24 {
		t.Errorf("$TF = %q, want a ctime string", got)
	}
	if got := e.text("$TV(Sn)"); len(got) != 17 || got[10] != '.' {
		t.Errorf("$TV(Sn) = %q", got)
	}
	if got := e.text("$TV(Fn)"); len(got) != 26 || got[19] != '.' {
		t.Errorf("$TV(Fn) = %q", got)
	}
	// The message time is fixed on first use.
	e.st.Reset()
	a := e.text("$TV(s).$TV(u)")
	time.Sleep(2 * time.Millisecond)
	if b := e.text("$TV(s).$TV(u)"); a != b {
		t.Errorf("message time moved: %q then %q", a, b)
	}
}

func storeItoa(n int) string { return Int(int64(n)).Text() }

// The expected texts come from glibc's date +FORMAT for the same instant.
func TestStrftime(t *testing.T) {
	at := time.Date(2024, 1, 7, 15, 4, 5, 0, time.UTC) // a Sunday
	tests := []struct{ format, want string }{
		{"%a %A %b %B %h", "Sun Sunday Jan January Jan"},
		{"%c", "Sun Jan  7 15:04:05 2024"},
		{"%C %d %D %e %F", "20 07 01/07/24  7 2024-01-07"},
		{"%G %g %V", "2024 24 01"},
		{"%H %I %j %k %l", "15 03 007 15  3"},
		{"%m %M %p %P %r %R", "01 04 PM pm 03:04:05 PM 15:04"},
		{"%s %S %T %u %U %w %W", "1704639845 05 15:04:05 7 01 0 01"},
		{"%x %X %y %Y %z %Z", "01/07/24 15:04:05 24 2024 +0000 UTC"},
		{"%n%t%%", "\n\t%"},
		{"%Ey %Od x%", "24 07 x%"},
	}
	for _, tt := range tests {
		if got := string(trStrftime(nil, tt.format, at)); got != tt.want {
			t.Errorf("strftime(%q) = %q, want %q", tt.format, got, tt.want)
		}
	}
}

func TestAVPListAPI(t *testing.T) {
	var l AVPList
	n, _ := ParseAVPName("s:x")
	id, _ := ParseAVPName("i:5")
	l.Add(n, Int(1))
	l.Add(n, Str("two"))
	l.Add(id, Int(3))
	var got []string
	l.Each(n, func(v Value) bool { got = append(got, v.Text()); return true })
	if diff := cmp.Diff([]string{"two", "1"}, got); diff != "" {
		t.Errorf("Each (-want +got):\n%s", diff)
	}
	if l.Count(n) != 2 || l.Count(id) != 1 || l.Len() != 3 {
		t.Errorf("counts %d %d %d", l.Count(n), l.Count(id), l.Len())
	}
	if v, ok := l.Get(n, 1); !ok || v != Int(1) {
		t.Errorf("Get(x, 1) = %v %v", v, ok)
	}
	l.Delete(n, true)
	if l.Count(n) != 0 || l.Len() != 1 {
		t.Errorf("after Delete: %d %d", l.Count(n), l.Len())
	}
	if id.String() != "i:5" || n.String() != "x" {
		t.Errorf("String: %q %q", id.String(), n.String())
	}
	l.Reset()
	if l.Len() != 0 {
		t.Error("Reset kept values")
	}
}

func TestStoreAllocs(t *testing.T) {
	e := newStoreEnv(t)
	for _, src := range []string{"$var(x)", "$avp(x)", "$mf", "$Mf(3)"} {
		p := e.pv(src)
		n := testing.AllocsPerRun(100, func() {
			if len(e.st.AVPs.entries) > 50 {
				e.st.AVPs.Reset()
			}
			_ = p.Set(e.st, Int(7))
			_ = p.Get(e.st)
		})
		if n != 0 {
			t.Errorf("%s: %v allocations per set and get, want 0", src, n)
		}
	}
}

func benchStore(b *testing.B, src string, doSet bool) {
	c := NewCompiler(NewTable())
	spec, err := Parse(src)
	if err != nil {
		b.Fatal(err)
	}
	p, err := c.Compile(spec)
	if err != nil {
		b.Fatal(err)
	}
	st := &State{AVPs: &AVPList{}, Vars: NewVarStore(c.NumVars())}
	_ = p.Set(st, Int(1))
	b.ReportAllocs()
	b.ResetTimer()
	if doSet {
		for i := 0; i < b.N; i++ {
			if i&63 == 63 {
				st.AVPs.Reset()
			}
			_ = p.Set(st, Int(int64(i)))
		}
		return
	}
	for i := 0; i < b.N; i++ {
		_ = p.Get(st)
	}
}

func BenchmarkVarSet(b *testing.B) { benchStore(b, "$var(x)", true) }
func BenchmarkVarGet(b *testing.B) { benchStore(b, "$var(x)", false) }
func BenchmarkAVPSet(b *testing.B) { benchStore(b, "$avp(x)", true) }
func BenchmarkAVPGet(b *testing.B) { benchStore(b, "$avp(x)", false) }
