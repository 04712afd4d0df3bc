package textops

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// defaultBoundary is the boundary of set_body_multipart without one.
const defaultBoundary = "unique-boundary-1"

// setBodyAndType replaces the body and the Content-Type header.
func setBodyAndType(m *sip.Message, body []byte, ctype string, extra string) error {
	m.RemoveHeaders("Content-Type")
	if err := m.InsertRaw(m.HeadersEnd(), "Content-Type: "+ctype+"\r\n"+extra); err != nil {
		return err
	}
	return m.SetBody(body)
}

func execSetBody(ctx module.ExecContext, args module.Args) int {
	_, m := message(ctx)
	if m == nil {
		return -1
	}
	text, ctype := args.Str(0), args.Str(1)
	if text == "" || ctype == "" || strings.ContainsAny(ctype, "\r\n") {
		errorf(ctx, "set_body: the body and the content type must not be empty")
		return -1
	}
	if err := setBodyAndType(m, []byte(text), ctype, ""); err != nil {
		errorf(ctx, "set_body: %v", err)
		return -1
	}
	return 1
}

func execSetReplyBody(ctx module.ExecContext, args module.Args) int {
	st := ctx.State()
	if st == nil {
		return -1
	}
	text, ctype := args.Str(0), args.Str(1)
	if text == "" || ctype == "" || strings.ContainsAny(ctype, "\r\n") {
		errorf(ctx, "set_reply_body: the body and the content type must not be empty")
		return -1
	}
	// The Content-Type goes with the other reply headers, where this call
	// puts it among append_to_reply's; a second call adds a second
	// Content-Type but the first body stays: all as Kamailio 5.6.3 does.
	queueReplyHeaders(st, "Content-Type: "+ctype)
	if _, set := st.Extra[module.ReplyBodyKey]; !set {
		st.Extra[module.ReplyBodyKey] = module.ReplyBody{Body: []byte(text)}
	}
	return 1
}

// mimeType is "type/subtype" of a Content-Type value, lower case.
func mimeType(v []byte) string {
	if k := bytes.IndexByte(v, ';'); k >= 0 {
		v = v[:k]
	}
	return strings.ToLower(string(bytes.TrimSpace(v)))
}

// fixupMime checks a constant "type/subtype" argument.
func fixupMime(i int, optional bool) module.FixupFunc {
	return func(_ module.Host, args []module.FixedArg) error {
		if i >= len(args) {
			if optional {
				return nil
			}
			return fmt.Errorf("a content type is required")
		}
		a := &args[i]
		if !a.Const {
			return fmt.Errorf("the content type must be a constant string")
		}
		if a.IsInt && a.Int == 0 && optional {
			a.Str = ""
			return nil
		}
		t := mimeType([]byte(a.Str))
		if k := strings.IndexByte(t, '/'); k <= 0 || k == len(t)-1 {
			return fmt.Errorf("%q is not a content type (type/subtype)", a.Str)
		}
		a.Str = t
		return nil
	}
}

// hasBody reports whether the message carries a body: Content-Length
// present and not zero.
func hasBody(m *sip.Message) bool {
	n, ok := m.ContentLength()
	return ok && n > 0 && len(m.Body()) > 0
}

func execHasBody(ctx module.ExecContext, args module.Args) int {
	_, m := message(ctx)
	if m == nil || !hasBody(m) {
		return -1
	}
	if args.Len() == 0 || args.Str(0) == "" {
		return 1
	}
	return boolRC(mimeType(m.ContentType()) == args.Str(0))
}

// ---- multipart ----

// part is one part of a multipart body, as offsets into the body: the
// delimiter line that opens it, its Content-Type line, and its end (the
// CRLF before the next delimiter).
type part struct {
	delim    int // start of the "--boundary" line
	start    int // after the delimiter line's CRLF
	ctype    string
	ctEnd    int // after the Content-Type line, or start when none
	end      int // start of the CRLF that precedes the next delimiter
	next     int // start of the next delimiter line
	nextEnd  int // after the next delimiter line's CRLF
	closing  bool
	hasCType bool
}

// boundaryOf returns the boundary of a multipart Content-Type value.
func boundaryOf(ct []byte) (string, bool) {
	if !strings.HasPrefix(mimeType(ct), "multipart/") {
		return "", false
	}
	for _, p := range strings.Split(string(ct), ";")[1:] {
		name, val, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "boundary") {
			continue
		}
		val = strings.Trim(strings.TrimSpace(val), `"`)
		if val != "" {
			return val, true
		}
	}
	return "", false
}

// lineEnd returns the offset after the line starting at i (after its
// LF), and the offset of the line's end (its CR or LF).
func lineEnd(b []byte, i int) (next, end int) {
	k := bytes.IndexByte(b[i:], '\n')
	if k < 0 {
		return len(b), len(b)
	}
	end = i + k
	if end > i && b[end-1] == '\r' {
		end--
	}
	return i + k + 1, end
}

// parts splits a multipart body on its boundary.
func parts(b []byte, boundary string) []part {
	delim := []byte("--" + boundary)
	// delimiter lines: at the body start or after a LF
	var lines []int
	for i := 0; i < len(b); {
		if bytes.HasPrefix(b[i:], delim) {
			lines = append(lines, i)
		}
		next, _ := lineEnd(b, i)
		i = next
	}
	var out []part
	for k := 0; k+1 < len(lines); k++ {
		d := lines[k]
		if bytes.HasPrefix(b[d+len(delim):], []byte("--")) {
			break
		}
		p := part{delim: d, next: lines[k+1]}
		p.start, _ = lineEnd(b, d)
		p.nextEnd, _ = lineEnd(b, p.next)
		p.closing = bytes.HasPrefix(b[p.next+len(delim):], []byte("--"))
		p.end = p.next
		if p.end > p.start && b[p.end-1] == '\n' {
			p.end--
			if p.end > p.start && b[p.end-1] == '\r' {
				p.end--
			}
		}
		p.ctEnd = p.start
		for i := p.start; i < p.next; {
			next, end := lineEnd(b, i)
			if end == i {
				break // blank line: end of the part's headers
			}
			if name, val, ok := bytes.Cut(b[i:end], []byte(":")); ok && sip.LookupHeader(bytes.TrimSpace(name)) == sip.HdrContentType {
				p.ctype, p.ctEnd, p.hasCType = mimeType(val), next, true
				break
			}
			i = next
		}
		out = append(out, p)
	}
	return out
}

// findPart returns the first part of type ctype.
func findPart(m *sip.Message, ctype string) (part, []byte, bool) {
	boundary, ok := boundaryOf(m.ContentType())
	if !ok {
		return part{}, nil, false
	}
	b := m.Body()
	for _, p := range parts(b, boundary) {
		if p.hasCType && p.ctype == ctype {
			return p, b, true
		}
	}
	return part{}, nil, false
}

func fixupGetBodyPart(_ module.Host, args []module.FixedArg) error {
	if args[1].PV == nil || !args[1].PV.Writable() {
		return fmt.Errorf("the second parameter must be a writable pseudo-variable")
	}
	return nil
}

// execGetBodyPart stores a part in a variable: what follows its
// Content-Type line up to the next delimiter (get_body_part), or the part
// from its Content-Type line to the end of the next delimiter line
// (get_body_part_raw), as Kamailio 5.6 cuts them.
func execGetBodyPart(raw bool) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		st, m := message(ctx)
		if m == nil {
			return -1
		}
		var val []byte
		if _, multi := boundaryOf(m.ContentType()); !multi {
			// Not multipart: the whole body, whatever the type asked.
			if !hasBody(m) {
				return -1
			}
			if err := args.Fixed[1].PV.Set(st, bytesValue(st, m.Body())); err != nil {
				errorf(ctx, "get_body_part: %v", err)
				return -1
			}
			return 1
		}
		p, b, ok := findPart(m, mimeType([]byte(args.Str(0))))
		if !ok {
			return -1
		}
		if raw {
			val = b[p.start:p.nextEnd]
		} else {
			end := p.next
			if end < p.ctEnd {
				end = p.ctEnd
			}
			val = b[p.ctEnd:end]
		}
		if err := args.Fixed[1].PV.Set(st, bytesValue(st, val)); err != nil {
			errorf(ctx, "get_body_part: %v", err)
			return -1
		}
		return 1
	}
}

// execFilterBody keeps only the first part of the given type: the body
// becomes what follows its Content-Type line.
func execFilterBody(ctx module.ExecContext, args module.Args) int {
	_, m := message(ctx)
	if m == nil {
		return -1
	}
	p, b, ok := findPart(m, args.Str(0))
	if !ok {
		return -1
	}
	end := p.end
	if end < p.ctEnd {
		end = p.ctEnd
	}
	if err := m.SetBody(b[p.ctEnd:end]); err != nil {
		errorf(ctx, "filter_body: %v", err)
		return -1
	}
	return 1
}

func execRemoveBodyPart(ctx module.ExecContext, args module.Args) int {
	_, m := message(ctx)
	if m == nil {
		return -1
	}
	p, b, ok := findPart(m, mimeType([]byte(args.Str(0))))
	if !ok {
		return -1
	}
	off := m.BodyOffset()
	var err error
	if p.closing {
		// The last part: its delimiter becomes the closing one.
		boundary, _ := boundaryOf(m.ContentType())
		err = m.ReplaceRange(off+p.delim, off+p.nextEnd, "--"+boundary+"--\r\n")
	} else {
		err = m.ReplaceRange(off+p.start, off+p.nextEnd, "")
	}
	_ = b
	if err == nil {
		err = m.SyncContentLength()
	}
	if err != nil {
		errorf(ctx, "remove_body_part: %v", err)
		return -1
	}
	return 1
}

// execSetBodyMultipart turns the body into a multipart/mixed one: with a
// text and a content type, the new body holds that single part; without,
// it holds the current body as its part. Arguments: (), (boundary),
// (text, ctype) or (text, ctype, boundary).
func execSetBodyMultipart(ctx module.ExecContext, args module.Args) int {
	_, m := message(ctx)
	if m == nil {
		return -1
	}
	boundary := defaultBoundary
	var text, ctype string
	switch args.Len() {
	case 1:
		boundary = args.Str(0)
	case 2, 3:
		text, ctype = args.Str(0), args.Str(1)
		if args.Len() == 3 {
			boundary = args.Str(2)
		}
	}
	if boundary == "" || strings.ContainsAny(boundary, "\r\n\"") || strings.ContainsAny(ctype, "\r\n") {
		errorf(ctx, "set_body_multipart: bad boundary %q or content type %q", boundary, ctype)
		return -1
	}
	var nb []byte
	nb = append(nb, "--"+boundary+"\r\n"...)
	if args.Len() >= 2 {
		nb = append(nb, "Content-Type: "+ctype+"\r\n\r\n"+text+"\r\n"...)
	} else {
		if !hasBody(m) {
			errorf(ctx, "set_body_multipart: the message has no body to convert")
			return -1
		}
		old := m.ContentType()
		if len(old) == 0 {
			old = []byte("application/sdp")
		}
		nb = append(nb, "Content-Type: "...)
		nb = append(nb, old...)
		nb = append(nb, "\r\n\r\n"...)
		nb = append(nb, m.Body()...)
		nb = append(nb, "\r\n"...)
	}
	nb = append(nb, "--"+boundary+"\r\n"...)
	if err := setBodyAndType(m, nb, `multipart/mixed;boundary="`+boundary+`"`, "Mime-Version: 1.0\r\n"); err != nil {
		errorf(ctx, "set_body_multipart: %v", err)
		return -1
	}
	return 1
}

// execAppendBodyPart adds a part at the end of a multipart body (the
// received one: like Kamailio, a body made multipart by this route needs
// msg_apply_changes first).
func execAppendBodyPart(hexText bool) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		_, m := message(ctx)
		if m == nil {
			return -1
		}
		boundary, ok := boundaryOf(m.ContentType())
		if !ok {
			errorf(ctx, "append_body_part: the body is not multipart")
			return -1
		}
		content := args.Str(0)
		if hexText {
			h := strings.Map(func(r rune) rune {
				if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
					return -1
				}
				return r
			}, content)
			raw, err := hex.DecodeString(h)
			if err != nil {
				errorf(ctx, "append_body_part_hex: %q is not hexadecimal: %v", content, err)
				return -1
			}
			content = string(raw)
		}
		ctype := args.Str(1)
		if ctype == "" {
			return -1
		}
		var text strings.Builder
		text.WriteString("Content-Type: " + ctype + "\r\n")
		if args.Len() > 2 && args.Str(2) != "" {
			text.WriteString("Content-Disposition: " + args.Str(2) + "\r\n")
		}
		text.WriteString("\r\n" + content + "\r\n--" + boundary + "--\r\n")
		b := m.Body()
		off := m.BodyOffset()
		delim := []byte("--" + boundary)
		// After the last delimiter line, which stops being the closing one.
		last := -1
		for i := 0; i < len(b); {
			if bytes.HasPrefix(b[i:], delim) {
				last = i
			}
			i, _ = lineEnd(b, i)
		}
		var err error
		switch {
		case last < 0:
			err = m.InsertRaw(off+len(b), "--"+boundary+"\r\n"+text.String())
		default:
			next, _ := lineEnd(b, last)
			err = m.ReplaceRange(off+last, off+next, "--"+boundary+"\r\n"+text.String())
		}
		if err == nil {
			err = m.SyncContentLength()
		}
		if err != nil {
			errorf(ctx, "append_body_part: %v", err)
			return -1
		}
		return 1
	}
}
