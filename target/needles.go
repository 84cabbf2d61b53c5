// needles.go holds the prefilter of the error-line patterns: the literal
// text every match of a pattern holds, so that a pattern whose literal is
// not in the pasted text is skipped without running it. A 60 KB traceback
// is read by some fifty patterns.

package target

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// pattern is a compiled pattern with its needles: a match holds one of
// them at least; nil when no literal is certain.
type pattern struct {
	*regexp.Regexp
	needles []string
}

// compile compiles expr with its needles.
func compile(expr string) pattern {
	re := regexp.MustCompile(expr)
	p := pattern{Regexp: re}
	if tree, err := syntax.Parse(expr, syntax.Perl); err == nil {
		p.needles = needlesOf(tree.Simplify())
		for _, n := range p.needles {
			if len(n) < 3 {
				p.needles = nil // too short to be worth a look
				break
			}
		}
	}
	return p
}

// absent reports whether s holds none of the needles: no match is
// possible.
func (p pattern) absent(s string) bool {
	if p.needles == nil {
		return false
	}
	for _, n := range p.needles {
		if strings.Contains(s, n) {
			return false
		}
	}
	return true
}

// find is FindStringSubmatch after the prefilter.
func (p pattern) find(s string) []string {
	if p.absent(s) {
		return nil
	}
	return p.FindStringSubmatch(s)
}

// needlesOf finds literals of which every match of re holds one: the
// longest literal of a concatenation, one of each branch of an
// alternation. nil when there is none.
func needlesOf(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil
		}
		return []string{string(re.Rune)}
	case syntax.OpCapture, syntax.OpPlus:
		return needlesOf(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return needlesOf(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []string
		for _, sub := range re.Sub {
			if n := needlesOf(sub); n != nil && shortest(n) > shortest(best) {
				best = n
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			n := needlesOf(sub)
			if n == nil {
				return nil
			}
			all = append(all, n...)
		}
		return all
	}
	return nil
}

// shortest is the length of the shortest needle, 0 for none.
func shortest(ns []string) int {
	if len(ns) == 0 {
		return 0
	}
	m := len(ns[0])
	for _, n := range ns[1:] {
		m = min(m, len(n))
	}
	return m
}
