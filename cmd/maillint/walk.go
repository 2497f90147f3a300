package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/maillint/maillint/linters"
	"github.com/spf13/afero"
)

// maxFileSize is the largest file maillint reads. Mail configs are a few
// kilobytes; a bigger file is a log, a mailbox or a mistake.
const maxFileSize = 8 << 20

// candidate is a file a walk found whose name (or the config's [type])
// says which client it configures.
type candidate struct {
	path   string
	format linters.Format
	key    string // identity: device and inode, else the absolute path
	link   bool   // the path is a symlink
}

// walker walks folders level by level: the folders of one depth are read
// concurrently (at most jobs at once), then the next depth. A folder is
// identified by device and inode and entered once: at the smallest depth,
// by its path that is not a symlink if there is one, else by the first
// path in order. So a symlink loop ends, and which path is reported does
// not depend on timing.
type walker struct {
	c     *Command
	match func(path string) linters.Format
	skip  func(path string) bool // the config excludes it
	prog  *progress

	mu      sync.Mutex
	found   []candidate
	errs    []inputError
	notices []inputError
}

// dirItem is a folder to walk.
type dirItem struct {
	path string
	key  string
	link bool
	// dev is the folder's device. With trustIno set (the device is known
	// and the folder's file system is one whose listings give the inodes
	// stat gives), dev and a listing's inode identify a file in the folder
	// without a stat each.
	dev      uint64
	trustIno bool
}

// subdir returns the dirItem of folder p, found in folder d and stat'ed as
// fi: a folder on the same device is on the same file system as d.
func (c *Command) subdir(d dirItem, p string, fi fs.FileInfo, link bool) dirItem {
	dev, ok := sysDev(fi)
	trust := ok && (dev == d.dev && d.trustIno || dev != d.dev && c.inodesReliable(p))
	return dirItem{path: p, key: c.fileKey(p, fi), link: link, dev: dev, trustIno: trust}
}

// inodesReliable reports whether the listings of folder p give the inodes
// stat gives: true for the local file systems inodesReliable knows
// (ext4, XFS, Btrfs, tmpfs...), false for FUSE, overlay and network file
// systems, whose listings may not.
func (c *Command) inodesReliable(p string) bool {
	if _, ok := c.Fs.(*afero.OsFs); !ok || !haveFastIO {
		return false
	}
	return listingInodesReliable(p)
}

// listingInodesReliable is a variable so that tests can distrust listings.
var listingInodesReliable = fsListingInodesReliable

// walkRoots walks each folder of roots and returns the files to check,
// sorted by path, each file once.
func (c *Command) walkRoots(roots []string, match func(string) linters.Format, skip func(string) bool, jobs int, prog *progress) ([]candidate, []inputError, []inputError) {
	jobs = max(jobs, 1)
	w := &walker{c: c, match: match, skip: skip, prog: prog}
	var level []dirItem
	for _, root := range roots {
		fi, err := c.Fs.Stat(root)
		if err != nil {
			w.errs = append(w.errs, inputError{path: root, msg: describe(err)})
			continue
		}
		level = append(level, c.subdir(dirItem{}, root, fi, false))
	}
	entered := map[string]bool{}
	for len(level) > 0 {
		sort.SliceStable(level, func(i, j int) bool {
			if level[i].link != level[j].link {
				return !level[i].link
			}
			return level[i].path < level[j].path
		})
		var todo []dirItem
		for _, d := range level {
			if !entered[d.key] {
				entered[d.key] = true
				todo = append(todo, d)
			}
		}
		subdirs := make([][]dirItem, len(todo))
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(jobs, len(todo)) {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= len(todo) {
						return
					}
					subdirs[i] = w.dir(todo[i])
				}
			})
		}
		wg.Wait()
		level = level[:0:0]
		for _, ds := range subdirs {
			level = append(level, ds...)
		}
	}
	sort.Slice(w.errs, func(i, j int) bool { return w.errs[i].path < w.errs[j].path })
	sort.Slice(w.notices, func(i, j int) bool { return w.notices[i].path < w.notices[j].path })
	return dedupe(w.found), w.errs, w.notices
}

// dedupe keeps one candidate per file: the first by path that is not a
// symlink (SARIF consumers cannot show symlinked paths), else the first.
// The result is sorted by path.
func dedupe(cs []candidate) []candidate {
	sort.Slice(cs, func(i, j int) bool { return cs[i].path < cs[j].path })
	best := map[string]int{}
	for i, cd := range cs {
		j, ok := best[cd.key]
		if !ok || (cs[j].link && !cd.link) {
			best[cd.key] = i
		}
	}
	out := cs[:0:0]
	for i, cd := range cs {
		if best[cd.key] == i {
			out = append(out, cd)
		}
	}
	return out
}

// entry is one name in a folder and its type bits (not following symlinks).
type entry struct {
	name string
	mode fs.FileMode
	// ino is the inode, when the listing tells it (else 0).
	ino uint64
	// unknown is set when the listing does not tell the type: the walk
	// then stats the name.
	unknown bool
}

func (w *walker) readDir(path string) ([]entry, error) {
	if _, ok := w.c.Fs.(*afero.OsFs); ok && haveFastIO {
		return readDirFast(path)
	}
	if _, ok := w.c.Fs.(*afero.OsFs); ok {
		// os.ReadDir takes the type from the directory listing: no stat
		// per file.
		des, err := os.ReadDir(path)
		out := make([]entry, 0, len(des))
		for _, d := range des {
			out = append(out, entry{name: d.Name(), mode: d.Type()})
		}
		return out, err
	}
	fis, err := afero.ReadDir(w.c.Fs, path)
	out := make([]entry, 0, len(fis))
	for _, fi := range fis {
		out = append(out, entry{name: fi.Name(), mode: fi.Mode()})
	}
	return out, err
}

// dir lists one folder: it records the config files in it and returns
// its subfolders.
func (w *walker) dir(d dirItem) []dirItem {
	path := d.path
	entries, err := w.readDir(path)
	if err != nil {
		w.addErr(&w.errs, path, describe(err))
	}
	var found []candidate
	var subdirs []dirItem
	for _, e := range entries {
		p := filepath.Join(path, e.name)
		mode := e.mode
		var fi fs.FileInfo
		if e.unknown {
			if fi, err = os.Lstat(p); err != nil { // only the real file system lists no type
				w.addErr(&w.errs, p, describe(err))
				continue
			}
			mode = fi.Mode()
			fi = nil
		}
		link := mode&fs.ModeSymlink != 0
		if link {
			// Follow symlinks; a dangling one is not a config.
			if fi, err = w.c.Fs.Stat(p); err != nil {
				continue
			}
			mode = fi.Mode()
		}
		if mode.IsDir() {
			if skipDirs[e.name] || w.skip(p) {
				continue
			}
			if fi == nil {
				if fi, err = w.c.Fs.Stat(p); err != nil {
					w.addErr(&w.errs, p, describe(err))
					continue
				}
			}
			subdirs = append(subdirs, w.c.subdir(d, p, fi, link))
			continue
		}
		if !mode.IsRegular() {
			continue
		}
		f := w.match(p)
		if f == nil || w.skip(p) {
			continue
		}
		if fi == nil && e.ino != 0 && d.trustIno {
			// A regular file in the listing: identified by the folder's
			// device and its inode; its size is checked when it is read.
			found = append(found, candidate{path: p, format: f, key: fileID(d.dev, e.ino)})
			continue
		}
		if fi == nil {
			if fi, err = w.c.Fs.Stat(p); err != nil {
				w.addErr(&w.errs, p, describe(err))
				continue
			}
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		if fi.Size() > maxFileSize {
			w.addErr(&w.notices, p, fmt.Sprintf("skipped: larger than the %d MiB limit", maxFileSize>>20))
			continue
		}
		found = append(found, candidate{path: p, format: f, key: w.c.fileKey(p, fi), link: link})
	}
	w.prog.addFound(len(found))
	w.mu.Lock()
	w.found = append(w.found, found...)
	w.mu.Unlock()
	return subdirs
}

func (w *walker) addErr(list *[]inputError, path, msg string) {
	w.mu.Lock()
	*list = append(*list, inputError{path: path, msg: msg})
	w.mu.Unlock()
}

// fileKey identifies a file: by device and inode where the file system
// tells them, else by its absolute path with symlinks resolved.
func (c *Command) fileKey(path string, fi fs.FileInfo) string {
	if id, ok := sysFileID(fi); ok {
		return id
	}
	abs := path
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(c.wd(), abs)
	}
	if _, ok := c.Fs.(*afero.OsFs); ok {
		if r, err := filepath.EvalSymlinks(abs); err == nil {
			abs = r
		}
	}
	return "path:" + filepath.Clean(abs)
}
