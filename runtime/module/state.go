package module

import "fmt"

// HostState returns the state of module name (what its New made) as T,
// through the host a parameter's Apply, a fixup or a lifecycle hook gets.
func HostState[T any](host Host, name string) (T, bool) {
	var zero T
	if host == nil {
		return zero, false
	}
	v, ok := host.Module(name)
	if !ok {
		return zero, false
	}
	s, ok := v.(T)
	return s, ok
}

// ParamState is HostState for a parameter's Apply: a missing state is an
// internal error, reported as such.
func ParamState[T any](host Host, name string) (T, error) {
	s, ok := HostState[T](host, name)
	if !ok {
		return s, fmt.Errorf("%s: no module state (internal error)", name)
	}
	return s, nil
}

// RunState returns the state of module name as T while a route runs,
// through the running server: for functions without arguments, whose fixup
// has nothing to carry the state in. It fails when no server runs.
func RunState[T any](ctx ExecContext, name string) (T, bool) {
	var zero T
	core := ctx.Core()
	if core == nil {
		return zero, false
	}
	v, ok := core.Module(name)
	if !ok {
		return zero, false
	}
	s, ok := v.(T)
	return s, ok
}
