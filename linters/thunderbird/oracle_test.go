package thunderbird

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The oracle evaluates prefs files as JavaScript in node: user_pref, pref,
// sticky_pref and lockPref record what they are called with, and a second
// part reads the servers the way Thunderbird's getters do
// (SmtpServer.sys.mjs, nsMsgIncomingServer.cpp), independently of the Go
// model. libpref's "#" comments are not JavaScript: jsSource turns each one
// that libpref's tokenizer sees (outside strings and other comments, at any
// column) into a "//" comment, which is exactly where libpref ends it too.
const oracleJS = `
const fs = require('fs');
const vm = require('vm');

// evaluate runs the files of one profile (prefs.js first) in a fresh context.
function evaluate(files) {
  const user = {}, def = {}, locked = {};
  const rec = m => function (name, value) {
    if (arguments.length !== 2) throw new Error('arity ' + arguments.length);
    m[name] = value;
  };
  const ctx = vm.createContext({
    user_pref: rec(user), pref: rec(def), sticky_pref: rec(def),
    lockPref: function (name, value) { def[name] = value; locked[name] = true; },
  });
  for (const f of files) vm.runInContext(fs.readFileSync(f, 'utf8'), ctx, { filename: f });

  const prefs = {};
  for (const k of new Set([...Object.keys(user), ...Object.keys(def)])) {
    prefs[k] = (locked[k] || !(k in user)) ? def[k] : user[k];
  }
  const has = k => k in prefs;
  const getInt = (k, d) => (has(k) && typeof prefs[k] === 'number') ? prefs[k] : d;
  const getStr = (k, d) => (has(k) && typeof prefs[k] === 'string') ? prefs[k] : d;
  const keys = fam => [...new Set(Object.keys(prefs).filter(k => k.startsWith(fam))
    .map(k => k.slice(fam.length).split('.')[0]))].filter(k => k !== 'default');

  // SmtpServer.sys.mjs: hostname, port and username have no fallback;
  // try_ssl falls back to mail.smtpserver.default; port 0 means 465 or 587.
  const smtp = {};
  for (const k of keys('mail.smtpserver.')) {
    const b = 'mail.smtpserver.' + k + '.', d = 'mail.smtpserver.default.';
    const sock = getInt(b + 'try_ssl', getInt(d + 'try_ssl', 0));
    const port = getInt(b + 'port', 0);
    smtp[k] = { hostname: getStr(b + 'hostname', ''), socketType: sock,
      port: port || (sock === 3 ? 465 : 587), rawPortType: has(b + 'port') ? typeof prefs[b + 'port'] : 'absent',
      username: getStr(b + 'username', '') };
  }
  // nsMsgIncomingServer: everything falls back to mail.server.default;
  // isSecure=true means socketType 3; port -1 means 993 or 143.
  const imap = {};
  for (const k of keys('mail.server.')) {
    const b = 'mail.server.' + k + '.', d = 'mail.server.default.';
    let sock = getInt(b + 'socketType', undefined);
    if (sock === undefined) sock = prefs[b + 'isSecure'] === true ? 3 : getInt(d + 'socketType', 0);
    const port = getInt(b + 'port', getInt(d + 'port', -1));
    imap[k] = { hostname: getStr(b + 'hostname', getStr(d + 'hostname', '')), socketType: sock,
      port: port === -1 ? (sock === 3 ? 993 : 143) : port,
      rawPortType: has(b + 'port') ? typeof prefs[b + 'port'] : 'absent',
      userName: getStr(b + 'userName', getStr(d + 'userName', '')) };
  }
  const out = {};
  for (const k of Object.keys(prefs)) out[k] = { type: typeof prefs[k], value: prefs[k] };
  return { prefs: out, smtp, imap };
}

const sets = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const results = sets.map(files => {
  try { return evaluate(files); } catch (e) { return { error: String(e) }; }
});
process.stdout.write(JSON.stringify(results));
`

type oraclePref struct {
	Type  string          `json:"type"`
	Value json.RawMessage `json:"value"`
}

type oracleServer struct {
	Hostname    string `json:"hostname"`
	SocketType  any    `json:"socketType"`
	Port        any    `json:"port"`
	RawPortType string `json:"rawPortType"`
	Username    string `json:"username"`
	UserName    string `json:"userName"`
}

type oracleOut struct {
	Prefs map[string]oraclePref   `json:"prefs"`
	SMTP  map[string]oracleServer `json:"smtp"`
	IMAP  map[string]oracleServer `json:"imap"`
	Error string                  `json:"error"`
}

// jsSource returns the file as JavaScript: libpref's "#" comments become
// "//" comments.
func jsSource(f *File) string {
	var b strings.Builder
	for i, t := range f.Tokens {
		text := f.Text(i)
		if t.Kind == TokComment && strings.HasPrefix(text, "#") {
			b.WriteString("//" + text[1:])
			continue
		}
		b.WriteString(text)
	}
	return b.String()
}

func nodeOrSkip(t *testing.T) string {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("MAILLINT_REQUIRE_ORACLES") == "1" {
			t.Fatal("node is required (MAILLINT_REQUIRE_ORACLES=1)")
		}
		t.Skip("node not installed")
	}
	return node
}

// runOracle evaluates each set of files (prefs.js first) in node, in one
// node process.
func runOracle(t *testing.T, node string, sets [][]*File) []oracleOut {
	t.Helper()
	dir := t.TempDir()
	harness := filepath.Join(dir, "harness.js")
	if err := os.WriteFile(harness, []byte(oracleJS), 0o600); err != nil {
		t.Fatal(err)
	}
	var list [][]string
	for i, files := range sets {
		var paths []string
		for j, f := range files {
			p := filepath.Join(dir, fmt.Sprintf("%d-%d.js", i, j))
			if err := os.WriteFile(p, []byte(jsSource(f)), 0o600); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
		list = append(list, paths)
	}
	setsFile := filepath.Join(dir, "sets.json")
	b, _ := json.Marshal(list)
	if err := os.WriteFile(setsFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, harness, setsFile).Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("node: %v\n%s", err, msg)
	}
	var o []oracleOut
	if err := json.Unmarshal(out, &o); err != nil || len(o) != len(sets) {
		t.Fatalf("node output (%v):\n%s", err, out)
	}
	return o
}

// oracleSets lists the file sets to check: each golden case's profile as
// fixed (the .fixed.golden when there is one) and as written, and the corpus.
func oracleSets(t *testing.T) map[string][]string {
	sets := map[string][]string{}
	filepath.Walk("../../testdata/thunderbird", func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || filepath.Base(p) != "prefs.js" {
			return nil
		}
		fixed := func(q string) string {
			if _, err := os.Stat(q + ".fixed.golden"); err == nil {
				return q + ".fixed.golden"
			}
			return q
		}
		var orig, fx []string
		for _, q := range []string{p, filepath.Join(filepath.Dir(p), "user.js")} {
			if _, err := os.Stat(q); err == nil {
				orig, fx = append(orig, q), append(fx, fixed(q))
			}
		}
		sets["fixed "+p] = fx
		sets["input "+p] = orig
		return nil
	})
	for _, p := range corpusFiles(t) {
		sets["corpus "+p] = []string{p}
	}
	return sets
}

func TestOracleNode(t *testing.T) {
	node := nodeOrSkip(t)
	sets := oracleSets(t)
	names := make([]string, 0, len(sets))
	for k := range sets {
		names = append(names, k)
	}
	sort.Strings(names)
	type item struct {
		name  string
		files []*File
		skip  string
	}
	var items []item
	var toRun [][]*File
	for _, name := range names {
		it := item{name: name}
		for _, p := range sets[name] {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			f := Parse(strings.TrimSuffix(p, ".fixed.golden"), src)
			if len(f.Problems) > 0 {
				if strings.HasPrefix(name, "fixed ") {
					t.Errorf("%s: the fixed file does not parse: %+v", p, f.Problems)
				}
				it.skip = p + " has parse errors; JavaScript would read it differently"
			}
			it.files = append(it.files, f)
		}
		if it.skip == "" {
			toRun = append(toRun, it.files)
		}
		items = append(items, it)
	}
	results := runOracle(t, node, toRun)
	checked, modelChecked := 0, 0
	for _, it := range items {
		if it.skip != "" {
			t.Logf("%s: skipped: %s", it.name, it.skip)
			continue
		}
		o := results[checked]
		checked++
		t.Run(it.name, func(t *testing.T) {
			if o.Error != "" {
				t.Fatalf("node: %s", o.Error)
			}
			prof := resolve(func(string) bool { return true }, it.files...)

			// 1. Every pref: same names, types and values.
			if len(o.Prefs) != len(prof.names) {
				t.Errorf("node sees %d prefs, the parser %d", len(o.Prefs), len(prof.names))
			}
			for _, n := range prof.names {
				v := prof.Effective(n).Pref.Value
				op, ok := o.Prefs[n]
				if !ok {
					t.Errorf("node does not see %s", n)
					continue
				}
				if !sameValue(v, op) {
					t.Errorf("%s: parser %+v, node %s %s", n, v, op.Type, op.Value)
				}
			}

			// 2. The model: what Thunderbird's getters read, as node computes it.
			doc, servers := document(prof, nil)
			for _, d := range doc.Diagnostics {
				if d.Rule == "syntax" || d.Rule == "unknown-key" {
					// The model then reads what the user meant, which
					// Thunderbird does not: compared only once fixed.
					if strings.HasPrefix(it.name, "fixed ") {
						t.Errorf("fixed file still has %s: %s", d.Rule, d.Message)
					}
					return
				}
			}
			for _, s := range servers {
				modelChecked++
				ep := s.Endpoint
				want, ok := o.SMTP[s.Key]
				user := want.Username
				if s.Family == famServer {
					want, ok = o.IMAP[s.Key]
					user = want.UserName
				}
				if !ok {
					t.Errorf("node has no server %s%s", s.Family, s.Key)
					continue
				}
				if ep.Host.Val != want.Hostname {
					t.Errorf("%s%s: host %q, node %q", s.Family, s.Key, ep.Host.Val, want.Hostname)
				}
				port, isNum := want.Port.(float64)
				if !isNum || port != math.Trunc(port) || int(port) != ep.Port.Val {
					t.Errorf("%s%s: port %d, node %#v", s.Family, s.Key, ep.Port.Val, want.Port)
				}
				if ep.Port.Set && want.RawPortType != "number" {
					t.Errorf("%s%s: port is set, but node reads it as %s", s.Family, s.Key, want.RawPortType)
				}
				sock, isNum := want.SocketType.(float64)
				if !isNum || securityOf(int64(sock)) != ep.Security.Val {
					t.Errorf("%s%s: security %v, node socketType %#v", s.Family, s.Key, ep.Security.Val, want.SocketType)
				}
				if ep.User.Val != user {
					t.Errorf("%s%s: user %q, node %q", s.Family, s.Key, ep.User.Val, user)
				}
			}
		})
	}
	t.Logf("node agreed on %d file sets and %d modelled servers", checked, modelChecked)
	if modelChecked == 0 {
		t.Error("no server was compared")
	}
}

func sameValue(v Value, op oraclePref) bool {
	switch v.Type {
	case TypeInt:
		var n float64
		return op.Type == "number" && json.Unmarshal(op.Value, &n) == nil && n == float64(v.Int)
	case TypeBool:
		var b bool
		return op.Type == "boolean" && json.Unmarshal(op.Value, &b) == nil && b == v.Bool
	}
	var s string
	return op.Type == "string" && json.Unmarshal(op.Value, &s) == nil && s == v.Str
}

// TestOracleHashComments checks the "#" translation where it matters: after
// a statement, inside strings (not a comment) and inside /* */.
func TestOracleHashComments(t *testing.T) {
	node := nodeOrSkip(t)
	src := "# first\nuser_pref(\"a\", \"x # not a comment\"); # trailing\n/* # in block */ user_pref(\"b\", 2); // c\n  #indented\r\nuser_pref(\"c\", true);#end"
	f := Parse("prefs.js", []byte(src))
	if len(f.Problems) > 0 {
		t.Fatal(f.Problems)
	}
	o := runOracle(t, node, [][]*File{{f}})[0]
	if len(o.Prefs) != 3 || string(o.Prefs["a"].Value) != `"x # not a comment"` || string(o.Prefs["b"].Value) != "2" || string(o.Prefs["c"].Value) != "true" {
		t.Errorf("node read %+v", o.Prefs)
	}
}
