package textops

import (
	"fmt"
	"strings"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/module"
)

func fixupInList(_ module.Host, args []module.FixedArg) error {
	a := &args[2]
	if !a.Const || len(a.Str) != 1 {
		return fmt.Errorf("the separator must be a constant string of one character, got %q", a.Str)
	}
	return nil
}

// execInList is in_list (an item equals the subject) and in_list_prefix
// (an item is a prefix of the subject).
func execInList(prefix bool) module.ExecFunc {
	return func(_ module.ExecContext, args module.Args) int {
		subject, list, sep := args.Str(0), args.Str(1), args.Str(2)
		if len(sep) != 1 {
			return -1
		}
		for list != "" {
			item, rest, found := strings.Cut(list, sep)
			if prefix && item != "" && strings.HasPrefix(subject, item) || !prefix && item == subject {
				return 1
			}
			if !found {
				break
			}
			list = rest
		}
		return -1
	}
}

// execCmpStr is cmp_str / cmp_istr: 1 when the strings are equal, -1 when
// the first sorts after the second, -2 when before.
func execCmpStr(fold bool) module.ExecFunc {
	return func(_ module.ExecContext, args module.Args) int {
		a, b := args.Str(0), args.Str(1)
		if fold {
			a, b = strings.ToLower(a), strings.ToLower(b)
		}
		return cmpRC(strings.Compare(a, b))
	}
}

// execStartsWith is starts_with: 1 when the first string starts with the
// second; otherwise -1 when its start sorts after the second (or is
// shorter), -2 when before.
func execStartsWith(_ module.ExecContext, args module.Args) int {
	s, p := args.Str(0), args.Str(1)
	if len(p) > len(s) {
		return -1
	}
	return cmpRC(strings.Compare(s[:len(p)], p))
}

// execEndsWith is ends_with, with starts_with's codes on the end.
func execEndsWith(_ module.ExecContext, args module.Args) int {
	s, p := args.Str(0), args.Str(1)
	if len(p) > len(s) {
		return -1
	}
	return cmpRC(strings.Compare(s[len(s)-len(p):], p))
}

// cmpRC turns a comparison into Kamailio's codes: 1 equal, -1 greater,
// -2 less.
func cmpRC(c int) int {
	switch {
	case c == 0:
		return 1
	case c > 0:
		return -1
	}
	return -2
}

// execStrFind is str_find / str_ifind: the position of the second string
// in the first plus one, -1 when absent.
func execStrFind(fold bool) module.ExecFunc {
	return func(_ module.ExecContext, args module.Args) int {
		text, needle := args.Str(0), args.Str(1)
		if needle == "" || len(needle) > len(text) {
			return -1
		}
		if fold {
			text, needle = strings.ToLower(text), strings.ToLower(needle)
		}
		k := strings.Index(text, needle)
		if k < 0 {
			return -1
		}
		return k + 1
	}
}

// ---- regex_substring ----

// regexSubstringFlags: Kamailio compiles regex_substring's regex with
// REG_EXTENDED only.
const regexSubstringFlags = 0

func fixupRegexSubstring(_ module.Host, args []module.FixedArg) error {
	if err := setDynRegex(&args[1], regexSubstringFlags); err != nil {
		return err
	}
	for _, i := range []int{2, 3} {
		a := &args[i]
		if a.Const && !a.IsInt {
			if _, ok := pv.StrToInt(strings.TrimSpace(a.Str)); !ok {
				return fmt.Errorf("parameter %d must be an integer, got %q", i+1, a.Str)
			}
		}
	}
	if args[4].PV == nil || !args[4].PV.Writable() {
		return fmt.Errorf("the last parameter must be a writable pseudo-variable")
	}
	return nil
}

// execRegexSubstring matches the regex on the text and stores group
// mindex of the first match (0 the whole match) in the variable; mcount
// is how many groups the caller expects, as regexec's nmatch.
func execRegexSubstring(ctx module.ExecContext, args module.Args) int {
	re := regexArg(ctx, args, 1)
	if re == nil {
		return -1
	}
	mindex, ok1 := args.Int(2)
	mcount, ok2 := args.Int(3)
	if !ok1 || !ok2 || mindex < 0 || mcount <= 0 || mindex >= mcount {
		errorf(ctx, "regex_substring: bad match index %q or count %q", args.Str(2), args.Str(3))
		return -1
	}
	text := args.Str(0)
	sub := re.FindStringSubmatchIndex(text)
	if sub == nil {
		return -2 // no match
	}
	if int(mindex) > re.NumSubexp() {
		return -1
	}
	a, b := sub[2*mindex], sub[2*mindex+1]
	if a < 0 || b < a {
		return -1
	}
	st := ctx.State()
	if err := args.Fixed[4].PV.Set(st, pv.Str(st.AppendString([]byte(text[a:b])))); err != nil {
		errorf(ctx, "regex_substring: cannot set %s: %v", args.Fixed[4].Str, err)
		return -1
	}
	return 1
}
