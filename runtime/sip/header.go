package sip

// HeaderType identifies a header field independently of how its name was
// spelled (case, compact form). Unknown names are HdrOther and are matched by
// their text.
type HeaderType uint8

// Header types known to the indexer.
const (
	HdrOther HeaderType = iota
	HdrVia
	HdrFrom
	HdrTo
	HdrCallID
	HdrCSeq
	HdrMaxForwards
	HdrContentLength
	HdrContentType
	HdrContact
	HdrRoute
	HdrRecordRoute
	HdrRequire
	HdrProxyRequire
	HdrSupported
	HdrUnsupported
	HdrExpires
	HdrMinExpires
	HdrAuthorization
	HdrProxyAuthorization
	HdrWWWAuthenticate
	HdrProxyAuthenticate
	HdrAuthenticationInfo
	HdrUserAgent
	HdrServer
	HdrAllow
	HdrAccept
	HdrAcceptEncoding
	HdrAcceptLanguage
	HdrContentEncoding
	HdrContentDisposition
	HdrContentLanguage
	HdrSubject
	HdrEvent
	HdrAllowEvents
	HdrSubscriptionState
	HdrReferTo
	HdrReferredBy
	HdrDate
	HdrSessionExpires
	HdrMinSE
	HdrRSeq
	HdrRAck
	HdrPath
	HdrPrivacy
	HdrPAssertedIdentity
	HdrPPreferredIdentity
	HdrDiversion
	HdrRetryAfter
	HdrWarning
	HdrOrganization
	HdrReason
	HdrIdentity
	HdrIdentityInfo
	HdrAcceptContact
	HdrRejectContact
	HdrRequestDisposition
	HdrCallInfo
	HdrAlertInfo
	HdrErrorInfo
	HdrTimestamp
	HdrMIMEVersion
	HdrReplyTo
	HdrInReplyTo
	HdrPriority
	HdrReplaces
	HdrSIPETag
	HdrSIPIfMatch
	numHeaderTypes
)

// String returns the canonical (long) header name, "" for HdrOther.
func (t HeaderType) String() string {
	switch t {
	case HdrVia:
		return "Via"
	case HdrFrom:
		return "From"
	case HdrTo:
		return "To"
	case HdrCallID:
		return "Call-ID"
	case HdrCSeq:
		return "CSeq"
	case HdrMaxForwards:
		return "Max-Forwards"
	case HdrContentLength:
		return "Content-Length"
	case HdrContentType:
		return "Content-Type"
	case HdrContact:
		return "Contact"
	case HdrRoute:
		return "Route"
	case HdrRecordRoute:
		return "Record-Route"
	case HdrRequire:
		return "Require"
	case HdrProxyRequire:
		return "Proxy-Require"
	case HdrSupported:
		return "Supported"
	case HdrUnsupported:
		return "Unsupported"
	case HdrExpires:
		return "Expires"
	case HdrMinExpires:
		return "Min-Expires"
	case HdrAuthorization:
		return "Authorization"
	case HdrProxyAuthorization:
		return "Proxy-Authorization"
	case HdrWWWAuthenticate:
		return "WWW-Authenticate"
	case HdrProxyAuthenticate:
		return "Proxy-Authenticate"
	case HdrAuthenticationInfo:
		return "Authentication-Info"
	case HdrUserAgent:
		return "User-Agent"
	case HdrServer:
		return "Server"
	case HdrAllow:
		return "Allow"
	case HdrAccept:
		return "Accept"
	case HdrAcceptEncoding:
		return "Accept-Encoding"
	case HdrAcceptLanguage:
		return "Accept-Language"
	case HdrContentEncoding:
		return "Content-Encoding"
	case HdrContentDisposition:
		return "Content-Disposition"
	case HdrContentLanguage:
		return "Content-Language"
	case HdrSubject:
		return "Subject"
	case HdrEvent:
		return "Event"
	case HdrAllowEvents:
		return "Allow-Events"
	case HdrSubscriptionState:
		return "Subscription-State"
	case HdrReferTo:
		return "Refer-To"
	case HdrReferredBy:
		return "Referred-By"
	case HdrDate:
		return "Date"
	case HdrSessionExpires:
		return "Session-Expires"
	case HdrMinSE:
		return "Min-SE"
	case HdrRSeq:
		return "RSeq"
	case HdrRAck:
		return "RAck"
	case HdrPath:
		return "Path"
	case HdrPrivacy:
		return "Privacy"
	case HdrPAssertedIdentity:
		return "P-Asserted-Identity"
	case HdrPPreferredIdentity:
		return "P-Preferred-Identity"
	case HdrDiversion:
		return "Diversion"
	case HdrRetryAfter:
		return "Retry-After"
	case HdrWarning:
		return "Warning"
	case HdrOrganization:
		return "Organization"
	case HdrReason:
		return "Reason"
	case HdrIdentity:
		return "Identity"
	case HdrIdentityInfo:
		return "Identity-Info"
	case HdrAcceptContact:
		return "Accept-Contact"
	case HdrRejectContact:
		return "Reject-Contact"
	case HdrRequestDisposition:
		return "Request-Disposition"
	case HdrCallInfo:
		return "Call-Info"
	case HdrAlertInfo:
		return "Alert-Info"
	case HdrErrorInfo:
		return "Error-Info"
	case HdrTimestamp:
		return "Timestamp"
	case HdrMIMEVersion:
		return "MIME-Version"
	case HdrReplyTo:
		return "Reply-To"
	case HdrInReplyTo:
		return "In-Reply-To"
	case HdrPriority:
		return "Priority"
	case HdrReplaces:
		return "Replaces"
	case HdrSIPETag:
		return "SIP-ETag"
	case HdrSIPIfMatch:
		return "SIP-If-Match"
	}
	return ""
}

// single reports the header types that may appear only once; a second one is
// ErrDuplicate (Kamailio's sip_parser_mode=1 set).
func (t HeaderType) single() bool {
	switch t {
	case HdrCallID, HdrCSeq, HdrFrom, HdrTo, HdrMaxForwards, HdrContentLength:
		return true
	}
	return false
}

// maxKnownName: no known header name is longer, so longer names are
// HdrOther at once.
const maxKnownName = 24

// LookupHeader maps a header name, in any case, long or compact form, to its
// type. Unknown names give HdrOther.
func LookupHeader(name []byte) HeaderType {
	n := len(name)
	if n == 0 || n > maxKnownName {
		return HdrOther
	}
	if n == 1 {
		switch lower(name[0]) {
		case 'v':
			return HdrVia
		case 'f':
			return HdrFrom
		case 't':
			return HdrTo
		case 'i':
			return HdrCallID
		case 'l':
			return HdrContentLength
		case 'c':
			return HdrContentType
		case 'm':
			return HdrContact
		case 'k':
			return HdrSupported
		case 's':
			return HdrSubject
		case 'o':
			return HdrEvent
		case 'u':
			return HdrAllowEvents
		case 'r':
			return HdrReferTo
		case 'b':
			return HdrReferredBy
		case 'e':
			return HdrContentEncoding
		case 'x':
			return HdrSessionExpires
		case 'y':
			return HdrIdentity
		case 'n':
			return HdrIdentityInfo
		case 'a':
			return HdrAcceptContact
		case 'j':
			return HdrRejectContact
		case 'd':
			return HdrRequestDisposition
		}
		return HdrOther
	}
	// Dispatch on length and first letter, then one case-insensitive
	// compare: no lowercase copy, no string switch.
	switch c := lower(name[0]); n {
	case 2:
		switch c {
		case 't':
			if foldEq(name, "to") {
				return HdrTo
			}
		}
	case 3:
		switch c {
		case 'v':
			if foldEq(name, "via") {
				return HdrVia
			}
		}
	case 4:
		switch c {
		case 'c':
			if foldEq(name, "cseq") {
				return HdrCSeq
			}
		case 'd':
			if foldEq(name, "date") {
				return HdrDate
			}
		case 'f':
			if foldEq(name, "from") {
				return HdrFrom
			}
		case 'p':
			if foldEq(name, "path") {
				return HdrPath
			}
		case 'r':
			if foldEq(name, "rseq") {
				return HdrRSeq
			}
			if foldEq(name, "rack") {
				return HdrRAck
			}
		}
	case 5:
		switch c {
		case 'a':
			if foldEq(name, "allow") {
				return HdrAllow
			}
		case 'e':
			if foldEq(name, "event") {
				return HdrEvent
			}
		case 'r':
			if foldEq(name, "route") {
				return HdrRoute
			}
		}
	case 6:
		switch c {
		case 'a':
			if foldEq(name, "accept") {
				return HdrAccept
			}
		case 'm':
			if foldEq(name, "min-se") {
				return HdrMinSE
			}
		case 'r':
			if foldEq(name, "reason") {
				return HdrReason
			}
		case 's':
			if foldEq(name, "server") {
				return HdrServer
			}
		}
	case 7:
		switch c {
		case 'c':
			if foldEq(name, "call-id") {
				return HdrCallID
			}
			if foldEq(name, "contact") {
				return HdrContact
			}
		case 'e':
			if foldEq(name, "expires") {
				return HdrExpires
			}
		case 'p':
			if foldEq(name, "privacy") {
				return HdrPrivacy
			}
		case 'r':
			if foldEq(name, "require") {
				return HdrRequire
			}
		case 's':
			if foldEq(name, "subject") {
				return HdrSubject
			}
		case 'w':
			if foldEq(name, "warning") {
				return HdrWarning
			}
		}
	case 8:
		switch c {
		case 'i':
			if foldEq(name, "identity") {
				return HdrIdentity
			}
		case 'p':
			if foldEq(name, "priority") {
				return HdrPriority
			}
		case 'r':
			if foldEq(name, "refer-to") {
				return HdrReferTo
			}
			if foldEq(name, "reply-to") {
				return HdrReplyTo
			}
			if foldEq(name, "replaces") {
				return HdrReplaces
			}
		case 's':
			if foldEq(name, "sip-etag") {
				return HdrSIPETag
			}
		}
	case 9:
		switch c {
		case 'c':
			if foldEq(name, "call-info") {
				return HdrCallInfo
			}
		case 'd':
			if foldEq(name, "diversion") {
				return HdrDiversion
			}
		case 's':
			if foldEq(name, "supported") {
				return HdrSupported
			}
		case 't':
			if foldEq(name, "timestamp") {
				return HdrTimestamp
			}
		}
	case 10:
		switch c {
		case 'a':
			if foldEq(name, "alert-info") {
				return HdrAlertInfo
			}
		case 'e':
			if foldEq(name, "error-info") {
				return HdrErrorInfo
			}
		case 'u':
			if foldEq(name, "user-agent") {
				return HdrUserAgent
			}
		}
	case 11:
		switch c {
		case 'i':
			if foldEq(name, "in-reply-to") {
				return HdrInReplyTo
			}
		case 'm':
			if foldEq(name, "min-expires") {
				return HdrMinExpires
			}
		case 'r':
			if foldEq(name, "referred-by") {
				return HdrReferredBy
			}
			if foldEq(name, "retry-after") {
				return HdrRetryAfter
			}
		case 'u':
			if foldEq(name, "unsupported") {
				return HdrUnsupported
			}
		}
	case 12:
		switch c {
		case 'a':
			if foldEq(name, "allow-events") {
				return HdrAllowEvents
			}
		case 'c':
			if foldEq(name, "content-type") {
				return HdrContentType
			}
		case 'm':
			if foldEq(name, "max-forwards") {
				return HdrMaxForwards
			}
			if foldEq(name, "mime-version") {
				return HdrMIMEVersion
			}
		case 'o':
			if foldEq(name, "organization") {
				return HdrOrganization
			}
		case 'r':
			if foldEq(name, "record-route") {
				return HdrRecordRoute
			}
		case 's':
			if foldEq(name, "sip-if-match") {
				return HdrSIPIfMatch
			}
		}
	case 13:
		switch c {
		case 'a':
			if foldEq(name, "authorization") {
				return HdrAuthorization
			}
		case 'i':
			if foldEq(name, "identity-info") {
				return HdrIdentityInfo
			}
		case 'p':
			if foldEq(name, "proxy-require") {
				return HdrProxyRequire
			}
		}
	case 14:
		switch c {
		case 'a':
			if foldEq(name, "accept-contact") {
				return HdrAcceptContact
			}
		case 'c':
			if foldEq(name, "content-length") {
				return HdrContentLength
			}
		case 'r':
			if foldEq(name, "reject-contact") {
				return HdrRejectContact
			}
		}
	case 15:
		switch c {
		case 'a':
			if foldEq(name, "accept-encoding") {
				return HdrAcceptEncoding
			}
			if foldEq(name, "accept-language") {
				return HdrAcceptLanguage
			}
		case 's':
			if foldEq(name, "session-expires") {
				return HdrSessionExpires
			}
		}
	case 16:
		switch c {
		case 'c':
			if foldEq(name, "content-encoding") {
				return HdrContentEncoding
			}
			if foldEq(name, "content-language") {
				return HdrContentLanguage
			}
		case 'w':
			if foldEq(name, "www-authenticate") {
				return HdrWWWAuthenticate
			}
		}
	case 18:
		switch c {
		case 'p':
			if foldEq(name, "proxy-authenticate") {
				return HdrProxyAuthenticate
			}
		case 's':
			if foldEq(name, "subscription-state") {
				return HdrSubscriptionState
			}
		}
	case 19:
		switch c {
		case 'a':
			if foldEq(name, "authentication-info") {
				return HdrAuthenticationInfo
			}
		case 'c':
			if foldEq(name, "content-disposition") {
				return HdrContentDisposition
			}
		case 'p':
			if foldEq(name, "proxy-authorization") {
				return HdrProxyAuthorization
			}
			if foldEq(name, "p-asserted-identity") {
				return HdrPAssertedIdentity
			}
		case 'r':
			if foldEq(name, "request-disposition") {
				return HdrRequestDisposition
			}
		}
	case 20:
		switch c {
		case 'p':
			if foldEq(name, "p-preferred-identity") {
				return HdrPPreferredIdentity
			}
		}
	}
	return HdrOther
}

// foldEq compares name with a lowercase candidate of the same length,
// ASCII case-insensitively, a word at a time with overlapping loads.
// Candidates hold only lowercase letters and '-': a letter position of the
// candidate accepts exactly its lower and upper case (the 0x20 bit is ORed
// into the name byte, mask taken from the candidate's 0x40 bit), any other
// position ('-') must match exactly. This is the same relation as
// lower(name[i]) == low[i].
func foldEq(name []byte, low string) bool {
	n := len(low)
	if len(name) != n {
		return false
	}
	switch {
	case n >= 8:
		for i := 0; i+8 < n; i += 8 {
			if !fold64(le64(name, i), le64s(low, i)) {
				return false
			}
		}
		return fold64(le64(name, n-8), le64s(low, n-8))
	case n >= 4:
		return fold64(uint64(le32(name, 0)), uint64(le32s(low, 0))) &&
			fold64(uint64(le32(name, n-4)), uint64(le32s(low, n-4)))
	case n >= 2:
		return fold64(uint64(name[0])|uint64(name[1])<<8, uint64(low[0])|uint64(low[1])<<8) &&
			fold64(uint64(name[n-2])|uint64(name[n-1])<<8, uint64(low[n-2])|uint64(low[n-1])<<8)
	case n == 1:
		return lower(name[0]) == low[0]
	}
	return true
}

func fold64(x, low uint64) bool {
	return x|(low&0x4040404040404040)>>1 == low
}

func le64(b []byte, i int) uint64 {
	b = b[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

func le64s(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func le32(b []byte, i int) uint32 {
	b = b[i : i+4]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func le32s(s string, i int) uint32 {
	s = s[i : i+4]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// Header is one header field of a parsed message. Name and Value are views
// into the received bytes: read-only, valid until the Message is Reset or
// parses another buffer.
type Header struct {
	Type  HeaderType
	Name  []byte // as received, e.g. "v", "vIa", "X-Custom"
	Value []byte // leading/trailing LWS trimmed; inner folding (CRLF SP) kept
	off   int32  // start of the header line
	end   int32  // end of the header line, after its CRLF
	voff  int32  // start of Value
}

// Method is a request method. Methods are case-sensitive (RFC 3261 §7.1), so
// "invite" is MethodOther.
type Method uint8

// Known methods.
const (
	MethodOther Method = iota
	MethodINVITE
	MethodACK
	MethodBYE
	MethodCANCEL
	MethodREGISTER
	MethodOPTIONS
	MethodINFO
	MethodUPDATE
	MethodPRACK
	MethodSUBSCRIBE
	MethodNOTIFY
	MethodPUBLISH
	MethodMESSAGE
	MethodREFER
)

// LookupMethod maps the method text to its constant.
func LookupMethod(b []byte) Method {
	switch string(b) {
	case "INVITE":
		return MethodINVITE
	case "ACK":
		return MethodACK
	case "BYE":
		return MethodBYE
	case "CANCEL":
		return MethodCANCEL
	case "REGISTER":
		return MethodREGISTER
	case "OPTIONS":
		return MethodOPTIONS
	case "INFO":
		return MethodINFO
	case "UPDATE":
		return MethodUPDATE
	case "PRACK":
		return MethodPRACK
	case "SUBSCRIBE":
		return MethodSUBSCRIBE
	case "NOTIFY":
		return MethodNOTIFY
	case "PUBLISH":
		return MethodPUBLISH
	case "MESSAGE":
		return MethodMESSAGE
	case "REFER":
		return MethodREFER
	}
	return MethodOther
}

// String returns the method name, "" for MethodOther.
func (m Method) String() string {
	switch m {
	case MethodINVITE:
		return "INVITE"
	case MethodACK:
		return "ACK"
	case MethodBYE:
		return "BYE"
	case MethodCANCEL:
		return "CANCEL"
	case MethodREGISTER:
		return "REGISTER"
	case MethodOPTIONS:
		return "OPTIONS"
	case MethodINFO:
		return "INFO"
	case MethodUPDATE:
		return "UPDATE"
	case MethodPRACK:
		return "PRACK"
	case MethodSUBSCRIBE:
		return "SUBSCRIBE"
	case MethodNOTIFY:
		return "NOTIFY"
	case MethodPUBLISH:
		return "PUBLISH"
	case MethodMESSAGE:
		return "MESSAGE"
	case MethodREFER:
		return "REFER"
	}
	return ""
}
