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
	delta   []uint16  // delta[state*nclass+class], see newKeywordMatcher
	outputs [][]int32 // keyword indexes that end in each state
	// firstFinal is the premultiplied number of the first state that ends
	// a keyword; every state from it on does.
	firstFinal int
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

	// Renumber the states: non-final states first in breadth-first order,
	// so the shallow states that most bytes visit share a few cache lines,
	// then the final states, so one comparison finds matches. The table
	// stores each next state premultiplied by nclass as a uint16, which
	// halves its size. newKeywordMatcher panics if the keywords need more
	// states than that allows.
	order := make([]int32, 0, len(nodes))
	for _, final := range []bool{false, true} {
		bfs := []int32{0}
		seen := make([]bool, len(nodes))
		seen[0] = true
		for len(bfs) > 0 {
			s := bfs[0]
			bfs = bfs[1:]
			if (len(nodes[s].out) > 0) == final {
				order = append(order, s)
			}
			for _, t := range nodes[s].next {
				if !seen[t] {
					seen[t] = true
					bfs = append(bfs, t)
				}
			}
		}
	}
	renum := make([]int, len(nodes))
	for i, s := range order {
		renum[s] = i
	}
	if len(nodes)*m.nclass > 1<<16 {
		panic("secrets: too many keyword states for the 16-bit table")
	}
	m.delta = make([]uint16, len(nodes)*m.nclass)
	m.outputs = make([][]int32, len(nodes))
	m.firstFinal = len(nodes) * m.nclass
	for old, n := range nodes {
		row := renum[old] * m.nclass
		for c, t := range n.next {
			m.delta[row+c] = uint16(renum[t] * m.nclass)
		}
		m.outputs[renum[old]] = n.out
		if len(n.out) > 0 {
			m.firstFinal = min(m.firstFinal, row)
		}
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
	delta, class, final := m.delta, &m.class, m.firstFinal
	s := 0
	for i, b := range data {
		s = int(delta[s+int(class[b])])
		if s >= final {
			for _, k := range m.outputs[s/m.nclass] {
				hit(int(k), i+1)
			}
		}
	}
}
