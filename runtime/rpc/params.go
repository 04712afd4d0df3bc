package rpc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// StringParam returns parameter i as a string. A number is taken as its
// decimal text, because `kamgo rpc` (like kamcmd) sends an argument that
// looks like a number as one. A missing or other parameter is a code 400
// *Error.
func StringParam(params []any, i int) (string, error) {
	if i < 0 || i >= len(params) {
		return "", missingParam(i)
	}
	switch v := params[i].(type) {
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case int:
		return strconv.Itoa(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	}
	return "", paramTypeError(i, "string", params[i])
}

// IntParam returns parameter i as an int. An integral number and a string
// holding a decimal integer (`s:5`, or a client that quotes everything) are
// accepted; anything else, or a missing parameter, is a code 400 *Error.
func IntParam(params []any, i int) (int, error) {
	if i < 0 || i >= len(params) {
		return 0, missingParam(i)
	}
	switch v := params[i].(type) {
	case int:
		return v, nil
	case int64:
		if v >= math.MinInt && v <= math.MaxInt {
			return int(v), nil
		}
	case float64:
		if v == math.Trunc(v) && v >= math.MinInt && v < math.MaxInt {
			return int(v), nil
		}
	case json.Number:
		if n, err := strconv.Atoi(v.String()); err == nil {
			return n, nil
		}
	case string:
		if n, err := strconv.Atoi(v); err == nil {
			return n, nil
		}
	}
	return 0, paramTypeError(i, "integer", params[i])
}

func missingParam(i int) *Error {
	return &Error{Code: CodeInvalidParams, Message: fmt.Sprintf("error at parameter %d: parameter missing", i)}
}

func paramTypeError(i int, want string, got any) *Error {
	return &Error{Code: CodeInvalidParams, Message: fmt.Sprintf("error at parameter %d: expected %s, got %s", i, want, describe(got))}
}

// describe names a decoded JSON value's kind for an error message.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(v)
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// Member is one named value of an Object.
type Member struct {
	Name  string
	Value any
}

// Object is a JSON object whose members keep the order they are given in,
// the way Kamailio's RPC structs print (a Go map's keys come out sorted).
type Object []Member

// MarshalJSON encodes the members in order.
func (o Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		name, err := json.Marshal(m.Name)
		if err != nil {
			return nil, fmt.Errorf("rpc object member name: %w", err)
		}
		value, err := json.Marshal(m.Value)
		if err != nil {
			return nil, fmt.Errorf("rpc object member %q: %w", m.Name, err)
		}
		b.Write(name)
		b.WriteByte(':')
		b.Write(value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
