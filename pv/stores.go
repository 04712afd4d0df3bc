package pv

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// addStoreImpls adds $var, $avp, $xavp, $shv, flags, branches, time and
// misc classes.
func addStoreImpls(m map[string]*Impl) {
	addVarImpls(m)
	addAVPImpls(m)
	addFlagImpls(m)
	addBranchImpls(m)
	addTimeImpls(m)
	addMiscImpls(m)
}

// nestedCompiler compiles the specs nested in an inner name. Fixups call
// the Compiler through it because a direct call would make the
// initialization of builtinImpls depend on itself (builtinImpls → fixup →
// Compile → builtinImpl); calls through an interface are not followed.
type nestedCompiler interface {
	Compile(*Spec) (*PV, error)
	CompileFormat(string) (*CompiledFormat, error)
}

func storeCompiler(c *Compiler) nestedCompiler { return c }

// vnPrefix keeps the $vn names apart from the $var ones in the compiler's
// slot table: in Kamailio $var and $vz share one namespace and $vn has its
// own. No script name can contain a NUL byte.
const vnPrefix = "\x00vn:"

// vnSet marks a $vn slot that holds an integer. A fresh slot holds Int(0)
// with an empty S, which for $vn means null.
const vnSet = "\x01"

func addVarImpls(m map[string]*Impl) {
	// The inner name is always literal: $var($var(n)) names a variable
	// "$var(n)" in Kamailio, so NamePV is ignored.
	vv := &Impl{
		Fixup: func(c *Compiler, p *PV) error {
			if p.Name == "" {
				return errors.New("empty variable name")
			}
			p.Slot = c.VarSlot(p.Name)
			return nil
		},
		Get: func(st *State, p *PV) Value {
			if vs := st.Vars; vs != nil && p.Slot < len(vs.Vals) {
				return vs.Vals[p.Slot]
			}
			return Int(0)
		},
		Set: func(st *State, p *PV, v Value) error {
			vs := varSlot(st, p.Slot)
			switch v.K {
			case KindNull:
				*vs = Int(0)
			case KindInt:
				*vs = Int(v.I)
			default:
				*vs = st.Vars.Own(v)
			}
			return nil
		},
	}
	m["var"], m["vz"] = vv, vv
	m["vn"] = &Impl{
		Fixup: func(c *Compiler, p *PV) error {
			if p.Name == "" {
				return errors.New("empty variable name")
			}
			p.Slot = c.VarSlot(vnPrefix + p.Name)
			return nil
		},
		Get: func(st *State, p *PV) Value {
			vs := st.Vars
			if vs == nil || p.Slot >= len(vs.Vals) {
				return Null()
			}
			v := vs.Vals[p.Slot]
			if v.K == KindInt {
				if v.S == "" {
					return Null()
				}
				return Int(v.I)
			}
			return v
		},
		Set: func(st *State, p *PV, v Value) error {
			vs := varSlot(st, p.Slot)
			switch v.K {
			case KindNull:
				*vs = Int(0)
			case KindInt:
				*vs = Value{I: v.I, K: KindInt, S: vnSet}
			default:
				*vs = st.Vars.Own(v)
			}
			return nil
		},
	}
}

// varSlot returns the worker's slot, growing the store when the program
// was compiled after it was made.
func varSlot(st *State, slot int) *Value {
	if st.Vars == nil {
		st.Vars = NewVarStore(slot + 1)
	}
	vs := st.Vars
	for len(vs.Vals) <= slot {
		vs.Vals = append(vs.Vals, Int(0))
	}
	return &vs.Vals[slot]
}

// ParseShvset parses a value of modparam("pv", "shvset", …): "name=i:10"
// or "name=s:text" (the type letter may be upper case). The integer is
// decimal with an optional sign.
func ParseShvset(s string) (name string, v Value, err error) {
	name, rest, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return "", Null(), fmt.Errorf("bad value %q: expected name=i:number or name=s:text", s)
	}
	if len(rest) < 2 || rest[1] != ':' {
		return "", Null(), fmt.Errorf("bad value %q: expected name=i:number or name=s:text", s)
	}
	text := rest[2:]
	switch rest[0] {
	case 's', 'S':
		return name, Str(text), nil
	case 'i', 'I':
		n, ok := parseSint(text)
		if !ok {
			return "", Null(), fmt.Errorf("bad value %q: %q is not an integer", s, text)
		}
		return name, Int(n), nil
	}
	return "", Null(), fmt.Errorf("bad value %q: the type is i or s", s)
}

// ParseVarset parses a value of modparam("pv", "varset", …), which has the
// shvset form and gives a $var (and $vz) its value at start-up.
func ParseVarset(s string) (name string, v Value, err error) { return ParseShvset(s) }

// parseSint is Kamailio's str2sint: an optional sign and decimal digits,
// kept to a C int.
func parseSint(s string) (int64, bool) {
	t := s
	if t != "" && (t[0] == '-' || t[0] == '+') {
		t = t[1:]
	}
	if t == "" {
		return 0, false
	}
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return Wrap32(n), true
}

// flagRef says which of the State's flag words a flag class uses.
type flagRef uint8

const (
	msgFlags flagRef = iota
	branchFlags
	scriptFlags
)

func (f flagRef) word(st *State) *uint32 {
	switch f {
	case branchFlags:
		return &st.BranchFlags
	case scriptFlags:
		return &st.ScriptFlags
	}
	return &st.Flags
}

func (f flagRef) String() string {
	switch f {
	case branchFlags:
		return "branch 0 flags"
	case scriptFlags:
		return "script flags"
	}
	return "msg flags"
}

func addFlagImpls(m map[string]*Impl) {
	for _, c := range []struct {
		dec, hex, bit string
		ref           flagRef
	}{
		{"mf", "mF", "Mf", msgFlags},
		{"bf", "bF", "Bf", branchFlags},
		{"sf", "sF", "Sf", scriptFlags},
	} {
		ref := c.ref
		// Kamailio accepts only an integer: a string is an error and a
		// null clears every flag, even for the one-bit classes.
		set := func(st *State, p *PV, v Value) error {
			w := ref.word(st)
			switch v.K {
			case KindNull:
				*w = 0
			case KindInt:
				if p.Slot < 0 {
					*w = uint32(v.I)
				} else if v.I != 0 {
					*w |= 1 << p.Slot
				} else {
					*w &^= 1 << p.Slot
				}
			default:
				return fmt.Errorf("assigning a non-integer value to the %s", ref)
			}
			return nil
		}
		whole := func(_ *Compiler, p *PV) error { p.Slot = -1; return nil }
		m[c.dec] = &Impl{Fixup: whole, Set: set, Get: func(st *State, _ *PV) Value {
			return Int(int64(*ref.word(st)))
		}}
		// The hex form is a string: $mF + 1 concatenates.
		m[c.hex] = &Impl{Fixup: whole, Set: set, Get: func(st *State, _ *PV) Value {
			return Str(hex8(st, *ref.word(st)))
		}}
		m[c.bit] = &Impl{
			Fixup: func(_ *Compiler, p *PV) error {
				n, ok := parseSint(p.Name)
				if !ok {
					return fmt.Errorf("flag %q: named flags are not supported here yet; use the flag number", p.Name)
				}
				if n < 0 || n > 31 {
					return fmt.Errorf("bad flag number %d: flags are 0 to 31", n)
				}
				p.Slot = int(n)
				return nil
			},
			Get: func(st *State, p *PV) Value {
				return Bool(*ref.word(st)&(1<<p.Slot) != 0)
			},
			Set: set,
		}
	}
}

// hex8 renders w as 8 lower-case hex digits in the arena.
func hex8(st *State, w uint32) string {
	const digits = "0123456789abcdef"
	start := len(st.Arena)
	for i := 28; i >= 0; i -= 4 {
		st.Arena = append(st.Arena, digits[(w>>i)&0xf])
	}
	return st.ArenaString(start)
}

// kConstant is the value of $K(name).
func kConstant(name string) (int, bool) {
	switch name {
	case "IPv4", "INET":
		return 2, true // AF_INET
	case "IPv6", "INET6":
		return 10, true // AF_INET6
	case "UDP":
		return int(ProtoUDP), true
	case "TCP":
		return int(ProtoTCP), true
	case "TLS":
		return int(ProtoTLS), true
	case "SCTP":
		return int(ProtoSCTP), true
	case "WS":
		return int(ProtoWS), true
	case "WSS":
		return int(ProtoWSS), true
	}
	return 0, false
}

func addMiscImpls(m map[string]*Impl) {
	m["shv"] = &Impl{
		Get: func(st *State, p *PV) Value {
			if g := st.Globals; g != nil && g.Shared != nil {
				return g.Shared.Get(p.Name)
			}
			return Int(0)
		},
		Set: func(st *State, p *PV, v Value) error {
			g := st.Globals
			if g == nil || g.Shared == nil {
				return errors.New("no shared variable store")
			}
			if v.K == KindNull {
				// Kamailio stores the empty text of the null value.
				v = Str("")
			}
			g.Shared.Set(p.Name, v)
			return nil
		},
	}
	m["pp"] = &Impl{Get: func(st *State, _ *PV) Value {
		if g := st.Globals; g != nil && g.PID != 0 {
			return Int(int64(g.PID))
		}
		return Int(int64(os.Getpid()))
	}}
	m["true"] = &Impl{Get: func(*State, *PV) Value { return Int(1) }}
	m["K"] = &Impl{
		Fixup: func(_ *Compiler, p *PV) error {
			v, ok := kConstant(p.Name)
			if !ok {
				return fmt.Errorf("unknown key %q: expected UDP, TCP, TLS, SCTP, WS, WSS, IPv4, IPv6, INET or INET6", p.Name)
			}
			p.Slot = v
			return nil
		},
		Get: func(_ *State, p *PV) Value { return Int(int64(p.Slot)) },
	}
	m["version"] = &Impl{
		Fixup: func(_ *Compiler, p *PV) error {
			switch p.Name {
			case "num":
				p.Data = Str(KamailioCompat)
			case "full":
				p.Data = Str(versionFull())
			case "hash":
				p.Data = Str(versionHash())
			default:
				return fmt.Errorf("unknown key %q: expected num, full or hash", p.Name)
			}
			return nil
		},
		Get: func(_ *State, p *PV) Value { return p.Data.(Value) },
	}
	m["_s"] = &Impl{
		Fixup: func(c *Compiler, p *PV) error {
			f, err := storeCompiler(c).CompileFormat(p.Name)
			if err != nil {
				return err
			}
			p.Data = f
			return nil
		},
		Get: func(st *State, p *PV) Value { return Str(p.Data.(*CompiledFormat).String(st)) },
	}
}

// KamailioCompat is the Kamailio release whose config language kamgo runs;
// $version(num) reports it, since scripts test it to choose features.
const KamailioCompat = "5.6.3"

// versionFull is $version(full), shaped like Kamailio's
// "kamailio 5.6.3 (x86_64/linux) ".
func versionFull() string {
	v := "dev"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	arch := runtime.GOARCH
	switch arch {
	case "amd64":
		arch = "x86_64"
	case "arm64":
		arch = "aarch64"
	case "386":
		arch = "i386"
	}
	return "kamgo " + v + " (" + arch + "/" + runtime.GOOS + ")"
}

// versionHash is $version(hash): the commit kamgo was built from.
func versionHash() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && s.Value != "" {
				return s.Value
			}
		}
	}
	return "unknown"
}
