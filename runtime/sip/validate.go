package sip

// Validate runs the checks a proxy needs before routing a message, in the
// spirit of Kamailio's sanity module, and returns the first failure as a
// *ParseError whose Code is the status to answer a request with:
//
//   - mandatory headers present: Via, From, To, Call-ID, CSeq (Max-Forwards
//     is optional: RFC 2543 peers omit it and a proxy adds it);
//   - every Via, From, To, CSeq, Max-Forwards, Expires and Contact parses;
//     From/To URIs parse; Call-ID is word["@"word];
//   - for requests: CSeq method equals the request method (RFC 4475
//     mismatch01/02), and the Request-URI parses; a sip/sips Request-URI
//     must not carry headers (RFC 4475 escruri). An unknown scheme is not an
//     error here: the router answers 416 (RFC 4475 unkscm).
//
// Things Validate deliberately leaves to the router: Max-Forwards 0 (483),
// Proxy-Require (420), Date (unused), broadcast sent-by in responses.
func (m *Message) Validate() error {
	if err := m.parsed(); err != nil {
		return err
	}
	for _, t := range [...]HeaderType{HdrVia, HdrFrom, HdrTo, HdrCallID, HdrCSeq} {
		if m.First(t) == nil {
			return newErr(ErrMissing, "Missing "+t.String(), -1)
		}
	}
	if _, err := m.Vias(); err != nil {
		return err
	}
	from, err := m.From()
	if err != nil {
		return err
	}
	to, err := m.To()
	if err != nil {
		return err
	}
	for _, na := range [...]*NameAddr{from, to} {
		if _, err := ParseURI(na.URI); err != nil {
			return wrapErr("Bad From/To URI", m.offsetOf(na.URI), err)
		}
	}
	if cid := m.CallID(); !validCallID(cid) {
		return newErr(ErrSyntax, "Bad Call-ID", m.offsetOf(cid))
	}
	cs, err := m.CSeq()
	if err != nil {
		return err
	}
	if _, _, err := m.MaxForwards(); err != nil {
		return err
	}
	if _, _, err := m.Expires(); err != nil {
		return err
	}
	if _, _, err := m.Contacts(); err != nil {
		return err
	}
	if !m.request {
		return nil
	}
	if string(cs.Method) != string(m.method) {
		return newErr(ErrSyntax, "CSeq method does not match", m.offsetOf(cs.Method))
	}
	u, err := m.ParsedRequestURI()
	if err != nil {
		return err
	}
	if (u.Scheme == SchemeSIP || u.Scheme == SchemeSIPS) && u.Headers != nil {
		return newErr(ErrSyntax, "Headers in Request-URI", len(m.method)+1)
	}
	return nil
}
