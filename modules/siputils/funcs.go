package siputils

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// Route masks, as Kamailio 5.6.3 declares them (an event_route counts as
// a request route).
const (
	rAny       = module.Any
	rReq       = module.Request
	rReqFB     = module.Request | module.Failure | module.Branch
	rTel2SIP   = module.Request | module.Failure | module.Branch | module.AnyReply
	rE164      = module.Request | module.Failure | module.Local
	rReqReply  = module.Request | module.AnyReply
	rDecodeHdr = module.Request | module.Failure | module.AnyReply
)

var (
	aFmt = module.Arg{Kind: module.ArgFormat}
	aPV  = module.Arg{Kind: module.ArgPVName}
	aAny = module.Arg{Kind: module.ArgAny}
)

func funcs() []module.Func {
	return []module.Func{
		{Name: "options_reply", Routes: rReq, Exec: execOptionsReply},
		{Name: "is_user", ArgCounts: []int{1}, Args: []module.Arg{aFmt}, Routes: rReq, Exec: execIsUser},
		{Name: "has_totag", Routes: rAny, Exec: execHasToTag},
		{Name: "uri_param", ArgCounts: []int{1, 2}, Args: []module.Arg{aFmt, aFmt}, Routes: rReqFB, Exec: execURIParam},
		{Name: "uri_param_any", ArgCounts: []int{1}, Args: []module.Arg{aFmt}, Routes: rReqFB, Exec: execURIParamAny},
		{Name: "add_uri_param", ArgCounts: []int{1}, Args: []module.Arg{aFmt}, Routes: rReq, Exec: execAddURIParam},
		{Name: "get_uri_param", ArgCounts: []int{2}, Args: []module.Arg{aFmt, aPV}, Routes: rReq, Exec: execGetURIParam},
		{Name: "uri_param_rm", ArgCounts: []int{1}, Args: []module.Arg{aFmt}, Routes: rReqFB, Exec: execURIParamRm},
		{Name: "tel2sip", ArgCounts: []int{3}, Args: []module.Arg{aFmt, aFmt, aPV}, Routes: rTel2SIP, Exec: execTel2SIP},
		{Name: "is_e164", ArgCounts: []int{1}, Args: []module.Arg{aAny}, Routes: rE164, Fixup: fixupNeedsPV, Exec: execIsE164},
		{Name: "is_uri_user_e164", ArgCounts: []int{1}, Args: []module.Arg{aAny}, Routes: rAny, Fixup: fixupNeedsPV, Exec: execIsURIUserE164},
		{Name: "is_uri", ArgCounts: []int{1}, Args: []module.Arg{aAny}, Routes: rAny, Fixup: fixupNeedsPV, Exec: execIsURI},
		{Name: "is_tel_number", ArgCounts: []int{1}, Args: []module.Arg{aFmt}, Routes: rAny, Exec: execCharClass(isTelNumber)},
		{Name: "is_numeric", ArgCounts: []int{1}, Args: []module.Arg{aFmt}, Routes: rAny, Exec: execCharClass(isNumeric)},
		{Name: "is_alphanum", ArgCounts: []int{1}, Args: []module.Arg{aFmt}, Routes: rAny, Exec: execCharClass(isAlphanum)},
		{Name: "is_alphanumex", ArgCounts: []int{2}, Args: []module.Arg{aFmt, aFmt}, Routes: rAny, Exec: execIsAlphanumex},
		{Name: "encode_contact", ArgCounts: []int{2}, Routes: rReqReply},
		{Name: "decode_contact", Routes: rReq},
		{Name: "decode_contact_header", Routes: rDecodeHdr},
		{Name: "cmp_uri", ArgCounts: []int{2}, Args: []module.Arg{aFmt, aFmt}, Routes: rAny, Exec: execCmpURI},
		{Name: "cmp_aor", ArgCounts: []int{2}, Args: []module.Arg{aFmt, aFmt}, Routes: rAny, Exec: execCmpAoR},
		{Name: "cmp_hdr_name", ArgCounts: []int{2}, Args: []module.Arg{aFmt, aFmt}, Routes: rAny, Exec: execCmpHdrName},
		{Name: "append_rpid_hf", ArgCounts: []int{0, 2}, Routes: rReqFB},
		{Name: "is_rpid_user_e164", Routes: rReq},
		{Name: "set_uri_user", ArgCounts: []int{2}, Args: []module.Arg{aPV, aAny}, Routes: rAny, Fixup: fixupSetURI, Exec: execSetURIPart(sip.PartUser)},
		{Name: "set_uri_host", ArgCounts: []int{2}, Args: []module.Arg{aPV, aAny}, Routes: rAny, Fixup: fixupSetURI, Exec: execSetURIPart(sip.PartHost)},
		{Name: "is_request", Routes: rAny, Exec: execIsRequest},
		{Name: "is_reply", Routes: rAny, Exec: execIsReply},
		{Name: "is_gruu", ArgCounts: []int{0, 1}, Args: []module.Arg{aFmt}, Routes: rAny, Exec: execIsGRUU},
		{Name: "is_supported", ArgCounts: []int{1}, Args: []module.Arg{aFmt}, Routes: rAny, Exec: execIsSupported},
		{Name: "is_first_hop", ArgCounts: []int{0, 1}, Args: []module.Arg{aFmt}, Routes: rAny, Exec: execIsFirstHop},
		{Name: "sip_p_charging_vector", ArgCounts: []int{1}, Routes: rAny},
		{Name: "contact_param_encode", ArgCounts: []int{2}, Args: []module.Arg{aFmt, aFmt}, Routes: rReqReply, Exec: execContactEncode},
		{Name: "contact_param_decode", ArgCounts: []int{1}, Args: []module.Arg{aFmt}, Routes: rReqReply, Exec: execContactDecode},
		{Name: "contact_param_decode_ruri", ArgCounts: []int{1}, Args: []module.Arg{aFmt}, Routes: rReq, Exec: execContactDecodeRURI},
		{Name: "contact_param_rm", ArgCounts: []int{1}, Args: []module.Arg{aFmt}, Routes: rReqReply, Exec: execContactRm},
		{Name: "hdr_date_check", ArgCounts: []int{1}, Routes: rAny},
		{Name: "ring_insert_callid", Routes: rReqFB},
	}
}

// fixupNeedsPV refuses a constant: these functions read a pseudo-variable,
// as Kamailio's fixup requires.
func fixupNeedsPV(_ module.Host, args []module.FixedArg) error {
	for i := range args {
		if args[i].Const {
			return fmt.Errorf("argument %d must be a pseudo-variable, got the constant %q", i+1, args[i].Str)
		}
	}
	return nil
}

func fixupSetURI(_ module.Host, args []module.FixedArg) error {
	if args[0].PV == nil || !args[0].PV.Writable() {
		return fmt.Errorf("the first argument must be a writable pseudo-variable")
	}
	return fixupNeedsPV(nil, args[1:])
}

func msgOf(ctx module.ExecContext) *sip.Message {
	if st := ctx.State(); st != nil {
		return st.Msg
	}
	return nil
}

func boolRC(b bool) int {
	if b {
		return 1
	}
	return -1
}

func execIsRequest(ctx module.ExecContext, _ module.Args) int {
	m := msgOf(ctx)
	return boolRC(m != nil && m.IsRequest())
}

func execIsReply(ctx module.ExecContext, _ module.Args) int {
	m := msgOf(ctx)
	return boolRC(m != nil && !m.IsRequest())
}

func execHasToTag(ctx module.ExecContext, _ module.Args) int {
	m := msgOf(ctx)
	if m == nil {
		return -1
	}
	to, err := m.To()
	return boolRC(err == nil && len(to.Tag) > 0)
}

// execIsUser is is_user(name): it compares the user of the credentials an
// auth function authorized. kamgo has no auth module yet, so no
// credentials are ever authorized and, as Kamailio does without a prior
// {www,proxy}_authorize, the check fails.
func execIsUser(ctx module.ExecContext, _ module.Args) int {
	ctx.Logger().Log(logging.LErr, "siputils: is_user: no authorized credentials found: call {www,proxy}_authorize first")
	return -1
}

// Character class checks.

func isTelNumber(s string) bool {
	if s == "" {
		return false
	}
	i := 0
	if s[0] == '+' {
		// An international number does not start with 0.
		if len(s) < 2 || s[1] < '1' || s[1] > '9' {
			return false
		}
		i = 1
	}
	return isNumeric(s[i:])
}

func isNumeric(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isAlnumByte(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isAlphanum(s string) bool { return isAlphanumex(s, "") }

func isAlphanumex(s, extra string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnumByte(s[i]) && strings.IndexByte(extra, s[i]) < 0 {
			return false
		}
	}
	return true
}

// isE164 reports a '+' followed by 2 to 15 digits.
func isE164(s string) bool {
	return len(s) >= 3 && len(s) <= 16 && s[0] == '+' && isNumeric(s[1:])
}

func execCharClass(check func(string) bool) module.ExecFunc {
	return func(_ module.ExecContext, args module.Args) int { return boolRC(check(args.Str(0))) }
}

func execIsAlphanumex(_ module.ExecContext, args module.Args) int {
	return boolRC(isAlphanumex(args.Str(0), args.Str(1)))
}

func execIsE164(_ module.ExecContext, args module.Args) int {
	v := args.Value(0)
	return boolRC(v.IsStr() && isE164(v.S))
}

// execIsURIUserE164 checks the user of the SIP URI in a pseudo-variable.
func execIsURIUserE164(_ module.ExecContext, args module.Args) int {
	v := args.Value(0)
	if !v.IsStr() {
		return -1
	}
	u, err := sip.ParseURI([]byte(v.S))
	if err != nil || (u.Scheme != sip.SchemeSIP && u.Scheme != sip.SchemeSIPS) {
		return -1
	}
	return boolRC(isE164(string(u.User)))
}

func execIsURI(_ module.ExecContext, args module.Args) int {
	v := args.Value(0)
	if !v.IsStr() {
		return -1
	}
	u, err := sip.ParseURI([]byte(v.S))
	return boolRC(err == nil && u.Scheme != sip.SchemeOther)
}

// URI comparisons: 1 equal, -1 different, -2 when a URI does not parse.

func parseSIPURI(s string) (sip.URI, bool) {
	u, err := sip.ParseURI([]byte(s))
	if err != nil || u.Scheme == sip.SchemeOther {
		return u, false
	}
	return u, true
}

func execCmpURI(_ module.ExecContext, args module.Args) int {
	a, ok1 := parseSIPURI(args.Str(0))
	b, ok2 := parseSIPURI(args.Str(1))
	if !ok1 || !ok2 {
		return -2
	}
	return boolRC(a.Equal(&b))
}

// execCmpAoR compares two URIs as addresses of record: user (exactly),
// host (in any case) and port (5060 when absent).
func execCmpAoR(_ module.ExecContext, args module.Args) int {
	a, ok1 := parseSIPURI(args.Str(0))
	b, ok2 := parseSIPURI(args.Str(1))
	if !ok1 || !ok2 {
		return -2
	}
	ha, pa := a.HostPort()
	hb, pb := b.HostPort()
	return boolRC(bytes.Equal(a.User, b.User) && bytes.EqualFold(ha, hb) && pa == pb)
}

// execCmpHdrName compares header names, compact forms included; Kamailio
// returns -2 when they differ.
func execCmpHdrName(_ module.ExecContext, args module.Args) int {
	a, b := args.Str(0), args.Str(1)
	ta, tb := sip.LookupHeader([]byte(a)), sip.LookupHeader([]byte(b))
	if ta != sip.HdrOther || tb != sip.HdrOther {
		if ta == tb {
			return 1
		}
		return -2
	}
	if strings.EqualFold(a, b) {
		return 1
	}
	return -2
}

// R-URI parameters.

// ruriParams returns the parameters uri_param and get_uri_param look at:
// the SIP parameters, or, for a user=phone URI, the parameters of the
// telephone number in the user part (RFC 3261 §19.1.6), as Kamailio does.
func ruriParams(m *sip.Message) (sip.Params, bool) {
	u, err := m.ParsedRequestURI()
	if err != nil {
		return nil, false
	}
	if strings.EqualFold(string(u.UserParam), "phone") {
		if i := bytes.IndexByte(u.User, ';'); i >= 0 {
			return sip.Params(u.User[i:]), true
		}
		return nil, true
	}
	return u.Params, true
}

func execURIParam(ctx module.ExecContext, args module.Args) int {
	m := msgOf(ctx)
	if m == nil || !m.IsRequest() {
		return -1
	}
	ps, ok := ruriParams(m)
	if !ok {
		return -1
	}
	// Names and values match exactly; an empty value matches a parameter
	// without one, as in Kamailio.
	name := args.Str(0)
	for it := ps.Iter(); it.Next(); {
		if string(it.Name) != name {
			continue
		}
		if args.Len() == 1 {
			return boolRC(!it.HasValue)
		}
		return boolRC(string(it.Value) == args.Str(1))
	}
	return -1
}

func execURIParamAny(ctx module.ExecContext, args module.Args) int {
	m := msgOf(ctx)
	if m == nil || !m.IsRequest() {
		return -1
	}
	u, err := m.ParsedRequestURI()
	return boolRC(err == nil && u.Params.Has(args.Str(0)))
}

func execGetURIParam(ctx module.ExecContext, args module.Args) int {
	m := msgOf(ctx)
	if m == nil || !m.IsRequest() {
		return -1
	}
	ps, ok := ruriParams(m)
	if !ok {
		return -1
	}
	v, found := ps.Get(args.Str(0))
	if !found {
		return -1
	}
	if err := args.Fixed[1].PV.Set(ctx.State(), pv.Str(string(v))); err != nil {
		ctx.Logger().Logf(logging.LErr, "siputils: get_uri_param: %v", err)
		return -1
	}
	return 1
}

// execAddURIParam appends ";param" to the R-URI's parameters (before any
// URI headers).
func execAddURIParam(ctx module.ExecContext, args module.Args) int {
	m := msgOf(ctx)
	p := args.Str(0)
	if m == nil || !m.IsRequest() || p == "" {
		return -1
	}
	ru := string(m.RequestURI())
	nu := ru + ";" + p
	if q := strings.IndexByte(ru, '?'); q >= 0 {
		nu = ru[:q] + ";" + p + ru[q:]
	}
	if _, err := sip.ParseURI([]byte(nu)); err != nil {
		ctx.Logger().Logf(logging.LErr, "siputils: add_uri_param: %q makes an invalid URI: %v", p, err)
		return -1
	}
	if err := m.SetRequestURI(nu); err != nil {
		ctx.Logger().Logf(logging.LErr, "siputils: add_uri_param: %v", err)
		return -1
	}
	return 1
}

// removeParam returns uri without the URI parameter name, and whether it
// was there.
func removeParam(uri, name string) (string, bool) {
	b := []byte(uri)
	u, err := sip.ParseURI(b)
	if err != nil || len(u.Params) == 0 {
		return uri, false
	}
	pstart := cap(b) - cap(u.Params)
	if pstart < 0 || pstart > len(uri) {
		return uri, false
	}
	ps := uri[pstart : pstart+len(u.Params)]
	var out strings.Builder
	found := false
	for _, el := range strings.Split(ps[1:], ";") {
		n, _, _ := strings.Cut(el, "=")
		if strings.EqualFold(strings.TrimSpace(n), name) {
			found = true
			continue
		}
		out.WriteByte(';')
		out.WriteString(el)
	}
	if !found {
		return uri, false
	}
	return uri[:pstart] + out.String() + uri[pstart+len(ps):], true
}

func execURIParamRm(ctx module.ExecContext, args module.Args) int {
	m := msgOf(ctx)
	if m == nil || !m.IsRequest() {
		return -1
	}
	nu, found := removeParam(string(m.RequestURI()), args.Str(0))
	if !found {
		return 1 // nothing to remove: Kamailio reports success too
	}
	if err := m.SetRequestURI(nu); err != nil {
		ctx.Logger().Logf(logging.LErr, "siputils: uri_param_rm: %v", err)
		return -1
	}
	return 1
}

// tel2sip converts a tel URI into a SIP URI at host (RFC 3261 §19.1.6):
// visual separators leave the number, the parameters are lower-cased, and
// user=phone is added. ok is false for a URI that is not tel.
func tel2sip(uri, host string) (string, bool) {
	if len(uri) < 4 || !strings.EqualFold(uri[:4], "tel:") {
		return "", false
	}
	num, params, _ := strings.Cut(uri[4:], ";")
	var b strings.Builder
	b.WriteString("sip:")
	for i := 0; i < len(num); i++ {
		switch num[i] {
		case '-', '.', '(', ')':
		default:
			b.WriteByte(num[i])
		}
	}
	if params != "" {
		b.WriteByte(';')
		b.WriteString(strings.ToLower(params))
	}
	b.WriteByte('@')
	b.WriteString(host)
	b.WriteString(";user=phone")
	return b.String(), true
}

// execTel2SIP is tel2sip(uri, host, result): 1 converted, 2 nothing to do.
func execTel2SIP(ctx module.ExecContext, args module.Args) int {
	out, ok := tel2sip(args.Str(0), args.Str(1))
	if !ok {
		return 2
	}
	if err := args.Fixed[2].PV.Set(ctx.State(), pv.Str(out)); err != nil {
		ctx.Logger().Logf(logging.LErr, "siputils: tel2sip: %v", err)
		return -1
	}
	return 1
}

// execSetURIPart is set_uri_user / set_uri_host: the URI in the first
// pseudo-variable gets the value of the second as user or host.
func execSetURIPart(part sip.URIPart) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		st := ctx.State()
		p := args.Fixed[0].PV
		cur := p.Get(st)
		if !cur.IsStr() {
			return -1
		}
		if strings.IndexByte(cur.S, ':') < 0 {
			ctx.Logger().Log(logging.LErr, "siputils: uri does not contain ':' character")
			return -1
		}
		out, err := sip.RewriteURI(nil, []byte(cur.S), part, args.Str(1))
		if err != nil {
			ctx.Logger().Logf(logging.LErr, "siputils: cannot rewrite %q: %v", cur.S, err)
			return -1
		}
		if err := p.Set(st, pv.Str(string(out))); err != nil {
			ctx.Logger().Logf(logging.LErr, "siputils: %v", err)
			return -1
		}
		return 1
	}
}

// execIsGRUU is is_gruu([uri]): 1 for a public GRUU (gr=value), 2 for a
// temporary one (gr without value), -1 otherwise.
func execIsGRUU(ctx module.ExecContext, args module.Args) int {
	var raw []byte
	if args.Len() > 0 {
		raw = []byte(args.Str(0))
	} else if m := msgOf(ctx); m != nil && m.IsRequest() {
		raw = m.RequestURI()
	}
	u, err := sip.ParseURI(raw)
	if err != nil {
		return -1
	}
	v, ok := u.Params.Get("gr")
	switch {
	case !ok:
		return -1
	case len(v) == 0:
		return 2
	}
	return 1
}

// supportedOptions are the option tags Kamailio's is_supported knows.
var supportedOptions = [...]string{"path", "100rel", "timer", "eventlist", "gruu", "outbound"}

func execIsSupported(ctx module.ExecContext, args module.Args) int {
	m := msgOf(ctx)
	opt := args.Str(0)
	known := false
	for _, o := range supportedOptions {
		if strings.EqualFold(o, opt) {
			known = true
		}
	}
	if m == nil || !known {
		return -1
	}
	tags, err := m.AppendTokens(nil, sip.HdrSupported)
	if err != nil {
		return -1
	}
	for _, t := range tags {
		if strings.EqualFold(string(t), opt) {
			return 1
		}
	}
	return -1
}

// execIsFirstHop is is_first_hop([mode]): a request with a single Via; a
// reply whose top Record-Route is this server (mode 0 also wants an IP
// address there and a source that is not this server).
func execIsFirstHop(ctx module.ExecContext, args module.Args) int {
	m := msgOf(ctx)
	if m == nil {
		return -1
	}
	if m.IsRequest() {
		vias, err := m.Vias()
		return boolRC(err == nil && len(vias) == 1)
	}
	mode := int64(0)
	if args.Len() > 0 {
		if n, ok := args.Int(0); ok {
			mode = n
		}
	}
	core := ctx.Core()
	rrs, err := m.RecordRoutes()
	if core == nil || err != nil || len(rrs) == 0 {
		return -1
	}
	u, err := rrs[0].ParsedURI()
	if err != nil {
		return -1
	}
	host, port := u.HostPort()
	h := strings.Trim(string(host), "[]")
	if mode == 0 {
		if !isIPLiteral(h) {
			return -1
		}
		if st := ctx.State(); st != nil && st.Recv.Src.IsValid() && core.Myself(st.Recv.Src.Addr().String(), 0) {
			return -1
		}
	}
	return boolRC(core.Myself(h, int(port)))
}

func isIPLiteral(h string) bool {
	if h == "" {
		return false
	}
	if strings.IndexByte(h, ':') >= 0 {
		return true
	}
	for i := 0; i < len(h); i++ {
		if (h[i] < '0' || h[i] > '9') && h[i] != '.' {
			return false
		}
	}
	return true
}

// options_reply.

// execOptionsReply answers an OPTIONS request addressed to this server (no
// user in the R-URI, host and port ours) with 200 OK and the capabilities
// of the options_* parameters.
func execOptionsReply(ctx module.ExecContext, _ module.Args) int {
	m := msgOf(ctx)
	log := ctx.Logger()
	if m == nil || !m.IsRequest() || m.MethodID() != sip.MethodOPTIONS {
		log.Log(logging.LErr, "siputils: options_reply: called for a request that is not OPTIONS")
		return -1
	}
	u, err := m.ParsedRequestURI()
	if err != nil || len(u.User) > 0 {
		log.Log(logging.LErr, "siputils: options_reply: the R-URI has a user part")
		return -1
	}
	core := ctx.Core()
	if core == nil {
		log.Log(logging.LErr, "siputils: options_reply: no server is running")
		return -1
	}
	port := 0
	if u.HasPort {
		port = int(u.Port)
	}
	if !core.Myself(strings.Trim(string(u.Host), "[]"), port) {
		log.Logf(logging.LErr, "siputils: options_reply: the R-URI %q is not this server", m.RequestURI())
		return -1
	}
	s, ok := stateOf(core.Module(Name))
	if !ok {
		s = New()
	}
	opts := sip.ReplyOptions{Headers: s.optionsHeaders()}
	if err := core.SendReply(ctx.State(), 200, "OK", opts); err != nil {
		log.Logf(logging.LErr, "siputils: options_reply: %v", err)
		if err := core.SendReply(ctx.State(), 500, "Server internal error", sip.ReplyOptions{}); err != nil {
			log.Logf(logging.LErr, "siputils: options_reply: %v", err)
		}
		return -1
	}
	return 1
}

// optionsHeaders are the capability headers of an OPTIONS reply; like
// Kamailio, each is sent even when its parameter is empty.
func (s *State) optionsHeaders() []string {
	return []string{
		"Accept: " + s.OptionsAccept,
		"Accept-Encoding: " + s.OptionsAcceptEncoding,
		"Accept-Language: " + s.OptionsAcceptLanguage,
		"Supported: " + s.OptionsSupport,
	}
}

// Contact URI encoding into a parameter.

var b64 = base64.RawURLEncoding

// contactURIs returns the URIs of the Contact headers, as views.
func contactURIs(m *sip.Message) ([][]byte, error) {
	list, star, err := m.Contacts()
	if err != nil || star {
		return nil, err
	}
	out := make([][]byte, 0, len(list))
	for i := range list {
		out = append(out, list[i].URI)
	}
	return out, nil
}

// execContactEncode is contact_param_encode(pname, saddr): every Contact
// URI becomes saddr with the original URI, Base64URL-encoded, in
// parameter pname.
func execContactEncode(ctx module.ExecContext, args module.Args) int {
	m := msgOf(ctx)
	pname, saddr := args.Str(0), args.Str(1)
	if m == nil || pname == "" || saddr == "" {
		return -1
	}
	uris, err := contactURIs(m)
	if err != nil || len(uris) == 0 {
		return -1
	}
	for _, u := range uris {
		nu := saddr + ";" + pname + "=" + b64.EncodeToString(u)
		if err := m.Replace(u, nu); err != nil {
			ctx.Logger().Logf(logging.LErr, "siputils: contact_param_encode: %v", err)
			return -1
		}
	}
	return 1
}

// decodedParam returns the URI held Base64URL-encoded in parameter pname
// of uri.
func decodedParam(uri []byte, pname string) (string, bool) {
	u, err := sip.ParseURI(uri)
	if err != nil {
		return "", false
	}
	v, ok := u.Params.Get(pname)
	if !ok || len(v) == 0 {
		return "", false
	}
	dec, err := b64.DecodeString(strings.TrimRight(string(v), "="))
	if err != nil {
		return "", false
	}
	if _, err := sip.ParseURI(dec); err != nil {
		return "", false
	}
	return string(dec), true
}

// execContactDecode is contact_param_decode(pname): Contact URIs carrying
// pname get back the URI it encodes.
func execContactDecode(ctx module.ExecContext, args module.Args) int {
	m := msgOf(ctx)
	if m == nil {
		return -1
	}
	uris, err := contactURIs(m)
	if err != nil || len(uris) == 0 {
		return -1
	}
	for _, u := range uris {
		dec, ok := decodedParam(u, args.Str(0))
		if !ok {
			continue
		}
		if err := m.Replace(u, dec); err != nil {
			ctx.Logger().Logf(logging.LErr, "siputils: contact_param_decode: %v", err)
			return -1
		}
	}
	return 1
}

// execContactDecodeRURI is contact_param_decode_ruri(pname): the R-URI
// becomes the URI its parameter pname encodes.
func execContactDecodeRURI(ctx module.ExecContext, args module.Args) int {
	m := msgOf(ctx)
	if m == nil || !m.IsRequest() {
		return -1
	}
	dec, ok := decodedParam(m.RequestURI(), args.Str(0))
	if !ok {
		return -1
	}
	if err := m.SetRequestURI(dec); err != nil {
		ctx.Logger().Logf(logging.LErr, "siputils: contact_param_decode_ruri: %v", err)
		return -1
	}
	return 1
}

// execContactRm is contact_param_rm(pname): the parameter leaves every
// Contact URI.
func execContactRm(ctx module.ExecContext, args module.Args) int {
	m := msgOf(ctx)
	if m == nil {
		return -1
	}
	uris, err := contactURIs(m)
	if err != nil || len(uris) == 0 {
		return -1
	}
	for _, u := range uris {
		nu, found := removeParam(string(u), args.Str(0))
		if !found {
			continue
		}
		if err := m.Replace(u, nu); err != nil {
			ctx.Logger().Logf(logging.LErr, "siputils: contact_param_rm: %v", err)
			return -1
		}
	}
	return 1
}
