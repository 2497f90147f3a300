//go:build unix

package fixers

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/spf13/afero"
)

// helperEnv names the file TestWriteHelperProcess rewrites.
const helperEnv = "MAILLINT_FIXERS_WRITE_HELPER"

// writeAsUnprivileged rewrites path with data and returns the error message
// ("" on success). Root ignores permission bits, so as root the write runs
// in a copy of the test binary as user nobody (65534).
func writeAsUnprivileged(t *testing.T, path, data string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := rewrite(&Writer{}, path, data); err != nil {
			return err.Error()
		}
		return ""
	}
	// nobody must reach the file and run the binary: open up the folders
	// from the test's temporary root down, and copy the binary there.
	root := filepath.Dir(filepath.Dir(filepath.Dir(path)))
	for d := filepath.Dir(filepath.Dir(path)); ; d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if d == root {
			break
		}
	}
	bin := filepath.Join(filepath.Dir(filepath.Dir(path)), "fixers.test")
	copyFile(t, os.Args[0], bin)
	cmd := exec.Command(bin, "-test.run=^TestWriteHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+path, "MAILLINT_FIXERS_WRITE_DATA="+data)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	const mark = "WRITE-RESULT:"
	i := strings.Index(string(out), mark)
	if i < 0 {
		t.Fatalf("helper printed no result:\n%s", out)
	}
	msg, _, _ := strings.Cut(string(out[i+len(mark):]), "\n")
	return msg
}

// TestWriteHelperProcess is the body of writeAsUnprivileged when run as
// root; it does nothing in a normal test run.
func TestWriteHelperProcess(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		return
	}
	msg := ""
	if err := rewrite(&Writer{}, path, os.Getenv("MAILLINT_FIXERS_WRITE_DATA")); err != nil {
		msg = err.Error()
	}
	if os.Geteuid() == 0 {
		msg = "" // would prove nothing
		t.Error("helper still runs as root")
	}
	os.Stdout.WriteString("WRITE-RESULT:" + msg + "\n")
}

// copyFile copies the executable src to dst.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestWriteReadOnlyFolder(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	if err := os.Mkdir(ro, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(ro, "rc")
	mustWrite(t, p, oldConf, 0o644)
	if err := os.Chmod(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(ro, 0o755) })

	msg := writeAsUnprivileged(t, p, newConf)
	t.Logf("error: %s", msg)
	if msg == "" || !strings.Contains(msg, p) {
		t.Errorf("error %q, want one naming %s", msg, p)
	}
	assertFile(t, p, oldConf)
	assertEntries(t, afero.NewOsFs(), ro, "rc")
}

func TestWriteKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give files to another user")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "rc")
	mustWrite(t, p, oldConf, 0o600)
	if err := os.Chown(p, 1234, 5678); err != nil {
		t.Fatal(err)
	}
	w := &Writer{Fs: afero.NewOsFs()}
	s, err := w.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	if !s.HasOwner || s.UID != 1234 || s.GID != 5678 {
		t.Fatalf("snapshot owner = %v %d:%d", s.HasOwner, s.UID, s.GID)
	}
	if err := w.Write(s, []byte(newConf)); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if st.Uid != 1234 || st.Gid != 5678 || fi.Mode().Perm() != 0o600 {
		t.Errorf("after write: owner %d:%d mode %v, want 1234:5678 0600", st.Uid, st.Gid, fi.Mode())
	}
	assertFile(t, p, newConf)
}
