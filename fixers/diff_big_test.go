package fixers

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
)

// TestUnifiedAnchored: with the patience anchors on (for every size), the
// diff of random edits of random files still applies exactly.
func TestUnifiedAnchored(t *testing.T) {
	defer func(n int) { anchorMin = n }(anchorMin)
	rng := rand.New(rand.NewSource(8))
	words := []string{"account a\n", "host h\n", "port 25\n", "tls on\n", "\n", "x", "# c\r\n", "user u\n"}
	for _, min := range []int{0, 5000} {
		anchorMin = min
		for _, tc := range diffCases {
			checkUnified(t, []byte(tc.old), []byte(tc.new))
		}
		for range 300 {
			var old []string
			for i := range rng.Intn(200) {
				if rng.Intn(3) == 0 {
					old = append(old, fmt.Sprintf("unique %d\n", i))
				} else {
					old = append(old, words[rng.Intn(len(words))])
				}
			}
			nw := append([]string(nil), old...)
			for range rng.Intn(10) {
				i := rng.Intn(len(nw) + 1)
				switch rng.Intn(3) {
				case 0:
					nw = append(nw[:i], append([]string{words[rng.Intn(len(words))]}, nw[i:]...)...)
				case 1:
					if i < len(nw) {
						nw = append(nw[:i], nw[i+1:]...)
					}
				default:
					if i < len(nw) {
						nw[i] = fmt.Sprintf("changed %d\n", rng.Intn(5))
					}
				}
			}
			checkUnified(t, []byte(strings.Join(old, "")), []byte(strings.Join(nw, "")))
		}
	}
}

func checkUnified(t *testing.T, old, new []byte) {
	t.Helper()
	d := Unified("a/f", "b/f", old, new)
	got, err := applyUnified(old, d)
	if err != nil || !bytes.Equal(got, new) {
		t.Fatalf("diff does not apply (%v):\nold %q\nnew %q\ndiff:\n%s", err, old, new, d)
	}
}

// TestUnifiedManyChanges: a fix in each of 20,000 accounts (160,000
// lines) is diffed in bounded time, line by line (Myers alone takes lines
// × changes: minutes).
func TestUnifiedManyChanges(t *testing.T) {
	var old, new strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&old, "account a%d\nhost smtp.gmail.com\nport 25\nauth on\nuser u%d\npassword p\nfrom u%d@gmail.com\n\n", i, i, i)
		fmt.Fprintf(&new, "account a%d\nhost smtp.gmail.com\nport 587\ntls on\nauth on\nuser u%d\npassword p\nfrom u%d@gmail.com\n\n", i, i, i)
	}
	start := time.Now()
	d := Unified("a/f", "b/f", []byte(old.String()), []byte(new.String()))
	took := time.Since(start)
	if took > 20*time.Second {
		t.Errorf("diff took %v", took)
	}
	if n := strings.Count(d, "\n+tls on\n"); n != 20000 {
		t.Errorf("the diff holds %d insertions of tls on, want 20000 (a coarse diff?)", n)
	}
	checkUnified(t, []byte(old.String()), []byte(new.String()))
	t.Logf("%v for %d bytes of diff", took, len(d))
}
