package secrets

// keywordMatcher finds every occurrence of a set of keywords in one pass,
// ignoring ASCII case. It is an Aho–Corasick automaton compiled to a
// deterministic table over byte classes. Bytes that occur in no keyword
// share one class, so the table stays small enough for the CPU cache. The
// scan costs one table lookup per input byte, whatever the number of
// keywords.
type keywordMatcher struct {
	class   [256]uint8
	nclass  int
	delta   []int32   // delta[state*nclass+class], see newKeywordMatcher
	outputs [][]int32 // keyword indexes that end in each state
}

func newKeywordMatcher(keywords []string) *keywordMatcher {
	m := &keywordMatcher{}
	m.buildClasses(keywords)

	// Build the trie with goto edges; -1 means no edge yet.
	type node struct {
		next []int32
		fail int32
		out  []int32
	}
	newNode := func() node {
		n := node{next: make([]int32, m.nclass)}
		for i := range n.next {
			n.next[i] = -1
		}
		return n
	}
	nodes := []node{newNode()}
	for k, kw := range keywords {
		s := int32(0)
		for i := 0; i < len(kw); i++ {
			c := m.class[kw[i]]
			if nodes[s].next[c] < 0 {
				nodes = append(nodes, newNode())
				nodes[s].next[c] = int32(len(nodes) - 1)
			}
			s = nodes[s].next[c]
		}
		nodes[s].out = append(nodes[s].out, int32(k))
	}

	// Breadth-first, fill the missing edges from the failure links so the
	// automaton becomes a DFA, and merge the outputs along them.
	queue := make([]int32, 0, len(nodes))
	for c := range m.nclass {
		if t := nodes[0].next[c]; t < 0 {
			nodes[0].next[c] = 0
		} else {
			nodes[t].fail = 0
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := nodes[s].fail
		nodes[s].out = append(nodes[s].out, nodes[f].out...)
		for c := range m.nclass {
			t := nodes[s].next[c]
			if t < 0 {
				nodes[s].next[c] = nodes[f].next[c]
				continue
			}
			nodes[t].fail = nodes[f].next[c]
			queue = append(queue, t)
		}
	}

	// The table stores each next state premultiplied by nclass, so the
	// scan needs no multiplication, and negated when the state ends a
	// keyword, so one sign test finds matches. State 0, the root, never
	// ends a keyword.
	m.delta = make([]int32, len(nodes)*m.nclass)
	m.outputs = make([][]int32, len(nodes))
	for s, n := range nodes {
		for c, t := range n.next {
			v := t * int32(m.nclass)
			if len(nodes[t].out) > 0 {
				v = -v
			}
			m.delta[s*m.nclass+c] = v
		}
		m.outputs[s] = n.out
	}
	return m
}

// buildClasses gives each distinct lower-case keyword byte its own class,
// upper-case letters the class of their lower-case form, and every other
// byte class 0.
func (m *keywordMatcher) buildClasses(keywords []string) {
	next := uint8(1)
	for _, kw := range keywords {
		for i := 0; i < len(kw); i++ {
			b := kw[i]
			if m.class[b] == 0 {
				m.class[b] = next
				next++
			}
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		m.class[b] = m.class[b+'a'-'A']
	}
	m.nclass = int(next)
}

// scan calls hit with the keyword index and the offset just past its end
// for every occurrence in data.
func (m *keywordMatcher) scan(data []byte, hit func(keyword int, end int)) {
	delta, class := m.delta, &m.class
	s := int32(0)
	for i, b := range data {
		s = delta[s+int32(class[b])]
		if s < 0 {
			s = -s
			for _, k := range m.outputs[int(s)/m.nclass] {
				hit(int(k), i+1)
			}
		}
	}
}
