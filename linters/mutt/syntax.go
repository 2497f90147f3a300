// Package mutt is maillint's adapter for mutt and neomutt configuration
// files (~/.muttrc, ~/.mutt/muttrc, ~/.config/mutt/muttrc, ~/.neomuttrc,
// ~/.config/neomutt/neomuttrc and the account files they source).
//
// The syntax tree is lossless: a File keeps every physical line with its
// terminator, so printing a parsed file gives back every byte. On top of the
// physical lines it groups logical lines (a line ending in a backslash is
// joined with the next one, as mutt_read_line does, also inside comments) and
// splits them into commands and words the way mutt_extract_token does:
// single quotes are literal, double quotes process backslash escapes,
// backticks and $VARIABLES, an unquoted '#' ends the line even in the middle
// of a word and an unquoted ';' ends a command.
//
// Every byte of a decoded word remembers where it came from, so the model can
// point at the file and line where a value is written and the writer can
// replace exactly the bytes of a host or port inside a quoted URL, even inside
// the nested quotes of an account-hook.
package mutt

import (
	"bytes"

	"github.com/maillint/maillint/linters"
)

// Line is one physical line of a file.
type Line struct {
	// Offset is the byte offset of the line's first byte in the file.
	Offset int
	// Text is the line without its terminator.
	Text string
	// EOL is "\n", "\r\n" or "" (last line without a terminator).
	EOL string
}

// Logical is a logical line: the physical lines First..Last (indexes into
// File.Lines) joined where a line ends in a backslash.
type Logical struct {
	// First and Last are the indexes of its first and last physical lines.
	First, Last int
	// Commands are the commands of the line, in order.
	Commands []*Command
	// Comment is the offset in the logical text where a comment starts, or -1.
	Comment int
	text    *rstr
}

// Text returns the logical line as mutt reads it: continuation backslashes
// and line breaks removed.
func (l *Logical) Text() string { return string(l.text.b) }

// Command is one command of a logical line: its name and its words, as
// split without expanding variables (the resolver expands them).
type Command struct {
	// Start and End are offsets in the logical text.
	Start, End int
	// Name is the command's name (set, source, account-hook...).
	Name *Word
	// Args are the words after the name, up to a ';' or a comment.
	Args []*Word
}

// Word is one word (token) as mutt splits it.
type Word struct {
	// Start and End are the raw offsets in the logical text, quotes included.
	Start, End int
	// Quote is the first quote character used in the word, or 0.
	Quote byte
	// Open is the quote character left open at the end of the line, or 0.
	Open byte
	// OpenAt is the offset in the logical text of the quote left open.
	OpenAt int
	// Backticks are the raw spans (offsets in the logical text, backticks
	// included) of commands in backticks, which mutt would run.
	Backticks [][2]int
	// Err describes a word mutt rejects (a mismatched backtick, a backslash
	// at the end of the line), or is "".
	Err string
	// ErrAt is the offset in the logical text of the problem Err describes.
	ErrAt int
	// val is the decoded value; nil for the words of Parse, whose value
	// Value decodes from src (the logical text) read with flags.
	val   *rstr
	src   *rstr
	flags int
}

// Value returns the word as mutt reads it, with variables kept literally and
// each command in backticks replaced by a NUL byte.
func (w *Word) Value() string {
	if w.val == nil {
		c := &cursor{s: w.src, i: w.Start}
		return string(c.word(w.flags).val.b)
	}
	return string(w.val.b)
}

// File is a parsed mutt configuration file.
type File struct {
	// Path is the file's path as given to Parse.
	Path string
	// Src is the file's content.
	Src []byte
	// Lines are the physical lines; printing them gives Src back.
	Lines []Line
	// Logical are the logical lines, in order.
	Logical []*Logical
}

// Parse splits src into physical lines, logical lines, commands and words.
// It accepts any bytes and never fails.
func Parse(path string, src []byte) *File {
	f := &File{Path: path, Src: src, Lines: make([]Line, 0, bytes.Count(src, []byte{'\n'})+1)}
	all := string(src) // one copy; lines are substrings of it
	off := 0
	for off < len(src) {
		text, eol, next := linters.NextLine(all, off)
		f.Lines = append(f.Lines, Line{Offset: off, Text: text, EOL: eol})
		off = next
	}
	// The logical lines, their texts and the words of their commands are
	// taken from slabs: a few allocations for the whole file.
	ar := &arena{}
	logicals := make([]Logical, 0, len(f.Lines))
	texts := make([]rstr, len(f.Lines))
	if len(f.Lines) > 0 {
		f.Logical = make([]*Logical, 0, len(f.Lines))
	}
	for i := 0; i < len(f.Lines); {
		logicals = append(logicals, Logical{First: i, Comment: -1, text: &texts[len(logicals)]})
		lg := &logicals[len(logicals)-1]
		ar.start(lg.text)
		for {
			l := &f.Lines[i]
			text := l.Text
			cont := l.EOL != "" && len(text) > 0 && text[len(text)-1] == '\\'
			if cont {
				text = text[:len(text)-1]
			}
			lg.text.appendSrc(text, l.Offset)
			i++
			if !cont || i >= len(f.Lines) {
				break
			}
		}
		ar.finish(lg.text)
		lg.Last = i - 1
		lg.Commands, lg.Comment = splitCommands(lg.text, ar)
		f.Logical = append(f.Logical, lg)
	}
	return f
}

// Bytes prints the file back. For any input, Parse(x).Bytes() == x.
func (f *File) Bytes() []byte {
	var b bytes.Buffer
	for _, l := range f.Lines {
		b.WriteString(l.Text)
		b.WriteString(l.EOL)
	}
	return b.Bytes()
}

// EOL returns the file's line terminator: that of its first terminated
// line, or "\n".
func (f *File) EOL() string {
	for _, l := range f.Lines {
		if l.EOL != "" {
			return l.EOL
		}
	}
	return "\n"
}

// LogicalAt returns the logical line holding physical line i.
func (f *File) LogicalAt(i int) *Logical {
	for _, lg := range f.Logical {
		if lg.First <= i && i <= lg.Last {
			return lg
		}
	}
	return nil
}

// Offset maps an offset of the logical text to a file offset.
func (l *Logical) Offset(i int) int {
	if i < len(l.text.b) {
		return int(l.text.atOf(i))
	}
	if n := len(l.text.b); n > 0 {
		return int(l.text.atOf(n-1)) + 1
	}
	return -1
}

// splitCommands splits a logical line into commands without expanding
// anything, as mutt_parse_rc_buffer does, and returns where a comment
// starts (-1 if none).
func splitCommands(s *rstr, ar *arena) ([]*Command, int) {
	var cmds []*Command
	c := &cursor{s: s, novalue: true, ar: ar}
	c.skipWS()
	for c.i < len(s.b) {
		switch s.b[c.i] {
		case '#':
			return ar.commandList(cmds), c.i
		case ';':
			c.i++
			c.skipWS()
			continue
		}
		cmd := ar.newCommand()
		cmd.Start = c.i
		cmd.Name = c.word(0)
		args := ar.args[:0]
		for c.moreArgs() {
			args = append(args, c.word(0))
		}
		ar.args = args
		cmd.Args = ar.wordList(args)
		cmd.End = cmd.Name.End
		if n := len(cmd.Args); n > 0 {
			cmd.End = cmd.Args[n-1].End
		}
		cmds = append(ar.cmdScratch(cmds), cmd)
		if cmd.Name.End == cmd.Start && len(cmd.Args) == 0 {
			// No progress (a lone quote character consumed nothing): skip a byte.
			c.i++
		}
	}
	return ar.commandList(cmds), -1
}
