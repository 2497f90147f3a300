package main

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/maillint/maillint/linters"
	"github.com/spf13/afero"
)

// informationURI is maillint's home page, named in SARIF output.
const informationURI = "https://github.com/maillint/maillint"

// srcRoot is the uriBaseId of repository-relative paths: the working
// directory, which is the checkout's root in CI.
const srcRoot = "%SRCROOT%"

// SARIF 2.1.0, the subset maillint writes; field names follow the spec.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                   `json:"tool"`
		Invocations        []sarifInvocation           `json:"invocations"`
		OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
		ColumnKind         string                      `json:"columnKind"`
		Results            []sarifResult               `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string         `json:"id"`
		ShortDescription     sarifText      `json:"shortDescription"`
		FullDescription      sarifText      `json:"fullDescription"`
		Help                 sarifHelp      `json:"help"`
		HelpURI              string         `json:"helpUri"`
		DefaultConfiguration sarifRuleLevel `json:"defaultConfiguration"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifHelp struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	}
	sarifRuleLevel struct {
		Level string `json:"level"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex *int            `json:"ruleIndex,omitempty"`
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations"`
		Fixes     []sarifFix      `json:"fixes,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
		Region           *sarifRegion     `json:"region,omitempty"`
	}
	sarifArtifactLoc struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int  `json:"startLine,omitempty"`
		StartColumn int  `json:"startColumn,omitempty"`
		EndLine     int  `json:"endLine,omitempty"`
		EndColumn   int  `json:"endColumn,omitempty"`
		CharOffset  *int `json:"charOffset,omitempty"`
		CharLength  *int `json:"charLength,omitempty"`
	}
	sarifFix struct {
		Description     sarifText             `json:"description"`
		ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	}
	sarifArtifactChange struct {
		ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
		Replacements     []sarifReplacement `json:"replacements"`
	}
	sarifReplacement struct {
		DeletedRegion   sarifRegion `json:"deletedRegion"`
		InsertedContent *sarifText  `json:"insertedContent,omitempty"`
	}
)

func sarifLevel(s linters.Severity) string {
	switch s {
	case linters.Error:
		return "error"
	case linters.Warning:
		return "warning"
	}
	return "note"
}

// printSARIF prints a SARIF 2.1.0 log as GitHub code scanning accepts it:
// every rule with its documentation, every finding with a
// repository-relative location (columns in Unicode code points) and, for
// safe fixes, the replacements.
func (r *report) printSARIF(w io.Writer, all []linters.Finding, docs map[string]*linters.SourceFile) {
	cfg := r.opts.fleet.cfg
	run := sarifRun{
		Tool:       sarifTool{Driver: sarifDriver{Name: "maillint", Version: version, InformationURI: informationURI}},
		ColumnKind: "unicodeCodePoints",
		Results:    []sarifResult{},
	}
	index := map[string]int{}
	for i, rule := range linters.All() {
		index[rule.ID] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(rule, cfg.ruleSeverity(rule)))
	}
	if wd := r.cmd.wd(); wd != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{srcRoot: {URI: fileURI(wd) + "/"}}
	}
	for _, f := range all {
		res := sarifResult{RuleID: f.Rule, Level: sarifLevel(f.Severity), Message: sarifText{f.Message}}
		if i, ok := index[f.Rule]; ok {
			res.RuleIndex = &i
		}
		sf := docs[f.At.Path]
		line := max(f.At.Start.Line, 1)
		reg := &sarifRegion{StartLine: line, StartColumn: r.cpCol(sf, line, f.At.Start.Col)}
		if f.At.End.Line >= line {
			reg.EndLine, reg.EndColumn = f.At.End.Line, r.cpCol(sf, f.At.End.Line, f.At.End.Col)
		} else {
			reg.EndLine, reg.EndColumn = line, reg.StartColumn
		}
		res.Locations = []sarifLocation{{sarifPhysical{ArtifactLocation: r.sarifArtifact(f.At.Path), Region: reg}}}
		if f.Fix != nil && f.Fix.Applicability == linters.Safe && len(f.Fix.Edits) > 0 && !insertsSecret(f.Fix, docs) {
			res.Fixes = []sarifFix{r.sarifFixOf(f.Fix, docs)}
		}
		run.Results = append(run.Results, res)
	}
	inv := sarifInvocation{ExecutionSuccessful: len(r.errs) == 0}
	for _, e := range r.errs {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, r.sarifNotification("error", e))
	}
	for _, n := range r.notices {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, r.sarifNotification("note", n))
	}
	run.Invocations = []sarifInvocation{inv}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(log)
}

func (r *report) sarifNotification(level string, e jsonError) sarifNotification {
	n := sarifNotification{Level: level, Message: sarifText{e.Message}}
	if e.Path != "" {
		n.Locations = []sarifLocation{{sarifPhysical{ArtifactLocation: r.sarifArtifact(e.Path)}}}
	}
	return n
}

// sarifRuleOf describes a rule; GitHub shows fullDescription and help on
// the alert page and limits descriptions to 1024 characters.
func sarifRuleOf(rule *linters.Rule, sev linters.Severity) sarifRule {
	doc := unwrap(rule.Doc)
	text, md := doc, doc
	for _, ex := range rule.Examples {
		text += "\n\nBad (" + ex.Format + "):\n" + indent(ex.Bad) + "Good (" + ex.Format + "):\n" + indent(ex.Good)
		md += "\n\nBad (" + ex.Format + "):\n\n```\n" + ex.Bad + "```\n\nGood (" + ex.Format + "):\n\n```\n" + ex.Good + "```"
	}
	return sarifRule{
		ID:                   rule.ID,
		ShortDescription:     sarifText{truncate(rule.Summary, 1024)},
		FullDescription:      sarifText{truncate(doc, 1024)},
		Help:                 sarifHelp{Text: text, Markdown: md},
		HelpURI:              informationURI + "#rules",
		DefaultConfiguration: sarifRuleLevel{sarifLevel(sev)},
	}
}

// unwrap joins the hard-wrapped lines of each paragraph of s.
func unwrap(s string) string {
	paras := strings.Split(strings.TrimSpace(s), "\n\n")
	for i, p := range paras {
		paras[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.Join(paras, "\n\n")
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n-1]) + "…"
}

// insertsSecret reports whether a fix's new text holds what looks like a
// secret (a moved comment that names a password) or a recorded secret of 3
// bytes or more: such a fix is left out of SARIF, which would publish it;
// --diff and --write still apply it.
func insertsSecret(fix *linters.Fix, docs map[string]*linters.SourceFile) bool {
	for _, e := range fix.Edits {
		if len(linters.LikelySecrets(e.New)) > 0 {
			return true
		}
		if sf := docs[e.Path]; sf != nil {
			for _, r := range sf.Secrets {
				if a, b := r.Start.Offset, r.End.Offset; 0 <= a && a+3 <= b && b <= len(sf.Src) && strings.Contains(e.New, string(sf.Src[a:b])) {
					return true
				}
			}
		}
	}
	return false
}

// sarifFixOf turns a fix's byte edits into SARIF replacements, with
// offsets and lengths in code points of the file.
func (r *report) sarifFixOf(fix *linters.Fix, docs map[string]*linters.SourceFile) sarifFix {
	byPath := map[string][]linters.TextEdit{}
	var paths []string
	for _, e := range fix.Edits {
		if _, ok := byPath[e.Path]; !ok {
			paths = append(paths, e.Path)
		}
		byPath[e.Path] = append(byPath[e.Path], e)
	}
	sort.Strings(paths)
	out := sarifFix{Description: sarifText{fix.Message}}
	for _, p := range paths {
		ch := sarifArtifactChange{ArtifactLocation: r.sarifArtifact(p)}
		var src []byte
		var ix *runeIndex
		if sf := docs[p]; sf != nil {
			src, ix = sf.Src, r.runesOf(sf)
		}
		for _, e := range byPath[p] {
			off, length := e.Start, e.End-e.Start
			if e.End <= len(src) {
				off = ix.before(e.Start)
				length = utf8.RuneCount(src[e.Start:e.End])
			}
			rep := sarifReplacement{DeletedRegion: sarifRegion{CharOffset: &off, CharLength: &length}}
			if e.New != "" {
				rep.InsertedContent = &sarifText{e.New}
			}
			ch.Replacements = append(ch.Replacements, rep)
		}
		out.ArtifactChanges = append(out.ArtifactChanges, ch)
	}
	return out
}

// sarifArtifact locates a file: relative to %SRCROOT% (the working
// directory) when it lies below it, else as an absolute file URI. A
// symlink is reported by the path of its target when that lies below the
// working directory too (GitHub cannot show symlinked paths).
func (r *report) sarifArtifact(path string) sarifArtifactLoc {
	wd := r.cmd.wd()
	abs := path
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(wd, abs)
	}
	abs = filepath.Clean(abs)
	if _, ok := r.cmd.Fs.(*afero.OsFs); ok {
		if real, err := filepath.EvalSymlinks(abs); err == nil && real != abs {
			if realWd, err := filepath.EvalSymlinks(wd); err == nil {
				if rel, ok := below(realWd, real); ok {
					return sarifArtifactLoc{URI: uriPath(rel), URIBaseID: srcRoot}
				}
			}
		}
	}
	if rel, ok := below(wd, abs); ok {
		return sarifArtifactLoc{URI: uriPath(rel), URIBaseID: srcRoot}
	}
	return sarifArtifactLoc{URI: fileURI(abs)}
}

// below returns p relative to dir in slash form when p lies below dir.
func below(dir, p string) (string, bool) {
	rel, err := filepath.Rel(dir, p)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// uriPath percent-encodes each element of a slash path for a URI
// reference (a ":" too, so that "a:b" is not read as a scheme).
func uriPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	return strings.Join(parts, "/")
}

// fileURI is the file: URI of an absolute path.
func fileURI(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x → /C:/x
	}
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return "file://" + strings.Join(parts, "/")
}
