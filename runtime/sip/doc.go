// Package sip is kamgo's SIP message layer: it parses received SIP
// messages without copying them, gives typed access to their headers,
// records edits the way Kamailio's lumps do and serializes the result, cuts
// TCP streams into messages, and builds replies, ACKs and CANCELs.
//
// Every packet the server handles passes through this package, so it is
// built for speed and for hostile input:
//
//   - Message.Parse makes one pass over the buffer: start line, then an
//     index of header name/value spans with a HeaderType (compact forms and
//     any case), folding handled. Typed values (Via, From/To, CSeq,
//     Contact, Route, ...) are parsed on first use and cached. A pooled
//     Message parses and answers the hot accessors without allocating.
//   - Nothing wraps: numbers are parsed into uint32 with range checks.
//     Single-instance headers (Call-ID, CSeq, From, To, Max-Forwards,
//     Content-Length) must not repeat. Header names are tokens; only SP/HT
//     may precede the colon. No input makes the package panic.
//   - Edits (AppendHeader, RemoveHeader, SetHeaderValue, SetRequestURI,
//     SetBody, PushVia, FixTopVia, PushRecordRoute, RemoveFirstValue, ...)
//     never touch the received bytes; AppendTo splices them in, in offset
//     order, and keeps Content-Length right.
//   - Framer implements stream framing (Content-Length mandatory, size and
//     header limits, CRLF keepalives); Parse with Datagram implements the
//     UDP rules of RFC 3261 §18.3.
//   - Errors are *ParseError values with an ErrorKind (errors.Is works) and
//     the status code a request should get (400, 505, 513).
//
// How the script's pseudo-variables map onto a *Message m:
//
//	$ru  m.RequestURI()                 $rU $rd $rp  m.ParsedRequestURI(): User, Host, Port
//	$rm  m.Method()                     $rs $rr      m.StatusCode(), m.Reason()
//	$ci  m.CallID()                     $cs          m.CSeq().Num
//	$fu $ft  m.From(): URI, Tag         $tu $tt      m.To(): URI, Tag
//	$ua  m.UserAgent()                  $rb          m.Body()
//	$ml  m.Len()                        $mb          m.Bytes()
//	$hdr(Name), $(hdr(Name)[i])  m.Header("Name", i)   (i < 0 counts from the end)
//	$hdrc(Name)                  m.HeaderCount("Name")
//
// A transaction layer matches on TopVia().Branch (IsRFC3261Branch tells
// when to fall back to RFC 2543 matching), CallID() and CSeq(), builds
// replies with AppendReply and ACK/CANCEL with AppendACK / AppendCANCEL,
// and draws branches and tags from an IDGen.
package sip
