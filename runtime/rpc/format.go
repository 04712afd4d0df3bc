package rpc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Format prints a result the way kamcmd prints Kamailio's replies: a scalar
// on one line (strings without quotes), an object as a "{" … "}" block with
// one tab-indented "key: value" line per member, nested objects and arrays
// indented one more tab. A top-level array prints its elements one after
// another (each scalar on its line, each object as its block), like a
// multi-value binrpc reply; a null result prints nothing. Member order is
// kept as the server sent it.
func Format(w io.Writer, result json.RawMessage) error {
	// Valid bounds the nesting depth, which bounds the recursion below.
	if !json.Valid(result) {
		return errors.New("rpc: format: result is not valid JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(result))
	dec.UseNumber()
	bw := bufio.NewWriter(w)
	f := formatter{dec: dec, w: bw}
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("rpc: format: %w", err)
	}
	switch tok {
	case nil:
		// A method with nothing to say, like kamcmd printing nothing.
	case json.Delim('['):
		for dec.More() {
			elem, err := dec.Token()
			if err != nil {
				return fmt.Errorf("rpc: format: %w", err)
			}
			if err := f.value(0, elem); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return fmt.Errorf("rpc: format: %w", err)
		}
	default:
		if err := f.value(0, tok); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("rpc: format: %w", err)
	}
	return nil
}

type formatter struct {
	dec *json.Decoder
	w   *bufio.Writer
}

// value writes the value that starts with tok, at the current position
// (a fresh line, or after "key: "), and ends the line. depth is the
// indentation of the line the value starts on.
func (f *formatter) value(depth int, tok json.Token) error {
	switch t := tok.(type) {
	case json.Delim:
		open, closing := "{\n", "}\n"
		if t == '[' {
			open, closing = "[\n", "]\n"
		}
		f.w.WriteString(open)
		for f.dec.More() {
			f.indent(depth + 1)
			if t == '{' {
				key, err := f.dec.Token()
				if err != nil {
					return fmt.Errorf("rpc: format: %w", err)
				}
				fmt.Fprintf(f.w, "%v: ", key)
			}
			next, err := f.dec.Token()
			if err != nil {
				return fmt.Errorf("rpc: format: %w", err)
			}
			if err := f.value(depth+1, next); err != nil {
				return err
			}
		}
		if _, err := f.dec.Token(); err != nil { // the closing delimiter
			return fmt.Errorf("rpc: format: %w", err)
		}
		f.indent(depth)
		f.w.WriteString(closing)
	case nil:
		f.w.WriteString("null\n")
	default:
		// string, json.Number and bool print as their text.
		fmt.Fprintf(f.w, "%v\n", t)
	}
	return nil
}

func (f *formatter) indent(depth int) {
	f.w.WriteString(strings.Repeat("\t", depth))
}
