package vm

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/kamgo/kamgo/lang/bytecode"
	"github.com/kamgo/kamgo/lang/posixre"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/sip"
)

// toInt converts v as the core does: a string that is not a number is 0
// and logs a warning; null is 0.
func (c *Ctx) toInt(v pv.Value) int64 {
	switch v.K {
	case pv.KindInt:
		return v.I
	case pv.KindStr:
		n, ok := pv.StrToInt(v.S)
		if !ok {
			c.Logger().Logf(logging.LWarn, "automatic string to int conversion for %q failed", v.S)
			return 0
		}
		return n
	}
	return 0
}

// text returns v as a string: an int in decimal (built in the arena),
// null as "".
func (c *Ctx) text(v pv.Value) string {
	switch v.K {
	case pv.KindStr:
		return v.S
	case pv.KindInt:
		start := len(c.st.Arena)
		c.st.Arena = strconv.AppendInt(c.st.Arena, v.I, 10)
		return c.st.ArenaString(start)
	}
	return ""
}

func (c *Ctx) toStr(v pv.Value) pv.Value {
	if v.K == pv.KindStr {
		return v
	}
	return pv.Str(c.text(v))
}

// binary applies a binary operator with Kamailio's typing: the left operand
// decides between string and integer operation for + and ==; the others
// are integer operations.
func (c *Ctx) binary(op bytecode.Op, l, r pv.Value) pv.Value {
	switch op {
	case bytecode.Add:
		if l.K == pv.KindInt {
			return pv.Int(pv.Wrap32(l.I + c.toInt(r)))
		}
		if r.K == pv.KindNull {
			return pv.Str(l.S)
		}
		return pv.Str(c.st.ConcatString(l.S, c.text(r)))
	case bytecode.Sub:
		return pv.Int(pv.Wrap32(c.toInt(l) - c.toInt(r)))
	case bytecode.Mul:
		return pv.Int(pv.Wrap32(c.toInt(l) * c.toInt(r)))
	case bytecode.Div, bytecode.Mod:
		a, b := c.toInt(l), c.toInt(r)
		if b == 0 {
			if op == bytecode.Div {
				c.Logger().Log(logging.LErr, "int_intop2(): rv div by 0")
			} else {
				c.Logger().Log(logging.LErr, "int_intop2(): rv mod by 0")
			}
			c.evalErr = true
			return pv.Value{}
		}
		if op == bytecode.Div {
			return pv.Int(pv.Wrap32(a / b))
		}
		return pv.Int(pv.Wrap32(a % b))
	case bytecode.BitAnd:
		return pv.Int(pv.Wrap32(c.toInt(l) & c.toInt(r)))
	case bytecode.BitOr:
		return pv.Int(pv.Wrap32(c.toInt(l) | c.toInt(r)))
	case bytecode.BitXor:
		return pv.Int(pv.Wrap32(c.toInt(l) ^ c.toInt(r)))
	case bytecode.Shl:
		return pv.Int(pv.Wrap32(c.toInt(l) << (uint64(c.toInt(r)) & 31)))
	case bytecode.Shr:
		return pv.Int(pv.Wrap32(int64(int32(c.toInt(l)) >> (uint64(c.toInt(r)) & 31))))
	case bytecode.Eq, bytecode.Ne:
		eq := c.equal(l, r)
		return pv.Bool(eq == (op == bytecode.Eq))
	case bytecode.Lt:
		return pv.Bool(c.toInt(l) < c.toInt(r))
	case bytecode.Gt:
		return pv.Bool(c.toInt(l) > c.toInt(r))
	case bytecode.Le:
		return pv.Bool(c.toInt(l) <= c.toInt(r))
	case bytecode.Ge:
		return pv.Bool(c.toInt(l) >= c.toInt(r))
	case bytecode.StrEq:
		return pv.Bool(c.text(l) == c.text(r))
	case bytecode.StrNe:
		return pv.Bool(c.text(l) != c.text(r))
	case bytecode.IntEq:
		return pv.Bool(c.toInt(l) == c.toInt(r))
	case bytecode.IntNe:
		return pv.Bool(c.toInt(l) != c.toInt(r))
	case bytecode.Match:
		re := c.regex(c.text(r))
		if re == nil {
			return pv.Bool(false)
		}
		return pv.Bool(re.MatchString(c.text(l)))
	}
	return pv.Value{}
}

// equal is ==: a string left side compares strings, an int left side ints,
// an undefined left side takes the right side's type.
func (c *Ctx) equal(l, r pv.Value) bool {
	switch l.K {
	case pv.KindStr:
		return l.S == c.text(r)
	case pv.KindInt:
		if r.K == pv.KindStr {
			// an int compared with a string that is not a number
			// (even "") is false: the conversion fails
			n, ok := pv.StrToInt(r.S)
			return ok && r.S != "" && l.I == n
		}
		return l.I == c.toInt(r)
	}
	switch r.K {
	case pv.KindStr:
		return r.S == ""
	case pv.KindInt:
		return r.I == 0
	}
	return true
}

// regex compiles a run-time pattern of =~, caching it in the context.
func (c *Ctx) regex(pattern string) *regexp.Regexp {
	if re, ok := c.regexes[pattern]; ok {
		return re
	}
	re, err := posixre.Compile(pattern, posixre.ICase)
	if err != nil {
		c.Logger().Logf(logging.LErr, "bad regular expression %q: %v", pattern, err)
		re = nil
	}
	if c.regexes == nil || len(c.regexes) > 256 {
		c.regexes = map[string]*regexp.Regexp{}
	}
	c.regexes[strings.Clone(pattern)] = re
	return re
}

// keyword returns the value of a condition keyword for the message.
func (c *Ctx) keyword(k bytecode.KeywordID) pv.Value {
	st := c.st
	msg := st.Msg
	switch k {
	case bytecode.KwMethod:
		if msg == nil {
			return pv.Value{}
		}
		if !msg.IsRequest() {
			if cs, err := msg.CSeq(); err == nil {
				return pv.Bytes(cs.Method)
			}
			return pv.Value{}
		}
		return pv.Bytes(msg.Method())
	case bytecode.KwURI:
		if msg == nil || !msg.IsRequest() {
			return pv.Value{}
		}
		return pv.Bytes(msg.RequestURI())
	case bytecode.KwStatus:
		if msg == nil || msg.IsRequest() {
			return pv.Value{}
		}
		return pv.Int(int64(msg.StatusCode()))
	case bytecode.KwFromURI:
		if msg == nil {
			return pv.Value{}
		}
		if f, err := msg.From(); err == nil {
			return pv.Bytes(f.URI)
		}
		return pv.Value{}
	case bytecode.KwToURI:
		if msg == nil {
			return pv.Value{}
		}
		if t, err := msg.To(); err == nil {
			return pv.Bytes(t.URI)
		}
		return pv.Value{}
	case bytecode.KwSrcIP:
		return c.addrText(st.Recv.Src.Addr())
	case bytecode.KwDstIP:
		return c.addrText(st.Recv.Dst.Addr())
	case bytecode.KwSrcPort:
		return pv.Int(int64(st.Recv.Src.Port()))
	case bytecode.KwDstPort:
		return pv.Int(int64(st.Recv.Dst.Port()))
	case bytecode.KwProto:
		return pv.Str(st.Recv.Proto.String())
	case bytecode.KwAF:
		if st.Recv.Src.Addr().Is6() && !st.Recv.Src.Addr().Is4In6() {
			return pv.Int(6)
		}
		return pv.Int(4)
	case bytecode.KwMsgLen:
		if st.Send.Dst.IsValid() {
			return pv.Int(int64(len(st.Send.Buf))) // onsend_route: what is sent
		}
		if msg == nil {
			return pv.Int(0)
		}
		return pv.Int(int64(msg.Len()))
	case bytecode.KwSndIP:
		return c.addrText(st.Send.Src.Addr())
	case bytecode.KwSndPort:
		return pv.Int(int64(st.Send.Src.Port()))
	case bytecode.KwToIP:
		return c.addrText(st.Send.Dst.Addr())
	case bytecode.KwToPort:
		return pv.Int(int64(st.Send.Dst.Port()))
	case bytecode.KwSndProto, bytecode.KwToProto:
		return pv.Str(st.Send.Proto.String())
	case bytecode.KwSndAF, bytecode.KwToAF:
		if a := st.Send.Dst.Addr(); a.Is6() && !a.Is4In6() {
			return pv.Int(6)
		}
		return pv.Int(4)
	}
	return pv.Value{}
}

func (c *Ctx) addrText(a netip.Addr) pv.Value {
	if !a.IsValid() {
		return pv.Value{}
	}
	start := len(c.st.Arena)
	c.st.Arena = a.Unmap().AppendTo(c.st.Arena)
	return pv.Str(c.st.ArenaString(start))
}

// matchNet compares an address text with an address, a network or a host
// name from the config.
func matchNet(n *bytecode.Net, text string) bool {
	if n.Bits == -2 {
		return strings.EqualFold(n.Text, text)
	}
	if len(text) > 1 && text[0] == '[' {
		text = text[1 : len(text)-1]
	}
	addr, err := netip.ParseAddr(text)
	if err != nil {
		return false
	}
	return n.Prefix.Contains(addr.Unmap())
}

// myself reports whether v (a URI or an address) names this server.
func (c *Ctx) myself(v pv.Value) bool {
	if c.m.Myself == nil {
		return false
	}
	s := c.text(v)
	if strings.HasPrefix(s, "sip:") || strings.HasPrefix(s, "sips:") || strings.HasPrefix(s, "tel:") {
		u, err := sip.ParseURI([]byte(s))
		if err != nil {
			return false
		}
		port := 0
		if u.HasPort {
			port = int(u.Port)
		}
		return c.m.Myself(strings.Trim(string(u.Host), "[]"), port)
	}
	return c.m.Myself(strings.Trim(s, "[]"), 0)
}
