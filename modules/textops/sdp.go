package textops

import (
	"bytes"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/module"
)

// bytesValue copies b into the state's arena as a string value.
func bytesValue(st *pv.State, b []byte) pv.Value {
	return pv.Str(st.AppendString(b))
}

// Hold types is_audio_on_hold returns.
const (
	holdRFC2543 = 1 // connection address 0.0.0.0
	holdRFC3264 = 2 // a=inactive or a=sendonly
)

// execIsAudioOnHold looks at the SDP body: an audio stream whose
// connection address is 0.0.0.0 (RFC 2543) or whose direction, at media
// or session level, is sendonly or inactive (RFC 3264) is on hold.
func execIsAudioOnHold(ctx module.ExecContext, _ module.Args) int {
	_, m := message(ctx)
	if m == nil || !hasBody(m) {
		return -1
	}
	if ct := mimeType(m.ContentType()); ct != "" && ct != "application/sdp" {
		return -1
	}
	return audioHold(m.Body())
}

// audioHold returns the hold type of the first audio stream on hold, -1
// when none is.
func audioHold(sdp []byte) int {
	var sessNull, sessHold bool
	inMedia, audio := false, false
	var mediaNull, mediaHold, mediaHasC bool
	check := func() int {
		if !inMedia || !audio {
			return 0
		}
		if mediaNull || !mediaHasC && sessNull {
			return holdRFC2543
		}
		if mediaHold || sessHold {
			return holdRFC3264
		}
		return 0
	}
	for len(sdp) > 0 {
		line := sdp
		if k := bytes.IndexByte(sdp, '\n'); k >= 0 {
			line, sdp = sdp[:k], sdp[k+1:]
		} else {
			sdp = nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(line) < 2 || line[1] != '=' {
			continue
		}
		val := line[2:]
		switch line[0] {
		case 'm':
			if r := check(); r > 0 {
				return r
			}
			inMedia, audio = true, bytes.HasPrefix(val, []byte("audio "))
			mediaNull, mediaHold, mediaHasC = false, false, false
		case 'c':
			null := bytes.HasSuffix(bytes.TrimSpace(val), []byte(" 0.0.0.0"))
			if inMedia {
				mediaNull, mediaHasC = null, true
			} else {
				sessNull = null
			}
		case 'a':
			hold := bytes.Equal(val, []byte("sendonly")) || bytes.Equal(val, []byte("inactive"))
			if inMedia {
				mediaHold = mediaHold || hold
			} else {
				sessHold = sessHold || hold
			}
		}
	}
	if r := check(); r > 0 {
		return r
	}
	return -1
}
